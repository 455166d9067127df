/** Canvas limits browsers enforce (Chromium: 32,767 px a side, about 268 M pixels); kept well inside. */
const MAX_SIDE = 16_384;
const MAX_PIXELS = 64_000_000;

/**
 * The SVG export drawn onto a canvas and encoded as PNG: the same picture, so the two exports
 * never disagree. A drawing too large for a canvas is scaled down to fit.
 */
export async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const scale = Math.min(1, MAX_SIDE / width, MAX_SIDE / height, Math.sqrt(MAX_PIXELS / (width * height)));
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.floor(width * scale));
    canvas.height = Math.max(1, Math.floor(height * scale));
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('this browser cannot draw on a canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob === null ? reject(new Error('the drawing could not be encoded as PNG')) : resolve(blob)), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

import { toWinAnsi, pdfStringBody } from './win-ansi';
import type { StandardFont } from './font-metrics';

/**
 * A minimal PDF 1.4 writer: pages of drawing operators over the standard 14 fonts (nothing is
 * embedded, every viewer has them), uncompressed, with a cross-reference table. The same pages
 * always give the same bytes.
 */

export interface PaperSize {
  width: number;
  height: number;
}

export const PAPER_SIZES = {
  a4: { width: 595.28, height: 841.89 },
  letter: { width: 612, height: 792 },
} as const satisfies Record<string, PaperSize>;
export type PaperName = keyof typeof PAPER_SIZES;

/** The resource name of each font in every page's resources. */
export const FONT_RESOURCES: Record<StandardFont, string> = { Helvetica: 'F1', 'Helvetica-Bold': 'F2', Courier: 'F3' };

export function pdfNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** A literal string of the PDF's own syntax: outside text is encoded and escaped here, and only here. */
export function pdfString(text: string): string {
  return `(${pdfStringBody(toWinAnsi(text))})`;
}

/**
 * The file for `pages` (each one a content stream of operators, ASCII only), all of `paper`
 * size, titled `title` in the document information.
 */
export function writePdfFile(pages: readonly string[], paper: PaperSize, title: string): Uint8Array {
  const objects: string[] = [];
  const fontIds: Record<StandardFont, number> = { Helvetica: 3, 'Helvetica-Bold': 4, Courier: 5 };
  const firstPageId = 7;
  const pageIds = pages.map((_, index) => firstPageId + index * 2);

  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  for (const [font, id] of Object.entries(fontIds)) {
    objects[id] = `<< /Type /Font /Subtype /Type1 /BaseFont /${font} /Encoding /WinAnsiEncoding >>`;
  }
  objects[6] = `<< /Title ${pdfString(title)} /Producer (Countersign) >>`;
  const fonts = Object.entries(fontIds)
    .map(([font, id]) => `/${FONT_RESOURCES[font as StandardFont]} ${id} 0 R`)
    .join(' ');
  pages.forEach((content, index) => {
    const pageId = pageIds[index]!;
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pdfNumber(paper.width)} ${pdfNumber(paper.height)}] ` +
      `/Resources << /Font << ${fonts} >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });

  // The second line's bytes above 127 mark the file as binary for transfer tools.
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id] ?? 'null'}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id] ?? 0).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;

  const bytes = new Uint8Array(out.length);
  for (let index = 0; index < out.length; index++) bytes[index] = out.charCodeAt(index) & 0xff;
  return bytes;
}

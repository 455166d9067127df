/**
 * Offers `blob` as a file download named `fileName`: the browser's "save as" for the web host.
 * The object URL lives only for the click.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.className = 'offscreen';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoke after the click has been handled, or some browsers cancel the download.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

export function saveTextFile(text: string, fileName: string, type = 'application/octet-stream'): void {
  saveBlob(new Blob([text], { type }), fileName);
}

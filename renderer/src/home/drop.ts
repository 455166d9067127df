import { MAX_DROPPED_ARCHIVE_BYTES } from '../../../shared/api/contract';
import { formatBytes } from '../format';

const ARCHIVE_SUFFIXES = ['.tar', '.tar.gz', '.tgz', '.zip', '.csbundle'];

/** Why a dropped file cannot be imported, or null when it can. Checked before reading a byte of it. */
export function dropProblem(fileName: string, size: number): string | null {
  const lower = fileName.toLowerCase();
  if (!ARCHIVE_SUFFIXES.some((suffix) => lower.endsWith(suffix))) {
    return `${fileName} is not a bundle archive: drop a .tar, .tar.gz, .tgz, .zip or .csbundle file, or open the bundle's folder instead.`;
  }
  if (size > MAX_DROPPED_ARCHIVE_BYTES) {
    return `${fileName} is ${formatBytes(size)}, more than the ${formatBytes(MAX_DROPPED_ARCHIVE_BYTES)} a dropped archive may be. Open it by its path instead.`;
  }
  return null;
}

/** The base64 payload of a `data:…;base64,…` URL, as FileReader.readAsDataURL produces. */
export function base64OfDataUrl(dataUrl: string): string {
  const marker = ';base64,';
  const at = dataUrl.indexOf(marker);
  if (!dataUrl.startsWith('data:') || at < 0) throw new Error('the file could not be read as base64');
  return dataUrl.slice(at + marker.length);
}

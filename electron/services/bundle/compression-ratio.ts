import { CompressionRatioError } from './bundle-error';
import { displayName } from './entry-path';

/**
 * Below this many unpacked bytes the ratio is not judged: small files of zeros or repeated
 * text compress far past 100:1 and can fill no disk.
 */
export const COMPRESSION_RATIO_THRESHOLD_BYTES = 1024 * 1024;

function formatRatio(ratio: number): string {
  return ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1);
}

/**
 * Refuses `unpackedBytes` coming out of `compressedBytes` when past the threshold and the
 * ratio exceeds the limit. `what` says what was measured and ends in a verb ("it expands",
 * "its sizes say it expands"); `entry` is the entry named, null before the first.
 */
export function checkCompressionRatio(entry: string | null, unpackedBytes: number, compressedBytes: number, limit: number, what: string): void {
  if (unpackedBytes <= COMPRESSION_RATIO_THRESHOLD_BYTES) return;
  const ratio = unpackedBytes / Math.max(compressedBytes, 1);
  if (ratio <= limit) return;
  const subject = entry === null ? 'The archive' : `Refused entry ${displayName(entry)}:`;
  throw new CompressionRatioError(
    `${subject} ${what} ${formatRatio(ratio)}:1 (${unpackedBytes} bytes from ${compressedBytes} compressed bytes), past the compression ratio limit ` +
      `of ${formatRatio(limit)}:1 that guards against archive bombs. If this bundle really is that compressible, raise the limit with --max-ratio.`,
    entry,
    ratio,
    limit,
    unpackedBytes,
  );
}

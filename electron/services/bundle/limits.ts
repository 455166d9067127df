/**
 * Caps on what one bundle may hold. A bundle past any of them is refused (hostile-input)
 * before it can exhaust the disk, memory or file table; the error names the cap.
 *
 * | cap                 | default     | what it counts                                            |
 * | ------------------- | ----------- | --------------------------------------------------------- |
 * | maxEntries          | 250,000     | entries, files and directories, listed or walked          |
 * | maxTotalBytes       | 256 GiB     | file bytes once unpacked, counted while streaming         |
 * |                     |             | (declared sizes are never trusted); a directory's files   |
 * |                     |             | by their size                                             |
 * | maxPathBytes        | 1,024 bytes | UTF-8 bytes of one entry's path                           |
 * | maxDepth            | 32          | path segments of one entry (`artifacts/model/m.onnx`: 3)  |
 * | maxCompressionRatio | 100         | unpacked bytes per compressed byte, for a zip entry or a  |
 * |                     |             | .tar.gz so far, once past 1 MiB unpacked (see             |
 * |                     |             | compression-ratio.ts); need not be whole; Infinity turns  |
 * |                     |             | the check off                                             |
 *
 * Paths are measured as stored in the archive, before a single top-level directory is
 * stripped. A .tar.gz as a whole may decompress to at most maxTotalBytes + 16 KiB of tar
 * headers per allowed entry + 1 MiB, so a gzip stream of empty tar blocks cannot run forever.
 * Files read whole (manifest, approvals, lineage, ...) have their own per-call cap: see
 * readBundleFile. Unpacking also stops before the temporary file system's free space falls
 * under a margin (free-space.ts); that is the disk's limit, not the bundle's, so not a cap here.
 */
export interface BundleLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxPathBytes: number;
  maxDepth: number;
  /** Raised by the person (`--max-ratio`, or the app's question) for a bundle that really is that compressible. */
  maxCompressionRatio: number;
}

/** 100:1 is past what deflate reaches on real model weights and data, and well short of a bomb's 1000:1. */
export const DEFAULT_MAX_COMPRESSION_RATIO = 100;

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = Object.freeze({
  maxEntries: 250_000,
  maxTotalBytes: 256 * 1024 ** 3,
  maxPathBytes: 1024,
  maxDepth: 32,
  maxCompressionRatio: DEFAULT_MAX_COMPRESSION_RATIO,
});

export function resolveLimits(overrides: Partial<BundleLimits> | undefined): BundleLimits {
  const limits: BundleLimits = { ...DEFAULT_BUNDLE_LIMITS };
  for (const key of Object.keys(limits) as (keyof BundleLimits)[]) {
    const value = overrides?.[key];
    if (value === undefined) continue;
    if (key === 'maxCompressionRatio') {
      if (Number.isNaN(value) || value < 1) throw new RangeError(`bundle limit ${key} must be a number of at least 1, got ${String(value)}`);
      limits[key] = value;
      continue;
    }
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`bundle limit ${key} must be a non-negative integer, got ${String(value)}`);
    limits[key] = value;
  }
  return limits;
}

/**
 * Why a bundle could not be opened. The codes match the API contract's error codes, so a
 * handler can pass them through unchanged.
 * - not-found: the path, or a file asked for, does not exist.
 * - unreadable: it exists but cannot be read as a bundle (permissions, I/O, not a bundle,
 *   a damaged archive).
 * - hostile-input: the bundle tries something a bundle never needs (path traversal, links,
 *   device files, twins, nested archives) or goes past a cap.
 */
export type BundleErrorCode = 'not-found' | 'unreadable' | 'hostile-input';

export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
    /** The entry (path inside the bundle) the error is about, when there is one. */
    readonly entry: string | null = null,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

import { DomainError } from '../../../shared/errors/domain-error';

/**
 * Why a bundle could not be opened or read. The codes are the API contract's:
 * - not-found: the path, or a file asked for, does not exist.
 * - unreadable: it exists but cannot be read as a bundle (permissions, I/O, not a bundle,
 *   a damaged archive).
 * - hostile-input: the bundle tries something a bundle never needs (path traversal, links,
 *   device files, twins, nested archives) or goes past a cap.
 * - conflict: a bundle folder changed since it was verified.
 */
export type BundleErrorCode = 'not-found' | 'unreadable' | 'hostile-input' | 'conflict';

export class BundleError extends DomainError {
  constructor(
    override readonly code: BundleErrorCode,
    message: string,
    /** The entry (path inside the bundle) the error is about, when there is one. */
    readonly entry: string | null = null,
  ) {
    super(code, message);
  }
}

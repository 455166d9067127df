import type { ErrorCode } from '../api/error-codes';

/**
 * The root of every error raised on purpose, in any layer: it carries the contract code the
 * caller sees. The handler table passes `code` and `message` through unchanged; the CLI maps
 * the code to its exit code (one table, electron/cli/exit-codes.ts). Anything that is not a
 * DomainError is a bug, reported as `internal`.
 */
export class DomainError extends Error {
  /** A finer code a caller can act on (e.g. 'compression-ratio': the person may raise the limit); null for most. */
  readonly subcode: string | null = null;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value the person gave is out of range or missing (a name too long, an empty passphrase). */
export class InvalidInputError extends DomainError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}

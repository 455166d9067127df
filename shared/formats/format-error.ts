import { DomainError } from '../errors/domain-error';

/**
 * A document that does not follow FORMATS.md. `path` says where: a JSON path such as
 * `$.subject[2].digest.sha256`, optionally prefixed with a file name by the caller.
 * The message reads well on its own: `<path>: <reason>`.
 */
export class FormatError extends DomainError {
  constructor(
    readonly path: string,
    /** The problem without its location, for callers that re-locate the error. */
    readonly reason: string,
  ) {
    super('invalid-format', `${path}: ${reason}`);
  }
}

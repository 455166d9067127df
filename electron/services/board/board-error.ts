import { DomainError } from '../../../shared/errors/domain-error';
import type { ErrorCode } from '../../../shared/api/error-codes';

/** A board operation that cannot go on: a remote git refuses, a board not set up, a pin that does not hold. */
export class BoardError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

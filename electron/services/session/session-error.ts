import type { ErrorCode } from '../../../shared/api/contract';
import { DomainError } from '../../../shared/errors/domain-error';

/** A question a session cannot answer: it is closed, or it holds a lineage file rather than a bundle. */
export class SessionError extends DomainError {
  constructor(code: Extract<ErrorCode, 'not-found' | 'unsupported' | 'conflict'>, message: string) {
    super(code, message);
  }
}

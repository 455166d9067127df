import type { ErrorCode } from '../../../shared/api/contract';
import { DomainError } from '../../../shared/errors/domain-error';

/**
 * A question a session cannot answer: it is closed, or it holds a lineage file or a foreign
 * signature rather than a bundle. `subcode` lets a view show an empty state instead of an error
 * (`not-a-bundle`), or offer to choose a signature (`signature-needed`).
 */
export class SessionError extends DomainError {
  override readonly subcode: string | null;

  constructor(code: Extract<ErrorCode, 'not-found' | 'unsupported' | 'conflict'>, message: string, subcode: string | null = null) {
    super(code, message);
    this.subcode = subcode;
  }
}

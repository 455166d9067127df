import type { ErrorCode } from '../../../shared/api/contract';
import { DomainError } from '../../../shared/errors/domain-error';

/** An approval request refused on purpose, with the contract error code the caller should see. Nothing was written. */
export class ApprovalError extends DomainError {
  constructor(
    override readonly code: Extract<ErrorCode, 'refused' | 'conflict' | 'invalid-format' | 'not-found' | 'hostile-input'>,
    message: string,
  ) {
    super(code, message);
  }
}

import type { ErrorCode } from '../../../shared/api/contract';

/** An approval request refused on purpose, with the contract error code the caller should see. Nothing was written. */
export class ApprovalError extends Error {
  override readonly name = 'ApprovalError';
  constructor(
    readonly code: Extract<ErrorCode, 'conflict' | 'invalid-format' | 'not-found' | 'hostile-input'>,
    message: string,
  ) {
    super(message);
  }
}

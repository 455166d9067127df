import type { ApiError, ErrorCode } from '../../shared/api/contract';
import { FormatError } from '../../shared/formats/format-error';
import { BundleError } from '../services/bundle/bundle-error';
import { HashCancelledError } from '../services/hashing/hash-files';
import { BoardPolicyError } from '../services/trust/board-file';
import { ProfileBusyError } from '../services/store/database';
import { AuditLogMissingError } from '../services/audit/audit-log';

/** An error a handler raises on purpose, with the contract code the caller should see. */
export class HandlerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Maps anything a handler throws to the contract's error shape; unexpected errors do not leak internals. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof HandlerError) return { code: error.code, message: error.message };
  if (error instanceof BundleError) return { code: error.code, message: error.message };
  if (error instanceof HashCancelledError || (error instanceof Error && error.name === 'AbortError')) {
    return { code: 'cancelled', message: 'Cancelled.' };
  }
  if (error instanceof FormatError || error instanceof BoardPolicyError) return { code: 'invalid-format', message: error.message };
  if (error instanceof ProfileBusyError || error instanceof AuditLogMissingError) return { code: 'conflict', message: error.message };
  return { code: 'internal', message: `Internal error: ${error instanceof Error ? error.message : String(error)}` };
}

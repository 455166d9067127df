import type { ApiError } from '../../shared/api/contract';
import { DomainError } from '../../shared/errors/domain-error';

/** An error a handler raises on purpose, with the contract code the caller should see. */
export class HandlerError extends DomainError {}

/**
 * The one mapping from anything thrown to the contract's error shape. Every error raised on
 * purpose is a DomainError and carries its code; an aborted operation is `cancelled`; anything
 * else is a bug, reported as `internal` without internals beyond its message.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof DomainError) return { code: error.code, message: error.message, ...(error.subcode !== null ? { subcode: error.subcode } : {}) };
  if (error instanceof Error && error.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  return { code: 'internal', message: `Internal error: ${error instanceof Error ? error.message : String(error)}` };
}

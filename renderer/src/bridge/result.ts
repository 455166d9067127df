import { errorCodeSchema } from '../../../shared/api/contract';
import type { ApiError, Result } from '../../../shared/api/contract';

export function failure(code: ApiError['code'], message: string, subcode?: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message, ...(subcode !== undefined ? { subcode } : {}) } };
}

/**
 * Reads a host response body as a Result. The host is our own and speaks the contract, so this only
 * guards against what transport trouble produces (an HTML error page, a proxy's reply, an empty body):
 * anything that is not a Result becomes an `internal` error instead of a crash deeper in the UI.
 */
export function resultFromBody(body: unknown, status: number): Result<unknown> {
  if (typeof body === 'object' && body !== null && 'ok' in body) {
    if (body.ok === true && 'value' in body) return { ok: true, value: body.value };
    if (body.ok === false && 'error' in body) {
      const error = body.error;
      if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
        const code = errorCodeSchema.safeParse(error.code);
        const message = typeof error.message === 'string' ? error.message : String(error.message);
        const subcode = 'subcode' in error && typeof error.subcode === 'string' ? error.subcode : undefined;
        return failure(code.success ? code.data : 'internal', message, subcode);
      }
    }
  }
  return failure('internal', `the host answered with HTTP ${status} and no result`);
}

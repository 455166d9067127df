import { describe, it, expect } from 'vitest';
import { resultFromBody } from './result';

describe('resultFromBody', () => {
  it('passes a success through', () => {
    expect(resultFromBody({ ok: true, value: { path: '/b' } }, 200)).toEqual({ ok: true, value: { path: '/b' } });
  });

  it('passes an API error through with its code and message', () => {
    const body = { ok: false, error: { code: 'hostile-input', message: 'archive entry ../evil escapes the bundle' } };
    expect(resultFromBody(body, 400)).toEqual(body);
  });

  it('keeps the finer code a caller can act on (an archive the person may open with a higher ratio limit)', () => {
    const body = { ok: false, error: { code: 'hostile-input', message: 'expands 1028:1', subcode: 'compression-ratio' } };
    expect(resultFromBody(body, 200)).toEqual(body);
  });

  it('turns an unknown error code into internal, keeping the message', () => {
    expect(resultFromBody({ ok: false, error: { code: 'teapot', message: 'short and stout' } }, 418)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'short and stout' },
    });
  });

  it('turns a body that is not a result into an internal error naming the HTTP status', () => {
    for (const body of [null, 'Bad gateway', { ok: true }, { error: 'nope' }, []]) {
      expect(resultFromBody(body, 502)).toEqual({
        ok: false,
        error: { code: 'internal', message: 'the host answered with HTTP 502 and no result' },
      });
    }
  });
});

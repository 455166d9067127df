import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../bridge/hooks';
import { failure, resultFromBody } from '../bridge/result';
import { pathWords, plainError, plainMessage } from './plain-words';

const apiError = (message: string, code: 'internal' | 'invalid-format' = 'invalid-format') => new ApiCallError({ code, message });

describe('plainMessage', () => {
  it('says JSON paths and field names in words', () => {
    expect(pathWords('$.artifacts[0].digest')).toBe('artifacts, item 1, digest');
    expect(pathWords('$')).toBe('the top level');
    expect(plainMessage('deployment.json $.artifacts[0].digest: must be an object')).toBe('deployment.json (artifacts, item 1, digest): must be an object');
    expect(plainMessage('expiresAt is not after now')).toBe('expiry time is not after now');
    expect(plainMessage('the `payloadType` is wrong in the DSSE envelope')).toBe('the content type is wrong in the signed file');
    expect(plainMessage('nothing to change here')).toBe('nothing to change here');
    expect(plainMessage('board.json $: must be an object')).toBe('board.json (the top level): must be an object');
    expect(plainMessage('it costs $5, see $HOME and HTTP 404 docs')).toBe('it costs $5, see $HOME and HTTP 404 docs');
  });
});

describe('plainError', () => {
  it('turns a stopped server into what happened and what to do', () => {
    const stopped = plainError(apiError('Could not reach the Countersign host: Failed to fetch', 'internal'));
    expect(stopped).toBe('The Countersign server has stopped, so nothing can be read or saved: start it again with `npm start` (or `countersign serve`) and open the new link it prints.');
    expect(plainError(new TypeError('Failed to fetch'))).toBe(stopped);
  });

  it('explains a refused token and an answer without a result by their HTTP status', () => {
    const unauthorised = resultFromBody('Missing or wrong token.', 401);
    expect(unauthorised.ok).toBe(false);
    if (unauthorised.ok) return;
    const text = plainError(new ApiCallError(unauthorised.error));
    expect(text).not.toMatch(/HTTP 401|no result/);
    expect(text).toMatch(/^This page's access has ended: the Countersign server was restarted/);
    const bad = failure('internal', 'the host answered with HTTP 502 and no result');
    expect(plainError(new ApiCallError(bad.error))).toMatch(/^The Countersign server answered with an error \(HTTP 502\) and no result\. Try again/);
  });

  it('never shows a stack trace, and says an internal failure is the app’s', () => {
    const crash = new TypeError("Cannot read properties of undefined (reading 'rows')");
    crash.message += '\n    at DeploymentTable (DeploymentView.tsx:10:5)\n    at renderWithHooks (react-dom.js:1:1)';
    const text = plainError(crash);
    expect(text).not.toContain(' at ');
    expect(text).toMatch(/^Something went wrong inside Countersign \(Cannot read properties of undefined \(reading 'rows'\)\)\. Try again; if it happens again, start it again/);
    expect(plainError(apiError('Internal error: disk I/O error', 'internal'))).toMatch(/^Something went wrong inside Countersign \(disk I\/O error\)/);
  });

  it('passes a host message written for people through, and an own Error with a message as it is', () => {
    expect(plainError(apiError('No such file: /tmp/x.zip'))).toBe('No such file: /tmp/x.zip');
    expect(plainError(new Error('the file could not be read'))).toBe('the file could not be read');
  });
});

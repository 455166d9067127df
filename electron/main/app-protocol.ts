import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/api/content-security-policy';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { resolveRendererPath } from '../services/renderer-files';

/** Sent with every response of the scheme, found or not. */
const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * Declares `app:` a standard, secure scheme (a real origin for `'self'` in the CSP, fetch
 * allowed). It gets no CSP bypass and no service workers. Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer, and only it, on `app://countersign/`. Call once the app is ready. */
export function serveRendererFiles(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return textResponse(404, 'Not found.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed.');

    const lookup = resolveRendererPath(rendererRoot, url.pathname);
    if (!lookup.found) return textResponse(404, 'Not found.');
    let body: Uint8Array;
    try {
      body = new Uint8Array(await readFile(lookup.filePath));
    } catch {
      // Missing, a directory, unreadable: all the same to the page.
      return textResponse(404, 'Not found.');
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...securityHeaders, 'Content-Type': lookup.contentType },
    });
  });
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });
}

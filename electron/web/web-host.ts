import http from 'node:http';
import fs from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { isCommandName, type EventName, type EventPayload } from '../../shared/api/contract';
import { parseStrictJson } from '../../shared/json/strict-json';
import { createDispatcher } from '../api/dispatcher';
import { CONTENT_SECURITY_POLICY } from '../../shared/api/content-security-policy';
import { resolveRendererPath } from '../services/renderer-files';

export interface WebHostOptions {
  dataDir: string;
  demoBundlePath: string | null;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface WebHost {
  /** The page to open, with the per-run token in its fragment (never sent to the server in a Referer). */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Base64 of the largest archive drag and drop accepts, plus room for the JSON around it. */
const MAX_REQUEST_BYTES = 360 * 1024 * 1024;

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * The loopback web host: the built renderer and the handler table over HTTP, for tests and for
 * people who cannot run Electron. Bound to 127.0.0.1 only. Every API request must carry the
 * per-run token; the Host header must name this loopback port (DNS-rebinding defence) and a
 * browser's Origin, when sent, must be this origin (cross-site requests from other pages fail).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(32).toString('base64url');
  const eventStreams = new Set<http.ServerResponse>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of eventStreams) stream.write(frame);
  };
  const dispatcher = createDispatcher({ dataDir: options.dataDir, demoBundlePath: options.demoBundlePath, hooks: { host: 'web', emit } });

  const server = http.createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: { code: 'internal', message: String(error) } });
      else response.destroy();
    });
  });

  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  async function handleRequest(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!allowedHosts().has(request.headers.host ?? '')) return sendText(response, 421, 'Misdirected request: this host answers only on its loopback address.');
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return sendText(response, 403, 'Forbidden origin.');

    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (url.pathname === '/api/events') return openEventStream(request, response, url);
    if (url.pathname.startsWith('/api/invoke/')) return invoke(request, response, url.pathname.slice('/api/invoke/'.length));
    if (url.pathname.startsWith('/api/')) return sendText(response, 404, 'Not found.');
    // The raw path, still percent-encoded: the resolver checks it before and after decoding.
    return serveStatic(request, response, (request.url ?? '/').split('?')[0]!);
  }

  function hasToken(presented: string | null | undefined): boolean {
    if (!presented) return false;
    const a = Buffer.from(presented);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async function invoke(request: http.IncomingMessage, response: http.ServerResponse, command: string): Promise<void> {
    if (request.method !== 'POST') return sendText(response, 405, 'Use POST.');
    if (!hasToken(request.headers['x-countersign-token'] as string | undefined)) return sendText(response, 401, 'Missing or wrong token.');
    // A JSON content type cannot be sent cross-origin without a CORS preflight, which this host never grants.
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return sendText(response, 415, 'Send application/json.');
    if (!isCommandName(command)) return sendJson(response, 404, { ok: false, error: { code: 'invalid-input', message: `Unknown command "${command}".` } });

    const body = await readBody(request, MAX_REQUEST_BYTES);
    if (body === null) return sendJson(response, 413, { ok: false, error: { code: 'invalid-input', message: 'Request too large.' } });
    let input: unknown;
    try {
      input = body.length === 0 ? {} : parseStrictJson(body, { maxBytes: MAX_REQUEST_BYTES });
    } catch (error) {
      return sendJson(response, 400, { ok: false, error: { code: 'invalid-input', message: `Request body: ${error instanceof Error ? error.message : String(error)}` } });
    }
    sendJson(response, 200, await dispatcher.dispatch(command, input));
  }

  function openEventStream(request: http.IncomingMessage, response: http.ServerResponse, url: URL): void {
    if (request.method !== 'GET') return sendText(response, 405, 'Use GET.');
    if (!hasToken(url.searchParams.get('token'))) return sendText(response, 401, 'Missing or wrong token.');
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    eventStreams.add(response);
    request.on('close', () => eventStreams.delete(response));
  }

  function serveStatic(request: http.IncomingMessage, response: http.ServerResponse, encodedPathname: string): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'Use GET.');
    const lookup = resolveRendererPath(options.staticDir, encodedPathname);
    if (!lookup.found) return sendText(response, 404, 'Not found.');
    fs.readFile(lookup.filePath, (error, content) => {
      if (error) return sendText(response, 404, 'Not found.');
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': lookup.contentType });
      response.end(request.method === 'HEAD' ? undefined : content);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const heartbeat = setInterval(() => eventStreams.forEach((stream) => stream.write(': keep-alive\n\n')), 15_000);
  heartbeat.unref();

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      clearInterval(heartbeat);
      for (const stream of eventStreams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() only stops accepting; a browser's idle keep-alive connections would hold it open.
      server.closeAllConnections();
      await closed;
      await dispatcher.close();
    },
  };
}

function readBody(request: http.IncomingMessage, maxBytes: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.destroy();
        resolve(null);
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    request.on('error', reject);
  });
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function sendText(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

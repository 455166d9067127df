import http from 'node:http';
import fs from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { isCommandName, type EventName, type EventPayload } from '../../shared/api/contract';
import { parseStrictJson } from '../../shared/json/strict-json';
import { createDispatcher } from '../api/dispatcher';
import { CONTENT_SECURITY_POLICY } from '../../shared/api/content-security-policy';
import { resolveRendererPath } from '../services/renderer-files';
import { bodyLimitFor, DEFAULT_WEB_HOST_LIMITS, type WebHostLimits } from './request-limits';

export interface WebHostOptions {
  dataDir: string;
  demoBundlePath: string | null;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Timeouts and the connection cap; DEFAULT_WEB_HOST_LIMITS for any not given. */
  limits?: Partial<WebHostLimits>;
}

export interface WebHost {
  /** The page to open, with the per-run token in its fragment (never sent to the server in a Referer). */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** After a 413, this much more of the refused body is read and dropped (so the client can read the answer); then the socket closes. */
const REFUSED_BODY_DRAIN_BYTES = 1024 * 1024;

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

  const limits: WebHostLimits = { ...DEFAULT_WEB_HOST_LIMITS, ...options.limits };
  // Every socket is counted, idle ones too; over the cap a new one gets 503 and is closed.
  const sockets = new Set<Socket>();
  const refusedSockets = new WeakSet<Socket>();
  /** The response of a request whose body is still arriving, so that an idle timeout can answer 408. */
  const awaitingBody = new WeakMap<Socket, http.ServerResponse>();
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would stretch a short one).
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 2))),
    },
    (request, response) => {
      // Node still parses what a refused socket sent; none of it is acted on.
      if (refusedSockets.has(request.socket)) return void request.socket.destroy();
      busySockets.add(request.socket);
      response.on('close', () => busySockets.delete(request.socket));
      handleRequest(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { ok: false, error: { code: 'internal', message: String(error) } });
        else response.destroy();
      });
    },
  );

  server.on('connection', (socket: Socket) => {
    if (sockets.size >= limits.maxConnections) {
      refusedSockets.add(socket);
      socket.end(rawResponse(503, 'Service Unavailable', `Too many connections (at most ${limits.maxConnections}); try again.`));
      socket.on('error', () => {});
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Node's own per-socket idle timer; with a 'timeout' listener it hands the socket over instead of destroying it unanswered.
  server.setTimeout(limits.idleSocketTimeoutMs);
  server.on('timeout', (socket: Socket) => closeIdleSocket(socket));

  /**
   * No byte either way for idleSocketTimeoutMs. A body that stopped arriving gets 408; a socket
   * that never sent a byte gets a bare 408; an idle keep-alive socket just closes. A socket whose
   * request is being worked on (a long verification) is left alone: its answer is coming.
   */
  function closeIdleSocket(socket: Socket): void {
    const response = awaitingBody.get(socket);
    if (response !== undefined && !response.headersSent) {
      awaitingBody.delete(socket);
      response.setHeader('Connection', 'close');
      sendJson(response, 408, { ok: false, error: { code: 'invalid-input', message: `No data for ${limits.idleSocketTimeoutMs} ms: the request timed out.` } });
      response.on('finish', () => socket.destroy());
    } else if (socket.bytesRead === 0) {
      socket.end(rawResponse(408, 'Request Timeout', `No request within ${limits.idleSocketTimeoutMs} ms.`));
    } else if (busySockets.has(socket)) {
      return;
    } else {
      socket.destroy();
    }
  }
  /** Sockets whose request is being handled (body read, answer not yet sent). */
  const busySockets = new WeakSet<Socket>();

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

    const limit = bodyLimitFor(command);
    awaitingBody.set(request.socket, response);
    const body = await readBody(request, limit).finally(() => awaitingBody.delete(request.socket));
    // Answered 408 while the body was arriving, or the client went away.
    if (body === 'aborted' || response.headersSent) return;
    if (body === 'too-large') return refuseBody(request, response, command, limit);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : parseStrictJson(body, { maxBytes: limit });
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

/**
 * The request body; 'too-large' when it is larger than `maxBytes`, known from Content-Length
 * before a byte of it is read or found while it streams in (nothing beyond `maxBytes` is kept);
 * 'aborted' when the connection closed first.
 */
function readBody(request: http.IncomingMessage, maxBytes: number): Promise<Uint8Array | 'too-large' | 'aborted'> {
  const declared = request.headers['content-length'];
  const declaredBytes = declared === undefined ? null : Number(declared);
  if (declaredBytes !== null && declaredBytes > maxBytes) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    // With a declared length the body goes straight into one buffer of that size; otherwise into chunks.
    const whole = declaredBytes !== null ? Buffer.allocUnsafe(declaredBytes) : null;
    let chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes || (whole !== null && size > whole.length)) {
        request.off('data', onData);
        chunks = [];
        resolve('too-large');
      } else if (whole !== null) chunk.copy(whole, size - chunk.length);
      else chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(whole !== null ? whole.subarray(0, size) : Buffer.concat(chunks)));
    request.on('close', () => resolve('aborted')); // no effect once settled
    request.on('error', reject);
  });
}

/**
 * 413 with a JSON error, then the connection closes. A little more of the refused body is read
 * and dropped first, so that a client still sending can read the answer instead of a reset.
 */
function refuseBody(request: http.IncomingMessage, response: http.ServerResponse, command: string, limit: number): void {
  response.setHeader('Connection', 'close');
  sendJson(response, 413, { ok: false, error: { code: 'invalid-input', message: `Request too large: ${command} accepts at most ${limit} bytes.` } });
  let drained = 0;
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > REFUSED_BODY_DRAIN_BYTES) request.socket.destroy();
  });
  request.resume();
}

function rawResponse(status: number, reason: string, text: string): string {
  const body = Buffer.from(text, 'utf8');
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${text}`;
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function sendText(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from './web-host';
import { bodyLimitFor, DEFAULT_BODY_LIMIT_BYTES } from './request-limits';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');

let work: string;
let host: WebHost;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-web-'));
  const staticDir = path.join(work, 'renderer');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Countersign</title>');
  fs.writeFileSync(path.join(work, 'secret.txt'), 'outside the renderer');
  host = await startWebHost({ dataDir: path.join(work, 'profile'), demoBundlePath: demoBundle, staticDir });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(work, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so tests can send the Host and Origin headers an attacker would. */
function request(method: string, pathname: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, method, path: pathname, headers: { Host: `127.0.0.1:${host.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function invoke(command: string, input: unknown, headers: Record<string, string> = {}) {
  const reply = await request('POST', `/api/invoke/${command}`, {
    headers: { 'Content-Type': 'application/json', 'X-Countersign-Token': host.token, ...headers },
    body: JSON.stringify(input),
  });
  // eslint-disable-next-line no-restricted-syntax -- our own host's reply
  return { status: reply.status, result: reply.status === 200 ? JSON.parse(reply.body) : reply.body };
}

describe('loopback web host', () => {
  it('listens on 127.0.0.1 and puts a long random token in the URL fragment', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers commands only with the token', async () => {
    expect((await invoke('app.info', {}, { 'X-Countersign-Token': '' })).status).toBe(401);
    expect((await invoke('app.info', {}, { 'X-Countersign-Token': 'x'.repeat(43) })).status).toBe(401);
    const ok = await invoke('app.info', {});
    expect(ok.result).toMatchObject({ ok: true, value: { host: 'web', nativeDialogs: false, demoBundlePath: demoBundle } });
  });

  it('refuses other Host names (DNS rebinding) and other origins (cross-site requests)', async () => {
    expect((await invoke('app.info', {}, { Host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await invoke('app.info', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await invoke('app.info', {}, { Origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });

  it('accepts only JSON posts, so a plain HTML form on another site cannot send a command', async () => {
    expect((await invoke('app.info', {}, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await request('GET', '/api/invoke/app.info', { headers: { 'X-Countersign-Token': host.token } })).status).toBe(405);
  });

  it('validates input against the contract and names the problem', async () => {
    const { result } = await invoke('trust.unpin', { keyId: 'not a key id' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(result.error.message).toContain('keyId');
    const unknown = await invoke('keys.exportPrivate', {});
    expect(unknown.status).toBe(404);
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const index = await request('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).not.toMatch(/https?:/);
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/index.html%00']) {
      const reply = await request('GET', attempt);
      expect(reply.status, attempt).not.toBe(200);
      expect(reply.body).not.toContain('outside the renderer');
    }
  });

  it('opens a bundle, verifies it and streams hashing progress over server-sent events', async () => {
    const events: string[] = [];
    const stream = await new Promise<http.IncomingMessage>((resolve) => {
      http.get({ host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { Host: `127.0.0.1:${host.port}` } }, resolve);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => events.push(chunk));

    const { result } = await invoke('session.open', { path: demoBundle, jobId: 'job-1' });
    expect(result.ok).toBe(true);
    expect(result.value.report.verdict).toBe('untrusted');
    expect(result.value.report.counts).toMatchObject({ ok: 4, mismatched: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    stream.destroy();
    const progress = events.join('').split('\n\n').filter((frame) => frame.startsWith('event: job.progress'));
    expect(progress.length).toBeGreaterThan(0);
    // eslint-disable-next-line no-restricted-syntax -- our own host's event
    const last = JSON.parse(progress.at(-1)!.split('data: ')[1]!);
    expect(last).toMatchObject({ jobId: 'job-1', bytesDone: last.bytesTotal, filesDone: 4, filesTotal: 4 });

    const recent = await invoke('bundle.recent', {});
    expect(recent.result.value[0]).toMatchObject({ path: demoBundle, verdict: 'untrusted', release: 'fraud-detector@m92' });
  });

  it('pins a key only when the confirmed fingerprint is the key’s own', async () => {
    const { sessionId } = (await invoke('session.open', { path: demoBundle, verify: false })).result.value;
    const offered = (await invoke('trust.offeredKeys', { sessionId })).result.value;
    expect(offered).toHaveLength(1);
    const key = offered[0];
    const wrong = await invoke('trust.pin', { publicKey: key.publicKey, name: 'CI', confirmKeyId: 'SHA256:' + 'A'.repeat(43) });
    expect(wrong.result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await invoke('trust.keys', {})).result.value).toEqual([]);

    const pinned = await invoke('trust.pin', { publicKey: key.publicKey, name: 'training CI', confirmKeyId: key.keyId });
    expect(pinned.result).toMatchObject({ ok: true, value: { keyId: key.keyId, name: 'training CI' } });
    // The same session, judged again under the new trust, without opening the bundle again.
    const { result } = await invoke('session.report', { sessionId, jobId: 'job-2' });
    expect(result.value.verdict).toBe('verified');
  });

  it('keeps a dropped archive inside the profile whatever name it came with', async () => {
    const { result } = await invoke('bundle.importArchive', { fileName: '../../../evil.zip', base64: Buffer.from('PK\x05\x06' + '\0'.repeat(18)).toString('base64') });
    expect(result.ok).toBe(true);
    expect(path.dirname(result.value.path)).toBe(path.join(work, 'profile', 'imports'));
    expect(fs.existsSync(path.join(work, 'evil.zip'))).toBe(false);
    const notArchive = await invoke('bundle.importArchive', { fileName: 'notes.txt', base64: 'aGk=' });
    expect(notArchive.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('imports a board policy only after a preview whose digest the person confirmed', async () => {
    const text = fs.readFileSync(path.join(repoRoot, 'assets/demo/board.json'), 'utf8');
    const preview = (await invoke('trust.previewBoard', { text })).result;
    expect(preview.ok).toBe(true);
    expect(preview.value.changes[0]).toContain('becomes the trusted policy');
    expect(preview.value.next.members.map((m: { name: string }) => m.name)).toEqual(['Ada Byron', 'Alan Turing', 'Grace Hopper']);

    const stale = await invoke('trust.importBoard', { text, confirmDigest: '0'.repeat(64) });
    expect(stale.result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await invoke('trust.board', {})).result.value).toBeNull();

    const imported = await invoke('trust.importBoard', { text, confirmDigest: preview.value.next.digest });
    expect(imported.result).toMatchObject({ ok: true, value: { board: 'Responsible AI Review Board (demo)', digest: preview.value.next.digest } });

    const changed = text.replace('"approvalsRequired": 2', '"approvalsRequired": 3');
    const diff = (await invoke('trust.previewBoard', { text: changed })).result.value.changes;
    expect(diff).toEqual(['Approvals required: 2 → 3.']);

    const duplicate = await invoke('trust.previewBoard', { text: '{"board":"a","board":"b"}' });
    expect(duplicate.result).toMatchObject({ ok: false, error: { code: 'invalid-format' } });
    expect(duplicate.result.error.message).toMatch(/duplicate/);
  });

  it('closes even while a request is still arriving (as when an event stream reconnects during shutdown)', async () => {
    const other = await startWebHost({ dataDir: path.join(work, 'profile-2'), demoBundlePath: null, staticDir: path.join(work, 'renderer') });
    const pending = http.request({
      host: '127.0.0.1',
      port: other.port,
      method: 'POST',
      path: '/api/invoke/app.info',
      headers: { Host: `127.0.0.1:${other.port}`, 'Content-Type': 'application/json', 'Content-Length': '100', 'X-Countersign-Token': other.token },
    });
    pending.on('error', () => {});
    pending.write('{');
    await new Promise((resolve) => setTimeout(resolve, 200));
    let closed = false;
    await Promise.race([other.close().then(() => (closed = true)), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    pending.destroy();
    expect(closed).toBe(true);
  });

  it('imports a private key by the path of its file, read by the host: key text is refused, a relative path too', async () => {
    const keyFile = path.join(work, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ada@example', '-f', keyFile]);
    const keyText = fs.readFileSync(keyFile, 'utf8');

    const asText = await invoke('keys.import', { privateKey: keyText, name: 'Ada', passphrase: 'a long passphrase' });
    expect(asText.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const relative = await invoke('keys.import', { path: 'id_ed25519', name: 'Ada', passphrase: 'a long passphrase' });
    expect(relative.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(relative.result.error.message).toMatch(/full path/);
    expect((await invoke('keys.list', {})).result.value).toEqual([]);

    const facts = await invoke('keys.inspectKeyFile', { path: keyFile });
    expect(facts.result).toMatchObject({ ok: true, value: { protection: 'none', publicKey: expect.stringMatching(/^ssh-ed25519 AAAA\S+$/) } });
    const picked = await invoke('keys.pickKeyFile', {});
    expect(picked.result).toMatchObject({ ok: false, error: { code: 'unsupported' } });

    const imported = await invoke('keys.import', { path: keyFile, name: 'Ada', passphrase: 'a long passphrase' });
    expect(imported.result).toMatchObject({ ok: true, value: { keyId: facts.result.value.keyId, name: 'Ada', origin: 'imported' } });
    // The reply names the key; nothing of the private key comes back.
    expect(JSON.stringify(imported.result)).not.toContain(keyText.split('\n')[1]!.slice(0, 40));
  });

  it('answers an over-long body for a command with 413 and a JSON error, from Content-Length, before the body is sent', async () => {
    const declared = 350 * 1024 * 1024;
    const reply = await partialPost(host, 'app.info', { 'Content-Length': String(declared) }, Buffer.alloc(1024, 0x20));
    expect(reply.status).toBe(413);
    // eslint-disable-next-line no-restricted-syntax -- our own host's reply
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: `Request too large: app.info accepts at most ${DEFAULT_BODY_LIMIT_BYTES} bytes.` } });
    expect(reply.bytesSent).toBeLessThan(declared);

    const archive = await partialPost(host, 'bundle.importArchive', { 'Content-Length': String(bodyLimitFor('bundle.importArchive') + 1) }, Buffer.from('{"fileName":"a.zip","base64":"'));
    expect(archive.status).toBe(413);
  });

  it('answers 413 while a body without Content-Length streams past the command’s cap, keeping none of the rest', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const chunks = Math.ceil(DEFAULT_BODY_LIMIT_BYTES / chunk.length) + 1;
    const reply = await partialPost(host, 'trust.pin', { 'Transfer-Encoding': 'chunked' }, Buffer.concat(Array.from({ length: chunks }, () => chunk)));
    expect(reply.status).toBe(413);
    // eslint-disable-next-line no-restricted-syntax -- our own host's reply
    expect(JSON.parse(reply.body).error.message).toContain('trust.pin accepts at most');
  });

  describe('with small limits', () => {
    let limited: WebHost;
    beforeAll(async () => {
      limited = await startWebHost({
        dataDir: path.join(work, 'profile-limited'),
        demoBundlePath: null,
        staticDir: path.join(work, 'renderer'),
        limits: { idleSocketTimeoutMs: 300, maxConnections: 3 },
      });
    });
    afterAll(() => limited.close());

    it('closes a socket that never sends a byte after the idle timeout, saying 408', async () => {
      const { data, closed } = await rawSocket(limited.port, null);
      expect(closed).toBe(true);
      expect(data).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    });

    it('answers 408 when a body stops arriving', async () => {
      const request = `POST /api/invoke/app.info HTTP/1.1\r\nHost: 127.0.0.1:${limited.port}\r\nContent-Type: application/json\r\nX-Countersign-Token: ${limited.token}\r\nContent-Length: 100\r\n\r\n{`;
      const { data, closed } = await rawSocket(limited.port, request);
      expect(closed).toBe(true);
      expect(data).toMatch(/^HTTP\/1\.1 408 /);
      expect(data).toContain('"ok":false');
    });
  });

  it('refuses the connection over the cap with 503, and takes a new one once a socket is free', async () => {
    const capped = await startWebHost({ dataDir: path.join(work, 'profile-capped'), demoBundlePath: null, staticDir: path.join(work, 'renderer'), limits: { maxConnections: 2 } });
    const held: net.Socket[] = [];
    try {
      // Two keep-alive connections, each answered once, so the host has surely counted them.
      for (let i = 0; i < 2; i++) {
        const socket = net.connect(capped.port, '127.0.0.1');
        held.push(socket);
        await new Promise<void>((resolve) => {
          socket.once('data', () => resolve());
          socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\n\r\n`);
        });
      }
      const third = await rawSocket(capped.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\n\r\n`);
      expect(third.data).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(third.closed).toBe(true);

      held.pop()!.destroy();
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        const reply = await rawSocket(capped.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\nConnection: close\r\n\r\n`);
        status = Number(/^HTTP\/1\.1 (\d+)/.exec(reply.data)?.[1] ?? 0);
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
      await capped.close();
    }
  });
});

/** Bounds every wait on the host, so a host that never answers fails the test instead of hanging it. */
const GUARD_MS = 10_000;

/**
 * Sends the headers and `body` of a POST without ever finishing it (no end of the chunked body,
 * or fewer bytes than Content-Length), and resolves with the reply that arrives meanwhile.
 */
function partialPost(target: WebHost, command: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('no reply while the body was still unsent')), GUARD_MS);
    let bytesSent = 0;
    const req = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: 'POST',
        path: `/api/invoke/${command}`,
        headers: { Host: `127.0.0.1:${target.port}`, 'Content-Type': 'application/json', 'X-Countersign-Token': target.token, ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          clearTimeout(guard);
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: text, bytesSent });
        });
      },
    );
    req.on('error', () => {});
    req.write(body, () => (bytesSent += body.length));
  });
}

/** A raw TCP exchange: sends `text` (or nothing) and collects what comes back until the host closes. */
function rawSocket(port: number, text: string | null): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const guard = setTimeout(() => {
      socket.destroy();
      resolve({ data, closed: false });
    }, GUARD_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ data, closed: true });
    });
    if (text !== null) socket.write(text);
  });
}

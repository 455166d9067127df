import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from './web-host';

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

  it('verifies a bundle and streams hashing progress over server-sent events', async () => {
    const events: string[] = [];
    const stream = await new Promise<http.IncomingMessage>((resolve) => {
      http.get({ host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { Host: `127.0.0.1:${host.port}` } }, resolve);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => events.push(chunk));

    const { result } = await invoke('bundle.verify', { path: demoBundle, jobId: 'job-1' });
    expect(result.ok).toBe(true);
    expect(result.value.verdict).toBe('untrusted');
    expect(result.value.counts).toMatchObject({ ok: 4, mismatched: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    stream.destroy();
    const progress = events.join('').split('\n\n').filter((frame) => frame.startsWith('event: hash.progress'));
    expect(progress.length).toBeGreaterThan(0);
    // eslint-disable-next-line no-restricted-syntax -- our own host's event
    const last = JSON.parse(progress.at(-1)!.split('data: ')[1]!);
    expect(last).toMatchObject({ jobId: 'job-1', bytesDone: last.bytesTotal, filesDone: 4, filesTotal: 4 });

    const recent = await invoke('bundle.recent', {});
    expect(recent.result.value[0]).toMatchObject({ path: demoBundle, verdict: 'untrusted', release: 'fraud-detector@m92' });
  });

  it('pins a key only when the confirmed fingerprint is the key’s own', async () => {
    const offered = (await invoke('trust.offeredKeys', { path: demoBundle })).result.value;
    expect(offered).toHaveLength(1);
    const key = offered[0];
    const wrong = await invoke('trust.pin', { publicKey: key.publicKey, name: 'CI', confirmKeyId: 'SHA256:' + 'A'.repeat(43) });
    expect(wrong.result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await invoke('trust.keys', {})).result.value).toEqual([]);

    const pinned = await invoke('trust.pin', { publicKey: key.publicKey, name: 'training CI', confirmKeyId: key.keyId });
    expect(pinned.result).toMatchObject({ ok: true, value: { keyId: key.keyId, name: 'training CI' } });
    const { result } = await invoke('bundle.verify', { path: demoBundle, jobId: 'job-2' });
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
    expect(diff).toEqual(['Rule approvalsRequired: 2 → 3.']);

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
});

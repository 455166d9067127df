import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';

// The board over git's own protocol: `git daemon` on 127.0.0.1, started and stopped by the test.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoProducerKey = fs.readFileSync(path.join(demoBundle, 'keys/training-ci.pub'), 'utf8').trim();

let work: string;
let base: string;
let port: number;
let daemon: ChildProcess | null = null;
const profiles: Record<'ada' | 'alan', { dir: string; keyId: string; publicKey: string }> = {} as never;

function countersign(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_PASSPHRASE: 'correct horse' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Waits, a bounded number of times, until the port accepts connections. */
async function listening(onPort: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(onPort, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`git daemon did not listen on 127.0.0.1:${onPort}`);
}

/** git-daemon itself, not the `git` wrapper, which runs it as a child: its PID is the listener's, so killing it closes the port. */
const GIT_DAEMON = path.join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-daemon');

async function startDaemon(): Promise<void> {
  daemon = spawn(GIT_DAEMON, [ '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, '--enable=receive-pack', '--export-all', `--base-path=${base}`, base], { stdio: 'ignore' });
  await listening(port);
}

async function stopDaemon(): Promise<void> {
  const running = daemon;
  daemon = null;
  if (running?.pid === undefined || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  process.kill(running.pid, 'SIGKILL');
  await exited;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-board-daemon-'));
  base = path.join(work, 'served');
  fs.mkdirSync(base);
  execFileSync('git', ['init', '--quiet', '--bare', path.join(base, 'board.git')]);
  for (const id of ['ada', 'alan'] as const) {
    const dir = path.join(work, id);
    const generated = await countersign(['keys', 'generate', '--name', `${id}@laptop`, '--json', '--data-dir', dir]);
    expect(generated.code, generated.stderr).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const key = JSON.parse(generated.stdout) as { keyId: string; publicKey: string };
    profiles[id] = { dir, keyId: key.keyId, publicKey: key.publicKey };
  }
  port = await freePort();
  await startDaemon();
}, 120_000);
afterAll(async () => {
  await stopDaemon();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the board over git daemon on 127.0.0.1', () => {
  it('keeps the queue while the daemon is down, and converges once it is back', async () => {
    const remote = `git://127.0.0.1:${port}/board.git`;
    const boardFile = path.join(work, 'board.json');
    fs.writeFileSync(
      boardFile,
      JSON.stringify({
        board: 'Daemon Board',
        version: 1,
        members: [
          { name: 'Ada Byron', roles: ['risk'], keys: [profiles.ada.publicKey] },
          { name: 'Alan Turing', roles: ['privacy'], keys: [profiles.alan.publicKey] },
        ],
        producers: [{ name: 'training CI', keys: [demoProducerKey] }],
        revokedKeys: [],
        rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
      }),
    );
    const init = await countersign(['board', 'init', remote, '--board', boardFile, '--key', profiles.ada.keyId, '--data-dir', profiles.ada.dir]);
    expect(init.code, init.stderr + init.stdout).toBe(0);
    const clone = await countersign(['board', 'clone', remote, '--data-dir', profiles.alan.dir]);
    expect(clone.code, clone.stderr + clone.stdout).toBe(0);

    const bundle = path.join(work, 'bundle');
    fs.cpSync(demoBundle, bundle, { recursive: true });
    expect((await countersign(['board', 'publish', bundle, '--data-dir', profiles.ada.dir])).code).toBe(0);

    await stopDaemon();
    const offline = await countersign(['board', 'sync', '--json', '--data-dir', profiles.ada.dir]);
    expect(offline.code, offline.stderr).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const kept = JSON.parse(offline.stdout) as { outcome: string; status: { queue: string[] } };
    expect(kept.outcome).toBe('offline');
    expect(kept.status.queue.length).toBeGreaterThan(0);

    await startDaemon();
    const synced = await countersign(['board', 'sync', '--json', '--data-dir', profiles.ada.dir]);
    expect(synced.code, synced.stderr + synced.stdout).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    expect((JSON.parse(synced.stdout) as { status: { queue: string[] } }).status.queue).toEqual([]);

    const other = await countersign(['board', 'sync', '--json', '--data-dir', profiles.alan.dir]);
    expect(other.code, other.stderr + other.stdout).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const seen = JSON.parse(other.stdout) as { status: { releases: { name: string | null }[] } };
    expect(seen.status.releases.map((release) => release.name)).toEqual(['fraud-detector']);
  }, 300_000);
});

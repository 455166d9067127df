import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signEd25519 } from '../../../shared/crypto/ed25519';
import { sha256Hex } from '../../../shared/crypto/hash';
import { signedApproval, testKey } from '../../../shared/approvals/test-keys';
import { BoardService, type MemberSigner } from './board-service';

// The remote killed in the middle of a push: `git daemon` on 127.0.0.1 serves a bare repository
// whose pre-receive hook says it has started (a marker file) and then waits; the test kills the
// daemon's whole process group at that moment, so the push is cut off before the ref moves.

const encoder = new TextEncoder();
const ada = testKey('Ada Byron');
const alan = testKey('Alan Turing');
const POLICY = encoder.encode(
  JSON.stringify({
    board: 'Killed Push Board',
    version: 1,
    members: [
      { name: 'Ada Byron', roles: ['risk'], keys: [ada.openssh] },
      { name: 'Alan Turing', roles: ['privacy'], keys: [alan.openssh] },
    ],
    rules: { approvalsRequired: 2, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  }),
);
const GENESIS = sha256Hex(POLICY);
const MANIFEST = sha256Hex(encoder.encode('a manifest pushed while the remote dies'));
/** git-daemon itself, not the `git` wrapper: its process group holds every receive-pack and hook it starts. */
const GIT_DAEMON = join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-daemon');

let scratch: string | null = null;
let daemon: ChildProcess | null = null;

afterEach(async () => {
  await stopDaemon();
  if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
});

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

/** Waits, a bounded number of times, for `ready`. */
async function waitFor(what: string, ready: () => boolean | Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startDaemon(base: string, port: number): Promise<void> {
  // Its own process group (detached), so that killing the group takes the receive-pack and the hook with it.
  daemon = spawn(GIT_DAEMON, ['--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, '--enable=receive-pack', '--export-all', `--base-path=${base}`, base], { stdio: 'ignore', detached: true });
  await waitFor(`git daemon on 127.0.0.1:${port}`, () => accepting(port));
}

async function stopDaemon(): Promise<void> {
  const running = daemon;
  daemon = null;
  if (running?.pid === undefined || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  process.kill(-running.pid, 'SIGKILL');
  await exited;
}

function signerOf(key: typeof ada): MemberSigner {
  return { keyId: key.keyId, publicKey: key.publicKey, sign: async (message) => signEd25519(message, key.seed) };
}

function servedFiles(repo: string): string[] {
  return execFileSync('git', ['--git-dir', repo, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('the remote killed in the middle of a push', () => {
  it('reports the cut-off push, keeps the queue, accepts nothing of it, and converges once the remote is back', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'countersign-board-killed-push-'));
    const base = join(scratch, 'served');
    const repo = join(base, 'board.git');
    mkdirSync(base);
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo]);
    const port = await freePort();
    const remote = `git://127.0.0.1:${port}/board.git`;
    await startDaemon(base, port);

    const adaService = new BoardService({ dataDir: join(scratch, 'ada'), maxAttempts: 2 });
    expect((await adaService.init(remote, POLICY, signerOf(ada))).outcome).toBe('synced');
    const headBefore = execFileSync('git', ['--git-dir', repo, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();

    // From now on a push announces itself and then hangs, until the test kills the daemon.
    const marker = join(scratch, 'push-started');
    const hook = join(repo, 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\ncat >/dev/null\n: > '${marker}'\nexec sleep 120\n`);
    chmodSync(hook, 0o755);

    const approval = signedApproval([ada], { manifestDigest: MANIFEST, policyDigest: GENESIS });
    const queued = await adaService.queueApproval(MANIFEST, approval);
    const syncing = adaService.sync(signerOf(ada));
    await waitFor('the push to reach the pre-receive hook', () => existsSync(marker));
    await stopDaemon();
    const cut = await syncing;

    expect(cut.outcome).toBe('offline');
    expect(cut.detail).toMatch(/^The push to git:\/\/127\.0\.0\.1:\d+\/board\.git was cut off before the remote took it/);
    expect(cut.detail).toMatch(/1 object waits in the queue; nothing is lost/);
    expect(cut.queued).toBe(1);
    const afterCut = await adaService.status();
    expect(afterCut.queue).toEqual([queued]);
    // Nothing of the cut-off commit was accepted here, and the remote's branch did not move.
    const served = servedFiles(repo);
    expect(afterCut.board.accepted.has(queued)).toBe(false);
    expect([...afterCut.board.accepted.keys()].filter((path) => !served.includes(path))).toEqual([]);
    expect(execFileSync('git', ['--git-dir', repo, 'rev-parse', 'main'], { encoding: 'utf8' }).trim()).toBe(headBefore);
    expect(servedFiles(repo)).not.toContain(queued);

    rmSync(hook);
    await startDaemon(base, port);
    const again = await adaService.sync(signerOf(ada));
    expect(again).toMatchObject({ outcome: 'synced', problems: [], queued: 0, detail: null });
    expect(servedFiles(repo)).toContain(queued);
    expect((await adaService.status()).queue).toEqual([]);

    // Another member sees the approval the cut-off push carried, and nothing wrong with the board.
    const alanService = new BoardService({ dataDir: join(scratch, 'alan') });
    const cloned = await alanService.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [alan.keyId]);
    expect(cloned.sync.problems).toEqual([]);
    expect((await alanService.status()).board.approvals.get(MANIFEST)?.map((a) => a.path)).toEqual([queued]);
  }, 120_000);
});

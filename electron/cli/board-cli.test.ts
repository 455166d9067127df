import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';

// Three reviewers on three "machines" (data directories) sharing one board through a bare git
// repository over file://, driven through the built CLI as users run it.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoProducerKey = fs.readFileSync(path.join(demoBundle, 'keys/training-ci.pub'), 'utf8').trim();

type Id = 'ada' | 'alan' | 'grace';
interface Reviewer {
  profile: string;
  keyId: string;
  publicKey: string;
}
const reviewers = {} as Record<Id, Reviewer>;
let work: string;
let remote: string;
let genesis: string;

function countersign(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'default-profile'), COUNTERSIGN_PASSPHRASE: 'correct horse' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
const as = (who: Id, ...args: string[]) => countersign([...args, '--data-dir', reviewers[who].profile]);

async function ok(run: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const result = await run;
  expect(result.code, result.stderr + result.stdout).toBe(0);
  return result.stdout;
}

function bundleCopy(label: string): string {
  const copy = path.join(work, `${label}-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, copy, { recursive: true });
  return copy;
}

function policyText(version: number, extraRules: object = {}): string {
  const members: [Id, string, string[]][] = [
    ['ada', 'Ada Byron', ['risk']],
    ['alan', 'Alan Turing', ['privacy']],
    ['grace', 'Grace Hopper', ['risk', 'privacy']],
  ];
  return JSON.stringify(
    {
      board: 'Fraud Review Board',
      version,
      members: members.map(([id, name, roles]) => ({ name, roles, keys: [reviewers[id].publicKey] })),
      producers: [{ name: 'training CI', keys: [demoProducerKey] }],
      revokedKeys: [],
      rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90, ...extraRules },
    },
    null,
    2,
  );
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-board-cli-'));
  await Promise.all(
    (['ada', 'alan', 'grace'] as const).map(async (id) => {
      const profile = path.join(work, id);
      reviewers[id] = { profile, keyId: '', publicKey: '' };
      const generated = await ok(as(id, 'keys', 'generate', '--name', `${id}@laptop`, '--json'));
      // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
      const key = JSON.parse(generated) as { keyId: string; publicKey: string };
      reviewers[id] = { profile, keyId: key.keyId, publicKey: key.publicKey };
    }),
  );
  const bare = path.join(work, 'board.git');
  execFileSync('git', ['init', '--quiet', '--bare', bare]);
  remote = `file://${bare}`;
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the board across machines, through the CLI', () => {
  it('creates a board and sets two more machines up on it, pinned by --genesis or on first use', async () => {
    const boardFile = path.join(work, 'board-v1.json');
    fs.writeFileSync(boardFile, policyText(1));
    genesis = createHash('sha256').update(fs.readFileSync(boardFile)).digest('hex');

    const created = await ok(as('ada', 'board', 'init', remote, '--board', boardFile, '--key', reviewers.ada.keyId));
    expect(created).toContain(`sha256:${genesis}`);

    const [pinned, firstUse] = await Promise.all([ok(as('alan', 'board', 'clone', remote, '--genesis', `sha256:${genesis}`)), ok(as('grace', 'board', 'clone', remote))]);
    expect(pinned).toContain('Pinned by --genesis');
    expect(firstUse).toContain('Trusted on first use');
    expect(firstUse).toContain(`sha256:${genesis}`);
    expect(firstUse).toContain('This machine publishes as Grace Hopper');

    const wrongPin = await countersign(['board', 'clone', remote, '--genesis', `sha256:${'0'.repeat(64)}`, '--data-dir', path.join(work, 'stranger')]);
    expect(wrongPin.code).not.toBe(0);
    expect(fs.existsSync(path.join(work, 'stranger', 'board', 'settings.json'))).toBe(false);
  }, 180_000);

  it('carries approvals queued on two machines to a third, where the release is approved', async () => {
    const published = bundleCopy('published');
    await ok(as('ada', 'board', 'publish', published));
    await ok(as('ada', 'board', 'sync'));

    const queued = await ok(as('alan', 'approve', bundleCopy('alan'), '--key', reviewers.alan.keyId, '--decision', 'approve', '--role', 'privacy', '--board-repo'));
    expect(queued).toContain('Queued for the board');
    const waiting = await ok(as('alan', 'board', 'status', '--json'));
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    expect((JSON.parse(waiting) as { queue: string[] }).queue).toHaveLength(1);
    await ok(as('alan', 'board', 'sync'));
    await ok(as('grace', 'approve', bundleCopy('grace'), '--key', reviewers.grace.keyId, '--decision', 'approve', '--role', 'risk', '--board-repo'));
    await ok(as('grace', 'board', 'sync'));

    // Ada's own copy of the bundle carries no approval file: the decisions come from the board.
    await ok(as('ada', 'board', 'sync'));
    const status = await as('ada', 'status', bundleCopy('ada'), '--board-repo');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^APPROVED/);
    expect(status.stdout).toContain('Alan Turing approves as privacy');
    expect(status.stdout).toContain('Grace Hopper approves as risk');

    const withoutBoard = await as('ada', 'status', bundleCopy('ada-plain'), '--board', path.join(work, 'board-v1.json'));
    expect(withoutBoard.code).toBe(1);

    const deployable = await as('ada', 'diff', bundleCopy('ada-diff'), '--board-repo', '--max-age', '7d');
    expect(deployable.code, deployable.stdout + deployable.stderr).toBe(0);
    // Past --max-age since the last sync, the answer may miss newer decisions: blocked, and said.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const stale = await as('ada', 'status', bundleCopy('ada-stale'), '--board-repo', '--max-age', '1s');
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('older than --max-age');
    expect((await as('ada', 'diff', bundleCopy('ada-usage'), '--max-age', '1h')).code).toBe(2);
  }, 300_000);

  it('names in its human output what a sync found on the remote: an approval the host deleted, restored', async () => {
    const clone = path.join(work, `host-${Math.random().toString(36).slice(2)}`);
    const git = (...args: string[]) => execFileSync('git', ['-C', clone, '-c', 'user.name=host', '-c', 'user.email=host@example.invalid', ...args], { encoding: 'utf8' });
    execFileSync('git', ['clone', '--quiet', '--branch', 'main', remote, clone]);
    const approval = git('ls-files', 'approvals').split('\n').find((file) => file.endsWith('.dsse.json'));
    expect(approval).toBeDefined();
    git('rm', '--quiet', approval!);
    git('commit', '--quiet', '-m', 'tidy up');
    git('push', '--quiet', 'origin', 'HEAD:main');

    const synced = await as('ada', 'board', 'sync');
    expect(synced.code, synced.stderr).toBe(1);
    expect(synced.stdout).toContain('Synced, with problems');
    expect(synced.stdout).toMatch(/Problems:\n {2}- .*missing on the remote/);
    expect(await ok(as('grace', 'board', 'sync'))).not.toContain('missing on the remote');
  }, 120_000);

  it('verifies the board from its remote alone, and refuses it under a wrong genesis', async () => {
    const verified = await countersign(['board', 'verify', remote, '--genesis', `sha256:${genesis}`, '--witnesses', '1']);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^VERIFIED/);
    const wrong = await countersign(['board', 'verify', remote, '--genesis', `sha256:${'0'.repeat(64)}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('not the one pinned');
  }, 120_000);

  it('re-opens the release with a notice against its lineage, showing the hostile reason neutralised', async () => {
    const hostileReason = 'deletion request\u202e covers Q1\u001b[31m\u0007';
    await ok(as('alan', 'board', 'notice', '--node', 'transactions_q1', '--reason', hostileReason));
    await ok(as('alan', 'board', 'sync'));
    const synced = await ok(as('ada', 'board', 'sync'));
    expect(synced).toContain('re-opened by 1 notice');
    expect(synced).toContain('deletion request');
    for (const raw of ['\u202e', '\u001b', '\u0007']) expect(synced).not.toContain(raw);

    const status = await as('ada', 'status', bundleCopy('ada-reopened'), '--board-repo');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^NOT APPROVED/);
    for (const raw of ['\u202e', '\u001b', '\u0007']) expect(status.stdout).not.toContain(raw);

    const blocked = await as('ada', 'diff', bundleCopy('ada-diff-reopened'), '--board-repo');
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('Re-opened by a notice of Alan Turing');
    for (const raw of ['\u202e', '\u001b', '\u0007']) expect(blocked.stdout).not.toContain(raw);

    const badAge = await as('ada', 'status', bundleCopy('ada-bad-age'), '--board-repo', '--max-age', 'x');
    expect(badAge.code).toBe(2);
  }, 240_000);

  it('rotates the policy once a quorum endorses it, and spreads a self-revocation', async () => {
    const next = path.join(work, 'board-v2.json');
    fs.writeFileSync(next, policyText(2, { policyQuorum: 2 }));
    const nextDigest = createHash('sha256').update(fs.readFileSync(next)).digest('hex');
    await ok(as('ada', 'board', 'propose', next));
    await ok(as('ada', 'board', 'sync'));
    // A proposal short of its quorum is pending, not a problem, and the parent stays in force.
    const before = await ok(as('alan', 'board', 'sync', '--json'));
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const pending = JSON.parse(before) as { problems: { code: string }[]; status: { chain: unknown[]; pending: { version: number; endorsedBy: string[]; needed: number }[] } };
    expect(pending.problems).toEqual([]);
    expect(pending.status.chain).toHaveLength(1);
    expect(pending.status.pending).toEqual([expect.objectContaining({ version: 2, endorsedBy: ['Ada Byron'], needed: 2 })]);
    await ok(as('alan', 'board', 'endorse', `sha256:${nextDigest}`));
    const after = await ok(as('alan', 'board', 'sync', '--json'));
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const chain = (JSON.parse(after) as { status: { chain: { version: number; digest: string; endorsedBy: string[] }[] } }).status.chain;
    expect(chain.map((link) => link.version)).toEqual([1, 2]);
    expect(chain[1]?.digest).toBe(nextDigest);
    expect(chain[1]?.endorsedBy.sort()).toEqual(['Ada Byron', 'Alan Turing']);

    await ok(as('grace', 'board', 'revoke', '--self', '--reason', 'laptop stolen'));
    await ok(as('grace', 'board', 'sync'));
    const seen = await ok(as('ada', 'board', 'sync', '--json'));
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const revoked = (JSON.parse(seen) as { status: { revoked: { keyId: string }[] } }).status.revoked;
    expect(revoked.map((entry) => entry.keyId)).toEqual([reviewers.grace.keyId]);
  }, 300_000);
});

import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { demoBundle, expect, makeTempDir, repoRoot, startHost, stopHost, test } from './web-host';

// Two reviewers of the demo board on two "machines" (data directories) share the board through a
// bare git repository over file://, set up with the CLI as users do; the app is then opened on
// Ada's machine and read as a person would: the Board view, Sync now offline and back, a
// decision deleted on the remote and restored, and Home's inbox.

const cli = path.join(repoRoot, 'electron', 'cli', 'countersign.mjs');
const demoDir = path.join(repoRoot, 'assets', 'demo');
const boardFile = path.join(demoDir, 'board.json');
const PASSPHRASE = 'board e2e passphrase';
const RELEASE = 'fraud-detector@m92';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function countersign(dataDir: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args, '--data-dir', dataDir],
      { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_PASSPHRASE: PASSPHRASE }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });
}

async function ok(dataDir: string, ...args: string[]): Promise<string> {
  const result = await countersign(dataDir, args);
  expect(result.code, `countersign ${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

async function importKey(dataDir: string, reviewer: 'ada' | 'alan', name: string): Promise<string> {
  const imported = await ok(dataDir, 'keys', 'import', path.join(demoDir, 'reviewers', `${reviewer}.key`), '--name', name, '--json');
  // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
  return (JSON.parse(imported) as { keyId: string }).keyId;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Host Admin', '-c', 'user.email=admin@example.org', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
}

function bundleCopy(workDir: string, label: string): string {
  const copy = path.join(workDir, label);
  fs.cpSync(demoBundle, copy, { recursive: true });
  return copy;
}

async function navigate(page: Page, view: string): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true });
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'page');
}

async function attach(testInfo: TestInfo, name: string, page: Page): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

test('the Board view and the Home inbox read a board shared through git, offline and with a hostile host', async ({ browser }, testInfo) => {
  // Eight CLI runs and three syncs: 2 min on two busy cores (load 15); the bound leaves room.
  test.setTimeout(180_000);
  const workDir = makeTempDir('board');
  try {
    const bare = path.join(workDir, 'board.git');
    const away = path.join(workDir, 'board-moved-away.git');
    const remote = `file://${bare}`;
    const ada = path.join(workDir, 'ada');
    const alan = path.join(workDir, 'alan');
    execFileSync('git', ['init', '--quiet', '--bare', bare]);
    const genesis = createHash('sha256').update(fs.readFileSync(boardFile)).digest('hex');

    // Ada creates the board and publishes the demo release; Alan joins, pinned by the digest, and rejects it.
    const [adaKey, alanKey] = await Promise.all([importKey(ada, 'ada', 'Ada Byron'), importKey(alan, 'alan', 'Alan Turing')]);
    await ok(ada, 'board', 'init', remote, '--board', boardFile, '--key', adaKey);
    // The two machines push at the same time; the board converges (a lost push is retried).
    await Promise.all([
      (async () => {
        await ok(ada, 'board', 'publish', bundleCopy(workDir, 'published'));
        await ok(ada, 'board', 'sync');
      })(),
      (async () => {
        await ok(alan, 'board', 'clone', remote, '--genesis', `sha256:${genesis}`);
        await ok(alan, 'approve', bundleCopy(workDir, 'alan-copy'), '--key', alanKey, '--decision', 'reject', '--role', 'privacy', '--comment', 'privacy review pending', '--board-repo');
        await ok(alan, 'board', 'sync');
      })(),
    ]);
    // Ada takes in Alan's rejection and cosigns his log head; Alan then cosigns hers.
    await ok(ada, 'board', 'sync');
    await ok(alan, 'board', 'sync');

    const host = await startHost(ada);
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(host.url);
      await page.getByRole('button', { name: 'Not now' }).click();

      // Home: the release on the board waits for Ada, with the board's answer.
      const inbox = page.getByRole('list', { name: 'Releases awaiting your decision' });
      const item = inbox.getByRole('listitem').filter({ hasText: RELEASE });
      await expect(item).toContainText("Blocked by Alan Turing's rejection");
      await attach(testInfo, 'home-inbox', page);
      // The release opens from the board's copy of it (its manifest and lineage, as published).
      await item.getByRole('button', { name: RELEASE }).click();
      await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Bundle', exact: true })).toHaveAttribute('aria-current', 'page');
      await expect(page.getByRole('status', { name: 'Verdict' })).toBeVisible();

      // The Board view: the remote, the chain and who endorsed it, one row per member log.
      await navigate(page, 'Board');
      await expect(page.getByRole('heading', { level: 1, name: 'Board' })).toBeVisible();
      await expect(page.getByText(remote, { exact: true })).toBeVisible();
      await expect(page.getByRole('status', { name: 'Last sync' })).toContainText(/Synced (just now|\d+ min ago)/);
      await expect(page.getByRole('list', { name: 'Policy chain' }).getByRole('listitem')).toHaveText([/Version 1 \(in force\): the first policy, pinned/]);
      const logs = page.getByRole('table', { name: 'Member logs' });
      await expect(logs.getByRole('row', { name: /^Alan Turing / })).toContainText('Ada Byron');
      await expect(logs.getByRole('row', { name: /^Alan Turing / })).toContainText(/last cosigned (just now|\d+ min ago)/);
      await expect(logs.getByRole('row', { name: /^Ada Byron / })).toContainText(/^Ada Byron\d+/);

      // Offline: the remote is unreachable; Ada's approval waits in the queue and Sync now says so.
      fs.renameSync(bare, away);
      await ok(ada, 'approve', bundleCopy(workDir, 'ada-copy'), '--key', adaKey, '--decision', 'approve', '--role', 'risk', '--board-repo');
      const syncNow = page.getByRole('button', { name: 'Sync now' });
      await syncNow.click();
      await expect(page.getByRole('status', { name: 'Sync outcome' })).toContainText('Offline: the remote cannot be reached');
      await expect(page.getByRole('status', { name: 'Queue' })).toHaveText('1 approval waiting: offline');
      await attach(testInfo, 'board-offline', page);

      // Back online: Sync now pushes the queue.
      fs.renameSync(away, bare);
      await syncNow.click();
      await expect(page.getByRole('status', { name: 'Sync outcome' })).toContainText(/^Synced/);
      await expect(page.getByRole('status', { name: 'Queue' })).toHaveText('Nothing waiting to be pushed.');
      // The sync also brought Alan's cosignature of Ada's log head.
      await expect(logs.getByRole('row', { name: /^Ada Byron / })).toContainText('Alan Turing');
      const onRemote = git(workDir, '--git-dir', bare, 'ls-tree', '-r', '--name-only', 'refs/heads/main');
      expect(onRemote.split('\n').filter((line) => line.startsWith('approvals/'))).toHaveLength(2);

      // The host deletes Alan's rejection: Sync now names it in plain words and puts it back.
      const hostile = path.join(workDir, 'host-clone');
      git(workDir, 'clone', '--quiet', '--branch', 'main', remote, hostile);
      const rejection = onRemote
        .split('\n')
        .filter((line) => line.startsWith('approvals/'))
        .find((line) => {
          // eslint-disable-next-line no-restricted-syntax -- a file this test's own CLI wrote
          const envelope = JSON.parse(fs.readFileSync(path.join(hostile, line), 'utf8')) as { payload: string };
          // eslint-disable-next-line no-restricted-syntax -- the same file's payload
          return (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { decision: string } }).predicate.decision === 'reject';
        });
      expect(rejection).toBeDefined();
      git(hostile, 'rm', '--quiet', rejection!);
      git(hostile, 'commit', '--quiet', '-m', 'tidy up');
      git(hostile, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');

      await syncNow.click();
      const problems = page.getByRole('list', { name: 'Board problems' });
      await expect(problems).toContainText(`Alan Turing's rejection of ${RELEASE} is missing on the remote; restored from this computer.`);
      expect(git(workDir, '--git-dir', bare, 'ls-tree', '-r', '--name-only', 'refs/heads/main')).toContain(rejection!);
      await attach(testInfo, 'board-restored', page);

      // Ada decided: the release has left her inbox.
      await navigate(page, 'Home');
      await expect(page.getByRole('heading', { name: 'Awaiting your decision' })).toBeVisible();
      await expect(page.getByText('Nothing on the board waits for your decision.')).toBeVisible();
    } finally {
      await stopHost(host);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});

test('a data directory without a board says how to set one up, and joins one pinned by its genesis digest', async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const workDir = makeTempDir('board-join');
  try {
    const bare = path.join(workDir, 'board.git');
    const remote = `file://${bare}`;
    const ada = path.join(workDir, 'ada');
    execFileSync('git', ['init', '--quiet', '--bare', bare]);
    const genesis = createHash('sha256').update(fs.readFileSync(boardFile)).digest('hex');
    await ok(ada, 'board', 'init', remote, '--board', boardFile, '--key', await importKey(ada, 'ada', 'Ada Byron'));

    const host = await startHost(path.join(workDir, 'newcomer'));
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(host.url);
      await page.getByRole('button', { name: 'Not now' }).click();
      // No board: Home has no inbox, and the Board view says how to set one up.
      await expect(page.getByRole('heading', { name: 'Recent bundles' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Awaiting your decision' })).toHaveCount(0);
      await navigate(page, 'Board');
      await expect(page.getByRole('heading', { name: 'No board is set up here' })).toBeVisible();
      await expect(page.getByText('countersign board clone <remote> --genesis sha256:<digest>')).toBeVisible();

      const form = page.getByRole('form', { name: 'Join a board' });
      await form.getByLabel('Remote').fill(remote);
      await form.getByLabel('Genesis digest (from a member)').fill('sha256:1234');
      await form.getByRole('button', { name: 'Join the board' }).click();
      await expect(page.getByRole('alert')).toContainText('64 hex digits');

      // A digest that is not this board's first policy: refused, and nothing is kept.
      await form.getByLabel('Genesis digest (from a member)').fill(`sha256:${'0'.repeat(64)}`);
      await form.getByRole('button', { name: 'Join the board' }).click();
      await expect(page.getByRole('alert')).toContainText('Not joined');
      expect(fs.existsSync(path.join(workDir, 'newcomer', 'board'))).toBe(false);

      await form.getByLabel('Genesis digest (from a member)').fill(`sha256:${genesis}`);
      await form.getByRole('button', { name: 'Join the board' }).click();
      await expect(page.getByRole('heading', { name: 'Remote and sync' })).toBeVisible();
      await expect(page.getByText(`sha256:${genesis}`, { exact: true })).toBeVisible();
      await expect(page.getByText('by the digest a member gave')).toBeVisible();
      await expect(page.getByText('Holds no member key of this board')).toBeVisible();
      await attach(testInfo, 'board-joined', page);
    } finally {
      await stopHost(host);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});

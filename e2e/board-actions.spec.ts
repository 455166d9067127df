import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { demoBundle, expect, makeTempDir, repoRoot, startHost, stopHost, test } from './web-host';

// Alan acts on a board shared through a bare git repository, in the app: he publishes the demo
// release to the board, decides on it for the board, endorses a proposed policy and posts a notice. Ada's CLI, on another data
// directory, sees what he did after her sync. Neither imported a policy in Trust.

const cli = path.join(repoRoot, 'electron', 'cli', 'countersign.mjs');
const demoDir = path.join(repoRoot, 'assets', 'demo');
const boardFile = path.join(demoDir, 'board.json');
const PASSPHRASE = 'board actions e2e passphrase';
const RELEASE = 'fraud-detector@m92';

function countersign(dataDir: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args, '--data-dir', dataDir], { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_PASSPHRASE: PASSPHRASE }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: `${stdout}${stderr}` }),
    );
  });
}

async function ok(dataDir: string, ...args: string[]): Promise<string> {
  const result = await countersign(dataDir, args);
  expect(result.code, `countersign ${args.join(' ')}\n${result.output}`).toBe(0);
  return result.output;
}

interface BoardStatusJson {
  chain: { version: number }[];
  decisions: { reviewer: string; decision: string }[];
}

async function boardStatus(dataDir: string): Promise<BoardStatusJson> {
  // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
  return JSON.parse(await ok(dataDir, 'board', 'status', '--json')) as BoardStatusJson;
}

async function importKey(dataDir: string, reviewer: 'ada' | 'alan', name: string): Promise<string> {
  // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
  return (JSON.parse(await ok(dataDir, 'keys', 'import', path.join(demoDir, 'reviewers', `${reviewer}.key`), '--name', name, '--json')) as { keyId: string }).keyId;
}

async function navigate(page: Page, view: string): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true });
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'page');
}

async function attach(testInfo: TestInfo, name: string, page: Page): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

test('a reviewer decides, endorses and posts a notice on the board from the app', async ({ browser }, testInfo) => {
  // Seven CLI runs and four syncs on two busy cores; the bound leaves room.
  test.setTimeout(180_000);
  const workDir = makeTempDir('board-actions');
  try {
    const bare = path.join(workDir, 'board.git');
    const remote = `file://${bare}`;
    const ada = path.join(workDir, 'ada');
    const alan = path.join(workDir, 'alan');
    execFileSync('git', ['init', '--quiet', '--bare', bare]);
    const genesis = createHash('sha256').update(fs.readFileSync(boardFile)).digest('hex');
    const bundle = path.join(workDir, 'alan-copy');
    fs.cpSync(demoBundle, bundle, { recursive: true });

    const [adaKey] = await Promise.all([importKey(ada, 'ada', 'Ada Byron'), importKey(alan, 'alan', 'Alan Turing')]);
    await ok(ada, 'board', 'init', remote, '--board', boardFile, '--key', adaKey);
    await ok(alan, 'board', 'clone', remote, '--genesis', `sha256:${genesis}`);

    const host = await startHost(alan);
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(host.url);
      await page.getByRole('button', { name: 'Not now' }).click();

      // The Bundle view judges the release under the board and decides for it.
      await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundle);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      const onBoard = page.getByRole('region', { name: 'On the board' });
      // Not on the board yet: Alan puts it up for review, and Sync now shares it.
      await onBoard.getByRole('button', { name: 'Publish to the board' }).click();
      const published = onBoard.getByRole('status', { name: 'Queued for the board' });
      await expect(published).toContainText('Queued for the board: Sync now to share it.');
      await published.getByRole('button', { name: 'Sync now' }).click();
      await expect(onBoard).toContainText("Judged under the board's policy in force");
      await expect(onBoard.getByRole('status', { name: 'Board decision' })).toContainText('0 of 2');
      await onBoard.getByRole('button', { name: 'Approve for the board…' }).click();
      // The member key is locked: the passphrase is asked for, then the decision is signed.
      await page.getByRole('button', { name: 'Sign approval' }).click();
      await page.getByLabel('Passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      const queued = onBoard.getByRole('status', { name: 'Queued for the board' });
      await expect(queued).toContainText('Queued for the board: Sync now to share it.');
      await attach(testInfo, 'decision-queued', page);
      await queued.getByRole('button', { name: 'Sync now' }).click();
      await expect(queued).toContainText(/^Synced: \d+ published/);

      await ok(ada, 'board', 'sync');
      expect((await boardStatus(ada)).decisions).toEqual([expect.objectContaining({ reviewer: 'Alan Turing', decision: 'approve' })]);

      // Ada proposes version 2; Alan endorses it in the Board view, the digest before him.
      const next = path.join(workDir, 'board-v2.json');
      // eslint-disable-next-line no-restricted-syntax -- the demo's own policy file
      fs.writeFileSync(next, JSON.stringify({ ...(JSON.parse(fs.readFileSync(boardFile, 'utf8')) as object), version: 2 }));
      const nextDigest = createHash('sha256').update(fs.readFileSync(next)).digest('hex');
      await ok(ada, 'board', 'propose', next);
      await ok(ada, 'board', 'sync');
      await navigate(page, 'Board');
      const syncNow = page.getByRole('button', { name: 'Sync now' });
      await syncNow.click();
      await expect(page.getByRole('status', { name: 'Sync outcome' })).toContainText(/^Synced/);
      await page.getByRole('button', { name: 'Endorse version 2…' }).click();
      const endorse = page.getByRole('dialog', { name: 'Endorse version 2' });
      await expect(endorse).toContainText(`sha256:${nextDigest}`);
      await endorse.getByRole('button', { name: 'Sign endorsement' }).click();
      await expect(page.getByRole('status', { name: 'Board action' })).toHaveText('You endorsed version 2. Queued for the board: Sync now to share it.');

      // Revoking the key says it cannot be undone; Alan thinks again.
      await page.getByRole('button', { name: 'Revoke my key…' }).click();
      const revoke = page.getByRole('dialog', { name: 'Revoke my key' });
      await expect(revoke).toContainText('This cannot be undone.');
      await revoke.getByRole('button', { name: 'Cancel' }).click();

      // A notice: a malformed digest is refused in plain words; a lineage node is signed.
      await page.getByRole('button', { name: 'Post a notice…' }).click();
      const notice = page.getByRole('dialog', { name: 'Post a notice' });
      await notice.getByLabel('Lineage node ID or sha256 digest').fill('sha256:abc');
      await notice.getByLabel('Reason').fill('Deletion request covers raw transactions Q1');
      await expect(notice).toContainText('A sha256 digest is "sha256:" and 64 hex digits');
      await expect(notice.getByRole('button', { name: 'Sign notice' })).toBeDisabled();
      await notice.getByLabel('Lineage node ID or sha256 digest').fill('transactions_q1');
      await notice.getByRole('button', { name: 'Sign notice' }).click();
      await expect(page.getByRole('status', { name: 'Board action' })).toHaveText('Your notice is signed. Queued for the board: Sync now to share it.');
      await syncNow.click();
      await expect(page.getByRole('status', { name: 'Queue' })).toHaveText('Nothing waiting to be pushed.');
      await attach(testInfo, 'board-acted', page);

      // The notice re-opened Alan's decision: the release is back in his inbox.
      await navigate(page, 'Home');
      const item = page.getByRole('list', { name: 'Releases awaiting your decision' }).getByRole('listitem').filter({ hasText: RELEASE });
      await expect(item).toContainText('Re-opened');

      await ok(ada, 'board', 'sync');
      expect((await boardStatus(ada)).chain.map((link) => link.version)).toEqual([1, 2]);
    } finally {
      await stopHost(host);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { serializeEnvelope, signEnvelope } from '../shared/crypto/dsse';
import { parseStrictJson } from '../shared/json/strict-json';
import { IN_TOTO_PAYLOAD_TYPE } from '../shared/verify/check-manifest';
import { demoBundle, expect, repoRoot, test } from './web-host';

// The review screen as a board member meets it: the board's answer first, the next step beside it,
// the release summary, a comparison with another release, and a page that prints as a record.

const demoDir = path.join(repoRoot, 'assets', 'demo');
const MODEL = 'artifacts/model/fraud-m92.onnx';
const DATASET = 'data/transactions-q1.parquet';
const ALAN = { name: 'Alan Turing', keyFile: path.join(demoDir, 'reviewers', 'alan.key'), passphrase: 'alan writes his on an enigma' };

const answerRegion = (page: Page) => page.getByRole('region', { name: "Board's answer" });
const headline = (page: Page) => answerRegion(page).getByRole('heading', { level: 1 });
const reasons = (page: Page) => answerRegion(page).getByRole('list', { name: 'Reasons' });
const nextStep = (page: Page) => page.getByRole('region', { name: 'Your next step' });
const summary = (page: Page) => page.getByRole('region', { name: 'Release summary' });

async function navigate(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

async function openPath(page: Page, bundlePath: string): Promise<void> {
  await navigate(page, 'Home');
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundlePath);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

async function pinDemoKeysOnFirstStart(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Pin these keys' }).click();
  await expect(page.getByRole('heading', { name: "Pin the demo bundle's keys?" })).toBeHidden();
}

async function importBoard(page: Page): Promise<void> {
  await page.getByLabel('Policy file').setInputFiles(path.join(demoDir, 'board.json'));
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('group', { name: 'Board policy preview' }).getByRole('button', { name: 'Import', exact: true }).click();
}

async function attach(testInfo: TestInfo, name: string, page: Page): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/** The demo's producer key: make-demo derives it from a published seed, so a test can sign a new release with it. */
function demoProducerSeed(): Uint8Array {
  return createHash('sha256').update('countersign demo key, never trust it: training-ci@countersign-demo').digest();
}

/**
 * A second release of the demo: the training data re-pinned, the seed changed, a lineage node added,
 * version m93, signed again by the demo's producer key (the same key, so pinning it trusts both).
 */
function makeNextRelease(dir: string): { oldDatasetDigest: string; newDatasetDigest: string } {
  fs.cpSync(demoBundle, dir, { recursive: true });
  const envelope = parseStrictJson(fs.readFileSync(path.join(dir, 'manifest.dsse.json'))) as unknown as { payload: string; signatures: { keyid: string }[] };
  const statement = parseStrictJson(Buffer.from(envelope.payload, 'base64')) as unknown as {
    subject: { name: string; digest: Record<string, string> }[];
    predicate: { release: { version: string }; environment: { seed: number }; createdBy: string };
  };
  const dataset = Buffer.from('raw transactions Q1, with the October deletion requests honoured');
  fs.writeFileSync(path.join(dir, 'artifacts', DATASET), dataset);
  const newDatasetDigest = createHash('sha256').update(dataset).digest('hex');
  const subject = statement.subject.find((candidate) => candidate.name === DATASET)!;
  const oldDatasetDigest = subject.digest['sha256']!;
  subject.digest = { sha256: newDatasetDigest };
  statement.predicate.release.version = 'm93';
  statement.predicate.environment.seed = 7;
  const signed = signEnvelope(IN_TOTO_PAYLOAD_TYPE, new TextEncoder().encode(JSON.stringify(statement, null, 2)), [{ keyId: statement.predicate.createdBy, seed: demoProducerSeed() }]);
  fs.writeFileSync(path.join(dir, 'manifest.dsse.json'), serializeEnvelope(signed) + '\n');

  const lineage = parseStrictJson(fs.readFileSync(path.join(dir, 'lineage.json'))) as unknown as { nodes: object[]; edges: object[] };
  lineage.nodes.push({ id: 'deletions_oct', kind: 'source', name: 'October deletion requests' });
  lineage.edges.push({ from: 'deletions_oct', to: 'transactions_q1' });
  fs.writeFileSync(path.join(dir, 'lineage.json'), JSON.stringify(lineage, null, 2));
  return { oldDatasetDigest, newDatasetDigest };
}

test('the demo first says it cannot be approved (untrusted); pinning its key right there makes it verified, and the board names the seats', async ({ page, host }, testInfo) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByRole('button', { name: 'Open the demo bundle' }).click();

  await expect(headline(page)).toHaveText('Cannot be approved: untrusted');
  await expect(reasons(page).getByRole('listitem').first()).toContainText('Integrity: untrusted.');
  await attach(testInfo, 'untrusted', page);

  await nextStep(page).getByRole('button', { name: 'Pin this key…' }).click();
  await page.getByRole('dialog', { name: 'Pin this key?' }).getByRole('button', { name: 'Pin key' }).click();
  await expect(headline(page)).toHaveText('Not judged: no board policy imported');
  await expect(reasons(page).getByRole('listitem').first()).toContainText('Integrity: verified.');

  await importBoard(page);
  await expect(headline(page)).toHaveText('Needs 2 more: risk and privacy seats');
  await expect(reasons(page).getByRole('listitem').first()).toContainText('Integrity: verified. Signed by');

  const facts = summary(page);
  await expect(facts).toContainText('fraud-detector m92');
  await expect(facts).toContainText('training CI');
  await expect(facts).toContainText('2026-11-01T12:00:00Z');
  await expect(facts).toContainText('NVIDIA A100');
  await expect(facts).toContainText('registry.example.com/fraud/serve');
  await expect(facts).toContainText('requirements.lock');
  await expect(facts).toContainText('maxDelta: 0.01');
  await expect(facts).toContainText('The manifest carries no other fields.');
  await expect(facts).toContainText('1 model · 1 dataset · 1 features · 1 lockfile · 1 code · 1 container');
  await attach(testInfo, 'needs-two', page);

  // Home's recent list gives the same answer for the release.
  await navigate(page, 'Home');
  await expect(page.getByRole('list', { name: 'Recent bundles' })).toContainText('Needs 2 more: risk and privacy seats');
});

test('a tampered copy cannot be approved, with the failing file as the first reason', async ({ page, host, workDir }, testInfo) => {
  const copy = path.join(workDir, 'tampered');
  fs.cpSync(demoBundle, copy, { recursive: true });
  const bytes = fs.readFileSync(path.join(copy, MODEL));
  bytes[4096] = bytes[4096]! ^ 0xff;
  fs.writeFileSync(path.join(copy, MODEL), bytes);

  await page.goto(host.url);
  await pinDemoKeysOnFirstStart(page);
  await openPath(page, copy);
  await expect(headline(page)).toHaveText('Cannot be approved: tampered');
  const first = reasons(page).getByRole('listitem').first();
  await expect(first).toContainText('Integrity: tampered.');
  await expect(first).toContainText(MODEL);
  await expect(answerRegion(page).locator('.verdict-icon')).toHaveText('⊘');
  await attach(testInfo, 'tampered', page);
});

test('approving shows "You approved" at once; withdrawing signs an abstention that supersedes it', async ({ page, host, workDir }, testInfo) => {
  const bundle = path.join(workDir, 'fraud-detector-m92');
  fs.cpSync(demoBundle, bundle, { recursive: true });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await navigate(page, 'Trust');
  await importBoard(page);
  await expect(page.getByText('Imported Responsible AI Review Board (demo), version 1.')).toBeVisible();
  await navigate(page, 'Keys');
  const form = page.getByRole('region', { name: 'Import a key' });
  await form.getByLabel('Private key file').fill(ALAN.keyFile);
  await form.getByRole('button', { name: 'Read key file' }).click();
  // Reading the file proposes a name (the key's comment): name the key only once it has been read.
  await expect(form).toContainText('This key file has no passphrase. Choose one');
  await form.getByLabel('Name').fill(ALAN.name);
  await form.getByLabel('Passphrase', { exact: true }).fill(ALAN.passphrase);
  await form.getByLabel('Passphrase again').fill(ALAN.passphrase);
  await form.getByRole('button', { name: 'Import key' }).click();
  await expect(page.getByRole('table', { name: 'Your keys' })).toContainText(ALAN.name);

  await openPath(page, bundle);
  await expect(headline(page)).toHaveText('Needs 2 more: risk and privacy seats');
  await nextStep(page).getByRole('button', { name: 'Approve…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Approve fraud-detector@m92' });
  await expect(dialog.getByLabel('Role')).toHaveValue('privacy');
  await dialog.getByRole('button', { name: 'Sign approval' }).click();
  const unlock = page.getByRole('dialog', { name: `Unlock ${ALAN.name}` });
  await unlock.getByLabel('Passphrase').fill(ALAN.passphrase);
  await unlock.getByRole('button', { name: 'Unlock' }).click();

  const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date());
  const mine = nextStep(page).getByRole('status', { name: 'Your decision' });
  await expect(mine).toContainText(`You approved on ${today} as privacy`);
  await expect(headline(page)).toHaveText('Needs 1 more: risk seat');
  await expect(nextStep(page).getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  await attach(testInfo, 'you-approved', page);

  await nextStep(page).getByRole('button', { name: 'Withdraw…' }).click();
  const withdraw = page.getByRole('dialog', { name: 'Abstain on fraud-detector@m92' });
  await expect(withdraw.getByLabel('Comment')).toHaveValue(/^Withdrawn:/);
  await expect(withdraw.getByLabel('Role')).toHaveValue('privacy');
  await withdraw.getByRole('button', { name: 'Sign abstention' }).click();
  await expect(mine).toContainText(`You abstained on ${today} as privacy`);
  await expect(headline(page)).toHaveText('Needs 2 more: risk and privacy seats');
  await expect(page.getByRole('list', { name: 'Approvals given' }).getByRole('listitem').filter({ hasText: 'Approve' }).first()).toContainText('Superseded');
  await attach(testInfo, 'withdrawn', page);
});

test('compare with another release: the re-pinned dataset with both digests, the seed, the lineage, and who must re-review', async ({ page, host, workDir }, testInfo) => {
  const next = path.join(workDir, 'fraud-detector-m93');
  const { oldDatasetDigest, newDatasetDigest } = makeNextRelease(next);

  await page.goto(host.url);
  await pinDemoKeysOnFirstStart(page);
  await openPath(page, next);
  await expect(headline(page)).toHaveText('Not judged: no board policy imported');
  await expect(summary(page)).toContainText('fraud-detector m93');

  await page.getByRole('button', { name: 'Compare with…' }).click();
  await page.getByRole('textbox', { name: "Other release's bundle path" }).fill(demoBundle);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();

  const comparison = page.getByRole('region', { name: 'Comparison' });
  await expect(comparison).toContainText('fraud-detector@m92');
  await expect(comparison).toContainText('fraud-detector@m93');
  const changed = comparison.getByRole('table', { name: 'Subject changes' }).getByRole('row').filter({ hasText: DATASET });
  await expect(changed).toContainText('Re-pinned');
  await expect(changed).toContainText(`sha256:${oldDatasetDigest}`);
  await expect(changed).toContainText(`sha256:${newDatasetDigest}`);
  const seed = comparison.getByRole('table', { name: 'Environment changes' }).getByRole('row').filter({ hasText: 'environment.seed' });
  await expect(seed).toContainText('42');
  await expect(seed).toContainText('7');
  await expect(comparison.getByRole('list', { name: 'Lineage changes' })).toContainText('Node added: October deletion requests');
  await expect(comparison.getByRole('list', { name: 'Lineage changes' })).toContainText('Edge added: deletions_oct → transactions_q1');
  const hints = comparison.getByRole('list', { name: 'Review hints' });
  await expect(hints).toContainText(`The training data changed (${DATASET}): the privacy seat must re-review.`);
  await expect(hints).toContainText('approvals of the old release do not count for the new one');
  await attach(testInfo, 'compare', page);

  // At 1024 px the answer, the summary and the comparison fit their panels: long digests wrap.
  await page.setViewportSize({ width: 1024, height: 768 });
  for (const region of [answerRegion(page), summary(page), comparison]) {
    const overflow = await region.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  // Swapped, the dataset's digests change sides.
  await page.getByRole('button', { name: 'Swap old and new' }).click();
  await expect(comparison.getByRole('table', { name: 'Subject changes' }).getByRole('row').filter({ hasText: DATASET }).getByRole('cell').nth(3)).toContainText(newDatasetDigest);
});

test('printed, the review screen is the record: no navigation and no buttons, the answer kept', async ({ page, host }, testInfo) => {
  await page.goto(host.url);
  await pinDemoKeysOnFirstStart(page);
  await page.getByRole('button', { name: 'Open the demo bundle' }).click();
  await expect(headline(page)).toHaveText('Not judged: no board policy imported');
  expect(await page.getByRole('button').count()).toBeGreaterThan(3);

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(headline(page)).toBeVisible();
  await expect(summary(page)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Subjects' })).toBeVisible();
  // A sortable column keeps its name on paper, as text instead of a button.
  await expect(page.getByRole('table', { name: 'Subjects' }).getByRole('columnheader', { name: 'Status' })).toBeVisible();
  await attach(testInfo, 'print', page);
});

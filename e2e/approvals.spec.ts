import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { demoBundle, expect, repoRoot, startHost, stopHost, test } from './web-host';
import type { RunningHost } from './web-host';

// Two reviewers of the demo board, each on their own machine (their own data directory and web
// host), judge the same copy of the demo release and hand approval files to each other.

const demoDir = path.join(repoRoot, 'assets', 'demo');
const RELEASE = 'fraud-detector@m92';

interface Reviewer {
  name: string;
  keyFile: string;
  passphrase: string;
}

const ADA: Reviewer = { name: 'Ada Byron', keyFile: path.join(demoDir, 'reviewers', 'ada.key'), passphrase: 'ada keeps her seed in a drawer' };
const ALAN: Reviewer = { name: 'Alan Turing', keyFile: path.join(demoDir, 'reviewers', 'alan.key'), passphrase: 'alan writes his on an enigma' };

const approvals = (page: Page) => page.getByRole('region', { name: 'Approvals' });
const boardDecision = (page: Page) => approvals(page).getByRole('status', { name: 'Board decision' });
const rules = (page: Page) => approvals(page).getByRole('list', { name: 'Board rules' });
const given = (page: Page) => approvals(page).getByRole('list', { name: 'Approvals given' });
// Deciding happens beside the board's answer, at the top of the bundle view.
const headline = (page: Page) => page.getByRole('region', { name: "Board's answer" }).getByRole('heading', { level: 1 });
const nextStep = (page: Page) => page.getByRole('region', { name: 'Your next step' });

async function navigate(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

/** A fresh machine: the board policy imported in Trust, the reviewer's own key imported in Keys. */
async function setUpReviewer(browser: Browser, host: RunningHost, reviewer: Reviewer): Promise<Page> {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();

  await navigate(page, 'Trust');
  await page.getByLabel('Policy file').setInputFiles(path.join(demoDir, 'board.json'));
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('group', { name: 'Board policy preview' }).getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported Responsible AI Review Board (demo), version 1.')).toBeVisible();

  await navigate(page, 'Keys');
  const form = page.getByRole('region', { name: 'Import a key' });
  // The page names the file; the host reads it (the key never crosses HTTP).
  await form.getByLabel('Private key file').fill(reviewer.keyFile);
  await form.getByRole('button', { name: 'Read key file' }).click();
  await expect(form).toContainText('This key file has no passphrase. Choose one');
  await form.getByLabel('Name').fill(reviewer.name);
  await form.getByLabel('Passphrase', { exact: true }).fill(reviewer.passphrase);
  await form.getByLabel('Passphrase again').fill(reviewer.passphrase);
  await form.getByRole('button', { name: 'Import key' }).click();
  const keys = page.getByRole('table', { name: 'Your keys' });
  await expect(keys.getByRole('row', { name: new RegExp(reviewer.name) })).toContainText('Locked');
  await attach(test.info(), `keys-${reviewer.name}`, page);
  return page;
}

async function openBundle(page: Page, bundlePath: string): Promise<void> {
  await navigate(page, 'Home');
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundlePath);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Verdict' }).getByRole('heading', { level: 2 })).toHaveText(/Verified/);
}

interface DecisionRequest {
  decision: 'Approve' | 'Reject';
  role: string;
  comment: string;
  saveToBundle: boolean;
  /** The passphrase, when the key is expected to be locked and the unlock prompt to appear. */
  unlockWith: string | null;
  reviewer: Reviewer;
}

async function decide(page: Page, request: DecisionRequest): Promise<void> {
  await nextStep(page).getByRole('button', { name: `${request.decision}…` }).click();
  const dialog = page.getByRole('dialog', { name: `${request.decision} ${RELEASE}` });
  await expect(dialog.getByLabel('Sign with')).toContainText(request.reviewer.name);
  await expect(dialog).toContainText(`Board member: ${request.reviewer.name}.`);
  await expect(dialog.getByLabel('Role')).toHaveValue(request.role);
  await dialog.getByLabel('Comment').fill(request.comment);
  await dialog.getByLabel('Save into the bundle (its approvals/ folder)').setChecked(request.saveToBundle);
  await attach(test.info(), `${request.decision.toLowerCase()}-form-${request.reviewer.name}`, page);
  await dialog.getByRole('button', { name: request.decision === 'Approve' ? 'Sign approval' : 'Sign rejection' }).click();

  if (request.unlockWith !== null) {
    const unlock = page.getByRole('dialog', { name: `Unlock ${request.reviewer.name}` });
    const passphrase = unlock.getByLabel('Passphrase');
    await expect(passphrase).toHaveAttribute('type', 'password');
    await expect(passphrase).toHaveAttribute('autocomplete', 'off');
    await attach(test.info(), `unlock-prompt-${request.reviewer.name}`, page);
    await passphrase.fill(`${request.unlockWith} (typo)`);
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await expect(unlock.getByRole('alert')).toContainText('Not unlocked');
    await passphrase.fill(request.unlockWith);
    await unlock.getByRole('button', { name: 'Unlock' }).click();
  }
  const noun = request.decision === 'Approve' ? 'approval' : 'rejection';
  await expect(nextStep(page).getByRole('status', { name: 'Signed decision' })).toContainText(`Signed your ${noun} as ${request.role}.`);
}

async function attach(testInfo: TestInfo, name: string, page: Page): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

test('two reviewers exchange approval files until the quorum is met; then a rejection blocks', async ({ browser, workDir }, testInfo) => {
  test.setTimeout(180_000);
  const bundle = path.join(workDir, 'fraud-detector-m92');
  fs.cpSync(demoBundle, bundle, { recursive: true });
  const handoff = path.join(workDir, 'handoff');
  fs.mkdirSync(handoff);

  const hosts = await Promise.all([startHost(path.join(workDir, 'ada-profile')), startHost(path.join(workDir, 'alan-profile'))]);
  const pages: Page[] = [];
  try {
    const [adaHost, alanHost] = hosts as [RunningHost, RunningHost];
    const ada = await setUpReviewer(browser, adaHost, ADA);
    const alan = await setUpReviewer(browser, alanHost, ALAN);
    pages.push(ada, alan);

    // Ada (risk) approves; the file stays on her machine for her to hand on.
    await openBundle(ada, bundle);
    await expect(boardDecision(ada)).toContainText('Not approved yet');
    await expect(boardDecision(ada)).toContainText('0 of 2 approvals · risk seat: empty · privacy seat: empty');
    await decide(ada, { decision: 'Approve', role: 'risk', comment: 'Risk review done: drift monitors in place.', saveToBundle: false, unlockWith: ADA.passphrase, reviewer: ADA });
    await expect(boardDecision(ada)).toContainText('Not approved yet');
    await expect(boardDecision(ada)).toContainText('1 of 2 approvals · risk seat: Ada Byron ✓ · privacy seat: empty');
    await expect(headline(ada)).toHaveText('Needs 1 more: privacy seat');
    await expect(rules(ada).getByRole('listitem').filter({ hasText: '1 of 2 required approvals by distinct members' })).toContainText('Not met');
    await expect(given(ada)).toContainText('Ada Byron');
    await expect(given(ada)).toContainText('Signature valid');
    await expect(given(ada)).toContainText('Counted');
    await attach(testInfo, 'ada-approved', ada);

    const downloading = ada.waitForEvent('download');
    await nextStep(ada).getByRole('button', { name: 'Save a copy…' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^approval-risk-[a-z0-9]{8}\.dsse\.json$/);
    const handedOver = path.join(handoff, download.suggestedFilename());
    await download.saveAs(handedOver);
    expect(fs.existsSync(path.join(bundle, 'approvals'))).toBe(false);

    // Alan (privacy) sees nothing yet, imports Ada's file (and a file that is no approval), then approves.
    await openBundle(alan, bundle);
    await expect(boardDecision(alan)).toContainText('0 of 2 approvals');
    const notAnApproval = path.join(handoff, 'notes.dsse.json');
    fs.writeFileSync(notAnApproval, '{"payloadType": "text/plain"}\n');
    await approvals(alan).getByLabel('Import approvals…').setInputFiles([handedOver, notAnApproval]);
    const imported = approvals(alan).getByRole('list', { name: 'Imported approval files' });
    await expect(imported.getByRole('listitem').filter({ hasText: download.suggestedFilename() })).toContainText('Imported');
    await expect(imported.getByRole('listitem').filter({ hasText: 'notes.dsse.json' })).toContainText('Refused');
    await expect(boardDecision(alan)).toContainText('1 of 2 approvals · risk seat: Ada Byron ✓ · privacy seat: empty');

    await decide(alan, { decision: 'Approve', role: 'privacy', comment: 'Deletion requests honoured.', saveToBundle: true, unlockWith: ALAN.passphrase, reviewer: ALAN });
    await expect(boardDecision(alan)).toContainText('Approved');
    await expect(boardDecision(alan)).toContainText('2 of 2 approvals · risk seat: Ada Byron ✓ · privacy seat: Alan Turing ✓');
    await expect(headline(alan)).toHaveText('Approved and deployable');
    await expect(rules(alan).getByRole('listitem').filter({ hasText: '2 of 2 required approvals by distinct members' })).toContainText('Met');
    await expect(rules(alan)).not.toContainText('Not met');
    await expect(nextStep(alan).getByRole('status', { name: 'Signed decision' })).toContainText('Saved into the bundle as approvals/');
    expect(fs.readdirSync(path.join(bundle, 'approvals')).filter((name) => name.endsWith('.dsse.json'))).toHaveLength(1);
    await attach(testInfo, 'alan-quorum-met', alan);

    // Alan changes his mind: his rejection supersedes his approval and blocks the release.
    await decide(alan, { decision: 'Reject', role: 'privacy', comment: 'A deletion request from October was missed.', saveToBundle: true, unlockWith: null, reviewer: ALAN });
    await expect(boardDecision(alan)).toContainText('Blocked');
    await expect(boardDecision(alan)).toContainText('Rejected by Alan Turing');
    await expect(headline(alan)).toHaveText("Blocked by Alan Turing's rejection");
    await expect(rules(alan).getByRole('listitem').filter({ hasText: 'Rejected by Alan Turing' })).toContainText('Not met');
    const rejection = given(alan).getByRole('listitem').filter({ hasText: 'A deletion request from October was missed.' });
    await expect(rejection).toContainText('Reject');
    await expect(rejection).toContainText('Rejection');
    await expect(given(alan).getByRole('listitem').filter({ hasText: 'Deletion requests honoured.' })).toContainText('Superseded');
    await attach(testInfo, 'alan-rejected', alan);

    // Ada judges the bundle again: Alan's decisions travelled with it, so she sees the block too.
    await ada.getByRole('button', { name: 'Verify again' }).click();
    await expect(boardDecision(ada)).toContainText('Blocked');
    await expect(boardDecision(ada)).toContainText('Rejected by Alan Turing');
    await attach(testInfo, 'ada-sees-block', ada);

    // Every step is in Alan's audit trail, and the chain holds.
    await navigate(alan, 'Audit');
    const log = alan.getByRole('table', { name: 'Audit log' });
    await expect(log).toContainText('Approval imported');
    await expect(log).toContainText('Approval refused');
    await expect(log).toContainText('Approval signed');
    await expect(log).toContainText('Key imported');
    await expect(log).toContainText('Board policy imported');
    await alan.getByRole('button', { name: 'Verify chain' }).click();
    await expect(alan.getByRole('status').filter({ hasText: 'Intact:' })).toContainText(/Intact: \d+ entries/);
    await attach(testInfo, 'alan-audit', alan);
  } finally {
    // Each reviewer has a browser context of their own: closed here, or later tests would see their pages.
    await Promise.all(pages.map((page) => page.context().close()));
    await Promise.all(hosts.map((host) => stopHost(host)));
  }
});

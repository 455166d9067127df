import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { demoBundle, expect, repoRoot, test } from './web-host';

// The bait-and-switch the deployment gate catches: the reviewed model swapped before launch and
// the serving image run by a mutable tag. The demo release is fraud-detector@m92.

const demoDir = path.join(repoRoot, 'assets', 'demo');
const cli = path.join(repoRoot, 'electron', 'cli', 'countersign.mjs');
const MODEL = 'model/fraud-m92.onnx';
const SERVE = 'registry.example.com/fraud/serve';
const SWAPPED_MODEL_SHA = createHash('sha256').update('a model nobody reviewed').digest('hex');

const verdict = (page: Page) => page.getByRole('status', { name: 'Deployment verdict' });
const reasons = (page: Page) => verdict(page).getByRole('list', { name: 'Blocking reasons' });
const table = (page: Page) => page.getByRole('table', { name: 'Manifest and deployment' });

/** The demo's own deployment.json, with the model swapped and the serving image run as :latest. */
function swappedDeployment(): string {
  return JSON.stringify({
    environment: 'production',
    artifacts: [
      { name: MODEL, digest: { sha256: SWAPPED_MODEL_SHA } },
      { name: SERVE, reference: `${SERVE}:latest` },
    ],
  });
}

async function navigate(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

async function openDeploymentFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Open a deployment file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByText(`${name} (opened here`)).toBeVisible();
}

async function openBundleDeployment(page: Page, bundlePath: string): Promise<void> {
  await navigate(page, 'Home');
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundlePath);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('button', { name: 'Compare with deployment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deployment' })).toBeVisible();
}

async function importDemoBoard(page: Page): Promise<void> {
  await navigate(page, 'Trust');
  await page.getByLabel('Policy file').setInputFiles(path.join(demoDir, 'board.json'));
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('group', { name: 'Board policy preview' }).getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported Responsible AI Review Board (demo), version 1.')).toBeVisible();
}

/** Two demo board members (risk and privacy seats) approve a copy of the demo release with the CLI, on their own profile. */
function approveWithDemoReviewers(bundlePath: string, profile: string): void {
  const env = { ...process.env, COUNTERSIGN_DATA_DIR: profile, COUNTERSIGN_PASSPHRASE: 'demo reviewers only' };
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  for (const [name, role] of [['ada', 'risk'], ['alan', 'privacy']] as const) {
    run('keys', 'import', path.join(demoDir, 'reviewers', `${name}.key`), '--name', name);
    const keyId = execFileSync('ssh-keygen', ['-lf', path.join(demoDir, 'reviewers', `${name}.pub`)], { encoding: 'utf8' }).split(' ')[1]!;
    run('approve', bundlePath, '--key', keyId, '--decision', 'approve', '--role', role, '--board', path.join(demoDir, 'board.json'));
  }
}

test('a swapped model and a :latest serving image are blocked, with both reasons shown', async ({ page, host }, testInfo) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await openBundleDeployment(page, demoBundle);

  // The bundle's own deployment pins both artifacts: nothing differs, the unchanged rows are collapsed.
  await expect(page.getByText('2 unchanged rows hidden')).toBeVisible();

  await openDeploymentFile(page, 'swapped.json', swappedDeployment());
  await expect(verdict(page).getByRole('heading')).toHaveText('Blocked');
  await expect(reasons(page)).toContainText(`${MODEL}: digest mismatch: deployed sha256:${SWAPPED_MODEL_SHA}`);
  await expect(reasons(page)).toContainText(`${SERVE}: mutable reference: ${SERVE}:latest`);
  await expect(reasons(page)).toContainText('Approvals were not evaluated');

  const modelRow = table(page).getByRole('row', { name: new RegExp(MODEL) });
  await expect(modelRow).toContainText('Digest mismatch');
  await expect(modelRow).toContainText(`sha256:${SWAPPED_MODEL_SHA}`);
  const serveRow = table(page).getByRole('row', { name: new RegExp(SERVE) });
  await expect(serveRow).toContainText('Mutable reference');
  await expect(serveRow).toContainText(`${SERVE}:latest`);

  await page.getByLabel('Filter rows').fill('latest');
  await expect(table(page).getByRole('row')).toHaveCount(2);
  await testInfo.attach('blocked', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('the corrected deployment is deployable once the demo release is approved', async ({ page, host, workDir }, testInfo) => {
  const approved = path.join(workDir, 'approved-bundle');
  fs.cpSync(demoBundle, approved, { recursive: true });
  approveWithDemoReviewers(approved, path.join(workDir, 'reviewers-profile'));

  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await importDemoBoard(page);
  await openBundleDeployment(page, approved);

  await openDeploymentFile(page, 'swapped.json', swappedDeployment());
  await expect(verdict(page).getByRole('heading')).toHaveText('Blocked');
  await expect(verdict(page)).toContainText('Approved under the board policy');
  await expect(reasons(page).getByRole('listitem')).toHaveCount(2);

  const corrected = fs.readFileSync(path.join(demoBundle, 'deployment.json'), 'utf8');
  await openDeploymentFile(page, 'corrected.json', corrected);
  await expect(verdict(page).getByRole('heading')).toHaveText('Deployable');
  await expect(reasons(page)).toHaveCount(0);
  await expect(page.getByText('2 unchanged rows hidden')).toBeVisible();
  await page.getByRole('button', { name: 'show' }).click();
  await expect(table(page).getByRole('row', { name: new RegExp(MODEL) })).toContainText('Match');
  await testInfo.attach('deployable', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

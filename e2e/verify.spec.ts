import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { demoBundle, expect, test } from './web-host';

const MODEL = 'artifacts/model/fraud-m92.onnx';
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** The fingerprint a reviewer would compare by eye, as ssh-keygen prints it. */
const demoKeyFingerprint = () => execFileSync('ssh-keygen', ['-lf', path.join(demoBundle, 'keys/training-ci.pub')], { encoding: 'utf8' }).split(' ')[1]!;

const verdict = (page: Page) => page.getByRole('status', { name: 'Verdict' });

async function acceptDemoKeys(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: "Pin the demo bundle's keys?" })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Demo keys' })).toContainText(demoKeyFingerprint());
  await page.getByRole('button', { name: 'Pin these keys' }).click();
  await expect(page.getByRole('heading', { name: "Pin the demo bundle's keys?" })).toBeHidden();
}

async function openPath(page: Page, bundlePath: string): Promise<void> {
  await page.getByRole('button', { name: 'Home', exact: true }).click();
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundlePath);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

test('the demo bundle opens as Verified once the demo keys are pinned', async ({ page, host }, testInfo) => {
  await page.goto(host.url);
  await expect(page).not.toHaveURL(/token=/);
  await acceptDemoKeys(page);
  await page.getByRole('button', { name: 'Open the demo bundle' }).click();

  await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Verified/);
  await expect(verdict(page)).toContainText('fraud-detector@m92');
  const signatures = page.getByRole('list', { name: 'Signatures' });
  await expect(signatures).toContainText('Valid');
  await expect(signatures).toContainText('training-ci@countersign-demo');
  await expect(signatures).toContainText(demoKeyFingerprint());
  await expect(page.getByRole('table', { name: 'Subjects' })).toContainText('model/fraud-m92.onnx');
  await testInfo.attach('verified', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('a tampered copy shows Tampered with the failing file and both digests', async ({ page, host, workDir }, testInfo) => {
  const copy = path.join(workDir, 'tampered-bundle');
  fs.cpSync(demoBundle, copy, { recursive: true });
  const expected = sha256(path.join(demoBundle, MODEL));
  const bytes = fs.readFileSync(path.join(copy, MODEL));
  bytes[1000] = bytes[1000]! ^ 0x01;
  fs.writeFileSync(path.join(copy, MODEL), bytes);
  const actual = sha256(path.join(copy, MODEL));

  await page.goto(host.url);
  await acceptDemoKeys(page);
  await openPath(page, copy);

  await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Tampered/);
  await expect(verdict(page).getByRole('list', { name: 'Reasons' })).toContainText(MODEL);
  await page.getByRole('radio', { name: 'Mismatch' }).check();
  const table = page.getByRole('table', { name: 'Subjects' });
  const row = table.getByRole('row').filter({ hasText: 'model/fraud-m92.onnx' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`expected ${expected}`);
  await expect(row).toContainText(`actual ${actual}`);
  await expect(table.getByRole('row').filter({ hasText: 'requirements.lock' })).toHaveCount(0);
  await testInfo.attach('tampered', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('a long hash shows progress in bytes and stops on Cancel', async ({ page, host, workDir }, testInfo) => {
  const big = path.join(workDir, 'big-bundle');
  fs.cpSync(demoBundle, big, { recursive: true });
  // Sparse: 32 GiB to hash, no disk used; far longer than the test waits.
  fs.truncateSync(path.join(big, MODEL), 32 * 1024 ** 3);

  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await openPath(page, big);

  const progress = page.getByRole('progressbar', { name: 'Hashing progress' });
  await expect(progress).toHaveAttribute('aria-valuetext', /GiB/);
  await testInfo.attach('hashing', { body: await page.screenshot(), contentType: 'image/png' });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();

  await expect(page.getByRole('heading', { name: 'Verification cancelled' })).toBeVisible();
  await expect(progress).toBeHidden();
  await expect(page.getByRole('button', { name: 'Verify again' })).toBeVisible();
  await testInfo.attach('cancelled', { body: await page.screenshot(), contentType: 'image/png' });
});

test('pinning the offered key after comparing its fingerprint turns Untrusted into Verified', async ({ page, host }, testInfo) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByRole('button', { name: 'Open the demo bundle' }).click();
  await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Untrusted/);

  await page.getByRole('list', { name: 'Offered keys' }).getByRole('button', { name: 'Pin…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pin this key?' });
  await expect(dialog.getByTestId('pin-fingerprint')).toHaveText(demoKeyFingerprint());
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Training CI (demo)');
  await dialog.getByRole('button', { name: 'Pin key' }).click();

  await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Verified/);
  await page.getByRole('button', { name: 'Trust', exact: true }).click();
  const pinned = page.getByRole('table', { name: 'Pinned keys' });
  await expect(pinned).toContainText('Training CI (demo)');
  await expect(pinned).toContainText(demoKeyFingerprint());
  await testInfo.attach('pinned', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('a hostile archive is refused with the entry named, and nothing is recorded', async ({ page, host, workDir }) => {
  const archive = path.join(workDir, 'hostile.tar');
  const staging = path.join(workDir, 'staging');
  fs.mkdirSync(path.join(staging, 'inner'), { recursive: true });
  fs.writeFileSync(path.join(staging, 'evil.txt'), 'x');
  execFileSync('tar', ['-cf', archive, '-C', path.join(staging, 'inner'), '--absolute-names', '../evil.txt']);

  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await openPath(page, archive);
  const alert = page.getByRole('alert').filter({ hasText: 'Could not verify this bundle' });
  await expect(alert).toContainText('../evil.txt');
  await page.getByRole('button', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Recent bundles' })).toHaveCount(0);
});

test('an archive refused as too compressible opens once the reviewer raises the ratio limit', async ({ page, host, workDir }) => {
  const folder = path.join(workDir, 'compressible');
  fs.cpSync(demoBundle, folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'artifacts', 'zeros.bin'), Buffer.alloc(8 * 1024 * 1024));
  const archive = path.join(workDir, 'compressible.zip');
  execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])', archive, folder]);

  await page.goto(host.url);
  await acceptDemoKeys(page);
  await openPath(page, archive);
  const alert = page.getByRole('alert').filter({ hasText: 'Could not verify this bundle' });
  await expect(alert).toContainText('compression ratio limit of 100:1');
  await page.getByRole('textbox', { name: 'Allow up to this many bytes per compressed byte' }).fill('100000');
  await page.getByRole('button', { name: 'Open with this limit' }).click();
  await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Verified/);
  await expect(verdict(page)).toContainText('fraud-detector@m92');
});

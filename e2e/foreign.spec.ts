import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { parsePublicKey } from '../shared/crypto/keys';
import { makeOpensslKey } from '../electron/services/oms/oms-test-producer';
import { makeOmsModel, makeSigstoreArtifact } from '../electron/services/session/foreign-fixtures';
import { expect, repoRoot, startHost, stopHost, test } from './web-host';

const cli = path.join(repoRoot, 'electron', 'cli', 'countersign.mjs');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const verdict = (page: Page) => page.getByRole('status', { name: 'Verdict' });

async function openPath(page: Page, target: string): Promise<void> {
  await page.getByRole('button', { name: 'Home', exact: true }).click();
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(target);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

test('an OMS-signed model folder and a Sigstore bundle beside its file open like a bundle: verdict, signer, trust, files', async ({ page, workDir }, testInfo) => {
  // The producer signs with openssl as model_signing would; the reviewer pins its key with the CLI.
  const producer = makeOpensslKey(workDir, 'training-ci', 'ed25519');
  const publicKey = fs.readFileSync(producer.publicPath, 'utf8');
  const dataDir = path.join(workDir, 'profile');
  execFileSync(process.execPath, [cli, 'trust', 'pin', producer.publicPath, '--fingerprint', parsePublicKey(publicKey).keyId, '--name', 'Training CI', '--data-dir', dataDir]);
  const { modelDir } = makeOmsModel(path.join(workDir, 'fraud-model'), producer, workDir);
  const { artifact } = makeSigstoreArtifact(path.join(workDir, 'fraud-model.onnx'), producer, workDir);

  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await openPath(page, modelDir);
    await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Verified/);
    await expect(verdict(page)).toContainText('OpenSSF Model Signing');
    await expect(verdict(page).getByRole('list', { name: 'Reasons' })).toContainText('Training CI');
    const signers = page.getByRole('list', { name: 'Signers' });
    await expect(signers).toContainText('Training CI');
    await expect(signers).toContainText('pinned key');
    await expect(page.getByRole('table', { name: 'Files' })).toContainText('weights/part-1.bin');
    await expect(page.getByRole('region', { name: 'Board review' })).toContainText('not available for an OMS model signature');
    await testInfo.attach('oms verified', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

    // One file changed: reopened, the folder is tampered and the table names the file with both digests.
    const changedFile = path.join(modelDir, 'weights', 'part-1.bin');
    const expected = sha256(changedFile);
    fs.appendFileSync(changedFile, 'poisoned');
    const actual = sha256(changedFile);
    await openPath(page, modelDir);
    await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Tampered/);
    await expect(verdict(page).getByRole('list', { name: 'Reasons' })).toContainText('weights/part-1.bin');
    await page.getByRole('radio', { name: 'Changed' }).check();
    const changedRow = page.getByRole('table', { name: 'Files' }).getByRole('row').filter({ hasText: 'weights/part-1.bin' });
    await expect(changedRow).toContainText('Changed');
    await expect(changedRow).toContainText(expected);
    await expect(changedRow).toContainText(actual);
    await testInfo.attach('oms tampered', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

    // A Sigstore bundle found beside the file, checked under the same pinned key.
    await openPath(page, artifact);
    await expect(verdict(page).getByRole('heading', { level: 2 })).toHaveText(/Verified/);
    await expect(verdict(page)).toContainText('Sigstore bundle');
    await expect(page.getByRole('list', { name: 'Signers' })).toContainText('pinned key');
    await expect(page.getByRole('table', { name: 'Files' })).toContainText(sha256(artifact));

    // Lineage is a bundle's: for a foreign signature it is an empty state, not an error.
    await page.getByRole('button', { name: 'Lineage', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Lineage' })).toBeVisible();
    await expect(page.getByText('not available for a Sigstore bundle')).toBeVisible();

    // Home lists both targets among the recent ones, with their verdicts.
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    const recent = page.getByRole('list', { name: 'Recent bundles' });
    await expect(recent).toContainText(modelDir);
    await expect(recent).toContainText(artifact);
  } finally {
    await stopHost(host);
  }
});

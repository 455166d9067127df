import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Download, Page } from '@playwright/test';
import { demoBundle, expect, repoRoot, test } from './web-host';

// The record for the minutes, exported from the bundle view as a person would, then opened in
// Chromium as a reader would: the HTML record must not make a single request.

const demoDir = path.join(repoRoot, 'assets', 'demo');
const cli = path.join(repoRoot, 'electron', 'cli', 'countersign.mjs');
const DIGEST = '119767b0c250400a552e113232299ee3e66ab8dc35583d9f86d70709abde465e';

async function navigate(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

async function importDemoBoard(page: Page): Promise<void> {
  await navigate(page, 'Trust');
  await page.getByLabel('Policy file').setInputFiles(path.join(demoDir, 'board.json'));
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('group', { name: 'Board policy preview' }).getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported Responsible AI Review Board (demo), version 1.')).toBeVisible();
}

/** Ada (risk) approves a copy of the demo release with the CLI, on her own profile. */
function approveAsAda(bundlePath: string, profile: string): void {
  const env = { ...process.env, COUNTERSIGN_DATA_DIR: profile, COUNTERSIGN_PASSPHRASE: 'demo reviewers only' };
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  run('keys', 'import', path.join(demoDir, 'reviewers', 'ada.key'), '--name', 'ada');
  const keyId = execFileSync('ssh-keygen', ['-lf', path.join(demoDir, 'reviewers', 'ada.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  run('approve', bundlePath, '--key', keyId, '--decision', 'approve', '--role', 'risk', '--comment', 'risk reviewed', '--board', path.join(demoDir, 'board.json'));
}

async function exportRecord(page: Page, format: string, withEvidence: boolean): Promise<Download[]> {
  await page.getByRole('button', { name: 'Export report…' }).click();
  const group = page.getByRole('group', { name: 'Export the release record' });
  await group.getByLabel('Format').selectOption(format);
  if (withEvidence) await group.getByLabel(/With the evidence zip/).check();
  const downloads: Download[] = [];
  const collect = (download: Download) => downloads.push(download);
  page.on('download', collect);
  await group.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => downloads.length).toBe(withEvidence ? 2 : 1);
  page.off('download', collect);
  return downloads;
}

test('the exported HTML record opens offline without a single request, and the PDF and evidence download', async ({ page, host, workDir }, testInfo) => {
  const bundle = path.join(workDir, 'bundle');
  fs.cpSync(demoBundle, bundle, { recursive: true });
  approveAsAda(bundle, path.join(workDir, 'ada-profile'));

  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await importDemoBoard(page);
  await navigate(page, 'Home');
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundle);
  await page.getByRole('button', { name: 'Open', exact: true }).click();

  const [html] = await exportRecord(page, 'html', false);
  expect(html!.suggestedFilename()).toBe('fraud-detector-m92-record.html');
  const htmlFile = path.join(workDir, 'record.html');
  await html!.saveAs(htmlFile);

  const [pdf, evidence] = await exportRecord(page, 'pdf', true);
  const pdfFile = path.join(workDir, 'record.pdf');
  await pdf!.saveAs(pdfFile);
  expect(fs.readFileSync(pdfFile).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
  expect(evidence!.suggestedFilename()).toBe('fraud-detector-m92-record-evidence.zip');

  // The reader: a fresh page that records every request it makes.
  const reader = await page.context().newPage();
  const requests: string[] = [];
  reader.on('request', (request) => requests.push(request.url()));
  const violations: string[] = [];
  reader.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const fileUrl = pathToFileURL(htmlFile).href;
  await reader.goto(fileUrl);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Release record: fraud-detector m92');
  await expect(reader.getByLabel("The board's answer")).toContainText('PENDING: Needs 1 more: privacy seat');
  await expect(reader.getByRole('img', { name: 'Lineage picture' })).toBeVisible();
  await expect(reader.getByText(DIGEST).first()).toBeVisible();
  await expect(reader.getByRole('cell', { name: 'Ada Byron' }).first()).toBeVisible();

  // Without its policy too, the page asks for nothing: the policy is a second wall, not the only one.
  const withoutPolicy = fs.readFileSync(htmlFile, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  expect(withoutPolicy).not.toContain('Content-Security-Policy');
  const unguarded = path.join(workDir, 'record-without-policy.html');
  fs.writeFileSync(unguarded, withoutPolicy);
  await reader.goto(pathToFileURL(unguarded).href);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Release record: fraud-detector m92');
  await reader.waitForLoadState('networkidle');

  expect(requests).toEqual([fileUrl, pathToFileURL(unguarded).href]);
  expect(violations).toEqual([]);
  await testInfo.attach('record', { body: await reader.screenshot({ fullPage: true }), contentType: 'image/png' });
});

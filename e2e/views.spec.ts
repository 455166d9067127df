import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { demoBundle, expect, repoRoot, startHost, stopHost, test } from './web-host';

const demoDir = path.join(repoRoot, 'assets', 'demo');
const demoBoard = path.join(demoDir, 'board.json');
const cli = path.join(repoRoot, 'electron', 'cli', 'countersign.mjs');
const VIEWS = ['Home', 'Bundle', 'Trust', 'Keys', 'Audit', 'Lineage', 'Deployment'] as const;

async function navigate(page: Page, view: string): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true });
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'page');
}

/** What sticks out past the viewport's right edge, widest first, to name in a failure. */
async function overflowReport(page: Page): Promise<{ scrollWidth: number; clientWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const culprits = Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .map((element) => ({ element, right: element.getBoundingClientRect().right }))
      .filter(({ right }) => right > root.clientWidth + 1)
      .sort((a, b) => b.right - a.right)
      .slice(0, 5)
      .map(({ element, right }) => `${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? "").slice(0, 40)}" in ${element.parentElement?.tagName.toLowerCase()}.${element.parentElement?.className} right=${Math.round(right)}`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits };
  });
}

async function expectNoOverflow(page: Page, what: string): Promise<void> {
  const report = await overflowReport(page);
  expect(report.scrollWidth, `${what}: ${report.culprits.join('; ')}`).toBeLessThanOrEqual(report.clientWidth);
}

async function importDemoBoard(page: Page): Promise<void> {
  await navigate(page, 'Trust');
  await page.getByLabel('Policy file').setInputFiles(demoBoard);
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('group', { name: 'Board policy preview' }).getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported Responsible AI Review Board (demo), version 1.')).toBeVisible();
}

async function openDemo(page: Page): Promise<void> {
  await navigate(page, 'Home');
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(demoBundle);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Bundle', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('status', { name: 'Verdict' })).toBeVisible({ timeout: 60_000 });
}

for (const width of [1024, 1440]) {
  test(`no view overflows sideways at ${width} px`, async ({ page, host }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Not now' }).click();
    await importDemoBoard(page);
    await openDemo(page);
    for (const view of VIEWS) {
      await navigate(page, view);
      // Let lazy views (lineage layout, deployment diff) settle before measuring.
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      await expectNoOverflow(page, `${view} at ${width} px`);
      if (view === 'Bundle') {
        // The subjects table is as tall as its rows (plus a horizontal scroll bar at most), not a fixed screenful.
        const table = await page.getByRole('table', { name: 'Subjects' }).evaluate((element) => ({
          height: element.clientHeight,
          rows: (element.querySelector('.virtual-table-head') as HTMLElement).offsetHeight + (element.querySelector('.virtual-table-body') as HTMLElement).offsetHeight,
        }));
        expect(table.height).toBeLessThanOrEqual(table.rows + 20);
      }
      if (view === 'Deployment') {
        // Every row shown, with the widest content the demo has: full digests, references and locations.
        await page.getByRole('button', { name: 'show', exact: true }).click();
        await expect(page.getByRole('table', { name: 'Manifest and deployment' }).getByRole('row')).toHaveCount(3);
        await expectNoOverflow(page, `Deployment with every row at ${width} px`);
      }
    }
  });
}

/** A profile the CLI has set up: the demo board imported, Ada's and Alan's keys imported, and both approving a copy of the demo release. */
function preparedProfile(workDir: string): { profile: string; bundle: string; adaKeyId: string } {
  const profile = path.join(workDir, 'profile');
  const bundle = path.join(workDir, 'bundle');
  fs.cpSync(demoBundle, bundle, { recursive: true });
  const env = { ...process.env, COUNTERSIGN_DATA_DIR: profile, COUNTERSIGN_PASSPHRASE: 'demo reviewers only' };
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  run('trust', 'import-board', demoBoard, '--yes');
  const keyIds: Record<string, string> = {};
  for (const [name, role] of [
    ['ada', 'risk'],
    ['alan', 'privacy'],
  ] as const) {
    run('keys', 'import', path.join(demoDir, 'reviewers', `${name}.key`), '--name', name);
    keyIds[name] = execFileSync('ssh-keygen', ['-lf', path.join(demoDir, 'reviewers', `${name}.pub`)], { encoding: 'utf8' }).split(' ')[1]!;
    run('approve', bundle, '--key', keyIds[name], '--decision', 'approve', '--role', role);
  }
  return { profile, bundle, adaKeyId: keyIds['ada']! };
}

test('the audit log filters by release, person and action, and exports what it shows as CSV and JSON', async ({ page, workDir }) => {
  const { profile, adaKeyId } = preparedProfile(workDir);
  const host = await startHost(profile);
  try {
    await page.goto(host.url);
    await navigate(page, 'Audit');
    const log = page.getByRole('table', { name: 'Audit log' });
    // Board imported, two keys imported, two approvals signed.
    await expect(log.getByRole('row')).toHaveCount(1 + 5);

    await page.getByLabel('Action').selectOption({ label: 'Approval signed (2)' });
    await expect(log.getByRole('row')).toHaveCount(1 + 2);
    await page.getByLabel('Person').selectOption(adaKeyId);
    await expect(log.getByRole('row')).toHaveCount(1 + 1);
    await expect(log.getByRole('row').nth(1)).toContainText('ada');
    const release = await log.getByRole('row').nth(1).locator('code[title]').getAttribute('title');
    expect(release).toMatch(/^[0-9a-f]{64}$/);

    const csvDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csvFile = await csvDownload;
    expect(csvFile.suggestedFilename()).toBe('audit-log-filtered.csv');
    const csv = fs.readFileSync((await csvFile.path())!, 'utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('id,time,key,who,action,what,release,details,hash');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,${adaKeyId},ada,approval.made,Approval signed,${release},`);

    // The release filter alone: both approvals of that release, and nothing else.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(log.getByRole('row')).toHaveCount(1 + 5);
    await page.getByLabel('Release (manifest digest)').selectOption(release!);
    await expect(log.getByRole('row')).toHaveCount(1 + 2);
    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    // eslint-disable-next-line no-restricted-syntax -- the app's own export
    const exported = JSON.parse(fs.readFileSync((await (await jsonDownload).path())!, 'utf8')) as { filter: unknown; entries: { action: string; manifestDigest: string }[] };
    expect(exported.filter).toEqual({ release, person: null, action: null });
    expect(exported.entries.map((entry) => [entry.action, entry.manifestDigest])).toEqual([
      ['approval.made', release],
      ['approval.made', release],
    ]);

    // Keys names the member and roles each key belongs to.
    await navigate(page, 'Keys');
    await expect(page.getByRole('table', { name: 'Your keys' }).getByRole('row', { name: /^ada/ })).toContainText('Ada Byron, risk');
    await expect(page.getByRole('table', { name: 'Your keys' }).getByRole('row', { name: /^alan/ })).toContainText('Alan Turing, privacy and ml-lead');
  } finally {
    await stopHost(host);
  }
});

test('Trust shows the board rules and members with their roles and keys, in the preview and after import', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await navigate(page, 'Trust');
  await page.getByLabel('Policy file').setInputFiles(demoBoard);
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('group', { name: 'Board policy preview' });
  await expect(preview).toContainText('3 members, 1 producer, 0 revoked keys.');
  await expect(preview.getByRole('list', { name: 'Board rules' })).toContainText('2 approvals from distinct members are required.');
  await expect(preview.getByRole('list', { name: 'Board rules' })).toContainText('Role seats to fill, each by a different member: 1 risk seat, 1 privacy seat.');
  await expect(preview.getByRole('table', { name: 'Board members' }).getByRole('row', { name: /^Alan Turing/ })).toContainText(/privacy, ml-lead\s*SHA256:/);
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported Responsible AI Review Board (demo), version 1.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Board rules' })).toContainText("A member's rejection blocks the release.");
  await expect(page.getByRole('table', { name: 'Board members' }).getByRole('row', { name: /^Grace Hopper/ })).toContainText(/risk, privacy\s*SHA256:/);
  await expect(page.getByRole('table', { name: 'Producers' })).toContainText('training CI');
});

test('the lineage details panel describes the selected node', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await importDemoBoard(page);
  await openDemo(page);
  await navigate(page, 'Lineage');
  // The explorer opens on the model, selected.
  const details = page.getByRole('region', { name: 'Details of model m92' });
  await expect(details).toContainText('Kindmodel');
  await expect(details).toContainText('model/fraud-m92.onnx');
  await expect(details).toContainText('subject verified');
  await expect(details).toContainText(/sha256:[0-9a-f]{64}/);
  await expect(details).toContainText('Releasesfraud-detector@m92');
  await expect(details).toContainText(/Upstream\d+ nodes \(1 direct neighbour\)/);
  await expect(details).toContainText('Downstream1 node (1 direct neighbour)');
  // Impact counts approvals that verify: the demo release has none yet.
  await page.getByRole('combobox', { name: 'Find a node' }).fill('raw trans');
  await page.getByRole('option', { name: /^raw transactions Q1/ }).click();
  await expect(page.getByRole('region', { name: 'Details of raw transactions Q1' })).toContainText('Upstreamnone');
  const impact = page.getByRole('table', { name: 'Nodes downstream of raw transactions Q1' });
  await expect(impact.getByRole('columnheader', { name: 'Verified approvals' })).toBeVisible();
});

test('Show all keeps node labels readable and leaves the rest of the graph to panning', async ({ page, host }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await openDemo(page);
  await navigate(page, 'Lineage');
  await page.getByRole('button', { name: /^Show all \d+ nodes$/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Labels are kept readable, so part of the graph is off screen: drag to pan' })).toBeVisible();
  const zoom = await page.locator('.react-flow__viewport').evaluate((element) => new DOMMatrixReadOnly(getComputedStyle(element).transform).a);
  expect(zoom).toBeGreaterThanOrEqual(0.8);
});

test('a stopped server is said in plain words, with what to do', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await navigate(page, 'Trust');
  await page.getByLabel('Policy text').fill(fs.readFileSync(demoBoard, 'utf8'));
  await stopHost(host);
  await page.getByRole('button', { name: 'Preview' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(
    'Not a usable board policy: The Countersign server has stopped, so nothing can be read or saved: start it again with `npm start` (or `countersign serve`) and open the new link it prints.',
  );
  await expect(alert).not.toContainText('Failed to fetch');
});

test('a bundle without a deployment file gets an empty state that offers one, and an empty table says nothing differs', async ({ page, host, workDir }) => {
  const bundle = path.join(workDir, 'no-deployment');
  fs.cpSync(demoBundle, bundle, { recursive: true });
  fs.rmSync(path.join(bundle, 'deployment.json'));
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await navigate(page, 'Home');
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundle);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Verdict' })).toBeVisible({ timeout: 60_000 });
  await navigate(page, 'Deployment');
  await expect(page.getByRole('heading', { name: 'This bundle has no deployment file' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.getByLabel('Open a deployment file').setInputFiles(path.join(demoBundle, 'deployment.json'));
  await expect(page.getByRole('table', { name: 'Manifest and deployment' })).toContainText('Nothing differs: every deployed artifact has the digest the manifest pins.');
  await expect(page.getByText('No row matches.')).toHaveCount(0);
});

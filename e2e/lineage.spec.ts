import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { syntheticLineage } from '../shared/lineage/layout/synthetic-lineage';
import { demoBundle, expect, test } from './web-host';

/** A node of the lineage graph, by the start of its accessible name ("model m92, model, ..."). */
const graphNode = (page: Page, name: string) => page.getByRole('group', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, `) });

async function openLineage(page: Page, bundlePath: string | null): Promise<void> {
  if (bundlePath === null) {
    await page.getByRole('button', { name: 'Open the demo bundle' }).click();
  } else {
    await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundlePath);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
  }
  await expect(page.getByRole('status', { name: 'Verdict' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Show lineage' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lineage' })).toBeVisible();
}

async function findNode(page: Page, text: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Find a node' }).fill(text);
  await page.getByRole('option', { name: new RegExp(`^${option}`) }).click();
}

test('the demo lineage: selecting the raw data highlights the model and its deployment; impact CSV, exports, keyboard', async ({ page, host }, testInfo) => {
  // Wide enough for the whole demo pipeline at a readable zoom; in a narrower window part of it is a pan away.
  await page.setViewportSize({ width: 1600, height: 900 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Pin these keys' }).click();
  await openLineage(page, null);

  // Opens on the model, one hop each way, with its subject's verification shown.
  const model = graphNode(page, 'model m92');
  await expect(model).toHaveAttribute('aria-label', 'model m92, model, subject verified, selected');
  await expect(graphNode(page, 'training job j1829')).toBeVisible();
  await expect(graphNode(page, 'production')).toBeVisible();
  await expect(graphNode(page, 'raw transactions Q1')).toHaveCount(0);

  await findNode(page, 'raw trans', 'raw transactions Q1');
  const source = graphNode(page, 'raw transactions Q1');
  await expect(source).toHaveAttribute('aria-label', /^raw transactions Q1, source, subject verified, selected$/);
  await expect(source).toBeFocused();
  await expect(model).toHaveAttribute('aria-label', /downstream of the selection$/);
  await expect(model).toHaveAttribute('data-highlighted', 'true');
  await expect(graphNode(page, 'production')).toHaveAttribute('data-highlighted', 'true');
  await expect(graphNode(page, 'production')).toHaveAttribute('aria-label', 'production, deployment, downstream of the selection');
  await testInfo.attach('raw data selected', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // The impact of the raw data, nearest first, as a spreadsheet would get it.
  const impact = page.getByRole('table', { name: 'Nodes downstream of raw transactions Q1' });
  await expect(impact.getByRole('row')).toHaveCount(6);
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = fs.readFileSync((await (await csvDownload).path())!, 'utf8');
  const rows = csv.trimEnd().split('\r\n').map((line) => line.split(','));
  expect(rows[0]).toEqual(['id', 'name', 'kind', 'degree', 'subject', 'releases', 'approvals', 'deployments']);
  expect(rows.slice(1).map((row) => [row[0], row[3]])).toEqual([
    ['fraud_signal_v2.3', '1'],
    ['features_v47', '2'],
    ['training_j1829', '3'],
    ['model_m92', '4'],
    ['deploy_production', '5'],
  ]);

  // Keyboard: right goes downstream, left upstream, Space selects, Enter shows hidden neighbours.
  await source.press('ArrowRight');
  const extractor = graphNode(page, 'fraud signal extractor');
  await expect(extractor).toBeFocused();
  await extractor.press('Enter');
  await expect(graphNode(page, 'feature table v47')).toBeVisible();
  await extractor.press('ArrowLeft');
  await expect(source).toBeFocused();
  await source.press('ArrowRight');
  await extractor.press('Space');
  await expect(extractor).toHaveAttribute('aria-label', /, selected$/);
  await expect(source).toHaveAttribute('aria-label', /upstream of the selection$/);
  await expect(page.getByRole('heading', { name: 'Impact of fraud signal extractor' })).toBeVisible();

  // Exports: an SVG of what is shown, and the same picture as PNG.
  const svgDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export SVG' }).click();
  const svg = fs.readFileSync((await (await svgDownload).path())!, 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  for (const name of ['raw transactions Q1', 'fraud signal extractor', 'feature table v47', 'model m92', 'production']) expect(svg).toContain(`>${name}</text>`);
  const pngDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export PNG' }).click();
  const png = fs.readFileSync((await (await pngDownload).path())!);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});

test('a lineage of 10,000 nodes lays out in the worker and stays usable with few DOM nodes', async ({ page, host, workDir }, testInfo) => {
  const bundle = path.join(workDir, 'large-lineage');
  fs.cpSync(demoBundle, bundle, { recursive: true });
  const graph = syntheticLineage(10_000);
  const lineage = {
    nodes: graph.nodes.map(({ id, kind, name }) => ({ id, kind, name })),
    edges: graph.edges,
  };
  fs.writeFileSync(path.join(bundle, 'lineage.json'), JSON.stringify(lineage));
  const deepest = graph.nodes.at(-1)!;
  expect(deepest.name).toBe('deployment 9999');

  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await openLineage(page, bundle);
  const status = page.getByRole('status').filter({ hasText: /laid out|Laying out/ });
  await expect(status).toContainText(/Showing \d+ of 10,000 nodes/);

  // Long main-thread tasks while 10,000 nodes are laid out and drawn (reported, not judged: the machine is shared).
  await page.evaluate(() => {
    const tasks: number[] = [];
    new PerformanceObserver((list) => tasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask' });
    Object.assign(window, { lineageLongTasks: tasks });
  });
  await page.getByRole('button', { name: 'Show all 10,000 nodes' }).click();
  await expect(status).toContainText('Showing 10,000 of 10,000 nodes, laid out in', { timeout: 30_000 });
  const longTasks = await page.evaluate(() => (window as unknown as { lineageLongTasks: number[] }).lineageLongTasks);
  testInfo.annotations.push({ type: 'main-thread long tasks (ms)', description: longTasks.map((ms) => ms.toFixed(0)).join(', ') || 'none' });
  const canvas = page.locator('.lineage-canvas');
  await expect(canvas).toHaveAttribute('data-level-of-detail', 'overview');
  const renderedNodes = page.locator('.react-flow__node');
  expect(await renderedNodes.count()).toBeLessThan(1_500);
  await testInfo.attach('overview of 10,000 nodes', { body: await page.screenshot(), contentType: 'image/png' });
  testInfo.annotations.push({ type: 'layout', description: (await status.textContent()) ?? '' });

  // Find a node at the far end of the graph: the view zooms in on it, in detail, and it can be driven by keyboard.
  await findNode(page, deepest.name, deepest.name);
  const node = graphNode(page, deepest.name);
  await expect(node).toHaveAttribute('aria-label', 'deployment 9999, deployment, selected');
  await expect(node).toBeFocused();
  await expect(canvas).toHaveAttribute('data-level-of-detail', 'detail-in-view');
  expect(await renderedNodes.count()).toBeLessThan(1_500);
  await node.press('ArrowLeft');
  await expect(page.locator('.react-flow__node:focus')).toHaveAttribute('aria-label', /upstream of the selection$/);
  await expect(page.getByRole('heading', { name: `Impact of ${deepest.name}` })).toBeVisible();
  await page.getByRole('radio', { name: /^Upstream/ }).check();
  await expect(page.getByRole('table', { name: `Nodes upstream of ${deepest.name}` })).toBeVisible();
  await testInfo.attach('deep node in detail', { body: await page.screenshot(), contentType: 'image/png' });
});

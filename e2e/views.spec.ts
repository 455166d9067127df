import path from 'node:path';
import type { Page } from '@playwright/test';
import { demoBundle, expect, repoRoot, test } from './web-host';

const demoBoard = path.join(repoRoot, 'assets', 'demo', 'board.json');
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
  await expect(page.getByText('Verified', { exact: true }).first()).toBeVisible();
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
      if (view === 'Deployment') {
        // Every row shown, with the widest content the demo has: full digests, references and locations.
        await page.getByRole('button', { name: 'show', exact: true }).click();
        await expect(page.getByRole('table', { name: 'Manifest and deployment' }).getByRole('row')).toHaveCount(3);
        await expectNoOverflow(page, `Deployment with every row at ${width} px`);
      }
    }
  });
}

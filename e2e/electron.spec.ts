import fs from 'node:fs';
import path from 'node:path';
import { test, expect, _electron, type ElectronApplication, type Page } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../shared/api/content-security-policy';
import { appPageUrl } from '../electron/main/app-origin';
import { demoBundle, makeTempDir, repoRoot } from './web-host';

/**
 * The real Electron window, driven through Playwright's `_electron`. The Electron runtime is
 * downloaded on first use from outside the npm registry; where it is absent this spec is
 * skipped and says so, rather than pass without having run.
 */

function electronBinary(): string | null {
  const electronPackage = path.join(repoRoot, 'node_modules', 'electron');
  const pathFile = path.join(electronPackage, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(electronPackage, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (binary === null) console.log('Electron binary not present on this machine: the Electron window was not tested.');

test.describe('Electron window', () => {
  // The Electron runtime is downloaded on first use, from a host some build machines cannot reach.
  test.skip(binary === null, 'Electron binary not present on this machine: the Electron window was not tested (run where Electron can be downloaded)');

  let app: ElectronApplication;
  let page: Page;
  let profileDir: string;

  test.beforeEach(async () => {
    profileDir = makeTempDir('electron-profile');
    app = await _electron.launch({
      executablePath: binary!,
      // A fresh profile: the database lives in userData, which --user-data-dir moves.
      args: [repoRoot, `--user-data-dir=${profileDir}`],
      cwd: repoRoot,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterEach(async () => {
    await app.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  test('loads the renderer from app://countersign/ with the strict CSP, and serves nothing outside it', async () => {
    expect(page.url().startsWith('app://countersign/')).toBe(true);
    const served = await page.evaluate(async () => {
      const index = await fetch('/index.html');
      const outside = await fetch('/%2e%2e/%2e%2e/package.json');
      return { csp: index.headers.get('content-security-policy'), outsideStatus: outside.status };
    });
    expect(served).toEqual({ csp: CONTENT_SECURITY_POLICY, outsideStatus: 404 });
  });

  test('exposes exactly invoke and on, and no Node globals', async () => {
    const exposed = await page.evaluate(() => Object.keys((window as unknown as { countersign: object }).countersign).sort());
    expect(exposed).toEqual(['invoke', 'on']);
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  });

  test('refuses commands outside the contract before they reach the main process', async () => {
    const result = await page.evaluate(() =>
      (window as unknown as { countersign: { invoke(command: string, input: unknown): Promise<unknown> } }).countersign.invoke('fs.readFile', {}),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  test('refuses navigation away and new windows', async () => {
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
      window.location.href = 'https://example.com/';
    });
    // A refused navigation leaves nothing to wait for; give a real one time to happen.
    await page.waitForTimeout(1_000);
    expect(page.url().startsWith('app://countersign/')).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  test('opens the demo bundle and shows it verified', async () => {
    // Trust the demo's keys the way the first-start offer does, through the real bridge.
    await page.evaluate(async (bundlePath) => {
      type Invoke = (command: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
      const invoke = (window as unknown as { countersign: { invoke: Invoke } }).countersign.invoke;
      const opened = await invoke('session.open', { path: bundlePath, verify: false });
      if (!opened.ok) throw new Error(opened.error?.message);
      const offered = await invoke('trust.offeredKeys', { sessionId: (opened.value as { sessionId: string }).sessionId });
      if (!offered.ok) throw new Error(offered.error?.message);
      for (const key of offered.value as { keyId: string | null; publicKey: string | null; comment: string | null; file: string; pinned: boolean }[]) {
        if (key.keyId === null || key.publicKey === null || key.pinned) continue;
        const pinned = await invoke('trust.pin', { publicKey: key.publicKey, name: key.comment ?? key.file, confirmKeyId: key.keyId });
        if (!pinned.ok) throw new Error(pinned.error?.message);
      }
      await invoke('settings.set', { demoKeysOfferAnswered: true });
    }, demoBundle);

    // The same route a command-line argument, a second launch or File > Open takes.
    await app.evaluate(({ BrowserWindow }, url) => BrowserWindow.getAllWindows()[0]?.loadURL(url), appPageUrl(demoBundle));
    await expect(page.getByText(/\bVerified\b/).first()).toBeVisible();
  });
});

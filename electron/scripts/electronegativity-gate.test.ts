import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { electronVersion } from './electron-runtime.mjs';
import { canaryBlindSpots, CANARY_EXPECTED_IDS, GATED_CHECK_IDS, judgeFindings, scanWithElectronegativity, type ElectronegativityIssue } from './electronegativity-gate.mjs';

const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-gate-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const SEVERITY = { INFORMATIONAL: { value: 0, name: 'INFORMATIONAL' }, LOW: { value: 1, name: 'LOW' }, MEDIUM: { value: 2, name: 'MEDIUM' } };
function finding(id: string, severity: keyof typeof SEVERITY, file = 'main/window.ts'): ElectronegativityIssue {
  return { id, file, severity: SEVERITY[severity], location: { line: 1, column: 0 }, description: id, shortenedURL: '' };
}

/** The app's own window definition, with one web preference rewritten. */
function mainWindowWith(from: string, to: string): string {
  const source = fs.readFileSync(path.join(scriptsDir, '..', 'main', 'main-window.ts'), 'utf8');
  expect(source).toContain(from);
  const dir = fs.mkdtempSync(path.join(work, 'window-'));
  fs.writeFileSync(path.join(dir, 'main-window.ts'), source.replace(from, to));
  return dir;
}

describe('Electron security gate', () => {
  it('fails on a gated check at any severity, and on other checks only from MEDIUM', () => {
    const verdict = judgeFindings([finding('NODE_INTEGRATION_JS_CHECK', 'INFORMATIONAL'), finding('BLINK_FEATURES_JS_CHECK', 'LOW'), finding('AFFINITY_JS_CHECK', 'LOW')]);
    expect(verdict.failing.map((issue) => issue.id)).toEqual(['NODE_INTEGRATION_JS_CHECK', 'BLINK_FEATURES_JS_CHECK']);
    expect(verdict.noted.map((issue) => issue.id)).toEqual(['AFFINITY_JS_CHECK']);
  });

  it('lets an allow-listed finding through only for the file it names, and reports entries that match nothing', () => {
    const allowList = [{ id: 'PRELOAD_JS_CHECK', file: 'main/main-window.ts', reason: 'reviewed' }];
    const verdict = judgeFindings([finding('PRELOAD_JS_CHECK', 'MEDIUM', 'main/main-window.ts'), finding('PRELOAD_JS_CHECK', 'MEDIUM', 'main/other.ts')], { allowList });
    expect(verdict.allowed.map(({ issue }) => issue.file)).toEqual(['main/main-window.ts']);
    expect(verdict.failing.map((issue) => issue.file)).toEqual(['main/other.ts']);
    expect(judgeFindings([], { allowList }).staleEntries).toEqual(allowList);
  });

  it('calls itself blind when the canary is not flagged by a check it exercises, or that check is not gated', () => {
    const reported = CANARY_EXPECTED_IDS.filter((id) => id !== 'SANDBOX_JS_CHECK').map((id) => finding(id, 'MEDIUM'));
    expect(canaryBlindSpots(reported).notReported).toEqual(['SANDBOX_JS_CHECK']);
    const ungated = GATED_CHECK_IDS.filter((id) => id !== 'NODE_INTEGRATION_JS_CHECK');
    expect(canaryBlindSpots(reported, { gatedIds: ungated }).notGated).toEqual(['NODE_INTEGRATION_JS_CHECK']);
  });

  it('fails the real scan of the app window once nodeIntegration is switched on, though Electronegativity misses it', async () => {
    const secure = await scanWithElectronegativity(mainWindowWith('nodeIntegration: false', 'nodeIntegration: false'), electronVersion());
    expect(judgeFindings(secure.issues).failing.map((issue) => issue.id)).not.toContain('NODE_INTEGRATION_JS_CHECK');

    const insecure = await scanWithElectronegativity(mainWindowWith('nodeIntegration: false', 'nodeIntegration: true'), electronVersion());
    // Electronegativity itself reports nothing here: the window also states `sandbox: true`.
    expect(insecure.issues.filter((issue) => issue.id === 'NODE_INTEGRATION_JS_CHECK')).toEqual([]);
    expect(judgeFindings(insecure.issues).failing).toContainEqual(expect.objectContaining({ id: 'COUNTERSIGN_INSECURE_WEB_PREFERENCE', file: 'main-window.ts' }));
  });

  it('fails the real scan when the tool reports node integration below MEDIUM (no sandbox stated)', async () => {
    const scanned = await scanWithElectronegativity(mainWindowWith('      sandbox: true,\n      nodeIntegration: false,', '      nodeIntegration: !0,'), electronVersion());
    const nodeIntegration = scanned.issues.filter((issue) => issue.id === 'NODE_INTEGRATION_JS_CHECK');
    expect(nodeIntegration).not.toEqual([]);
    expect(nodeIntegration.every((issue) => issue.severity.value < 2)).toBe(true);
    expect(judgeFindings(scanned.issues).failing.map((issue) => issue.id)).toContain('NODE_INTEGRATION_JS_CHECK');
  });
});

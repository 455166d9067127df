import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoBoard = path.join(repoRoot, 'assets/demo/board.json');
const ESC = '\x1b';

let work: string;

/** The built CLI with stdout a pipe (never a terminal), under the given colour environment. */
function countersign(args: string[], colourEnv: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'profile'), ...colourEnv };
  if (!('NO_COLOR' in colourEnv)) delete env['NO_COLOR'];
  if (!('FORCE_COLOR' in colourEnv)) delete env['FORCE_COLOR'];
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd: repoRoot, env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

function tamperedCopy(): string {
  const copy = path.join(work, `tampered-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, copy, { recursive: true });
  const model = path.join(copy, 'artifacts/model/fraud-m92.onnx');
  const bytes = fs.readFileSync(model);
  bytes[100] = bytes[100]! ^ 0xff;
  fs.writeFileSync(model, bytes);
  return copy;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-colour-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('colour in the CLI', () => {
  it('writes no escape sequence when stdout is not a terminal', async () => {
    const result = await countersign(['status', demoBundle, '--board', demoBoard], {});
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('NOT APPROVED fraud-detector@m92');
    expect(result.stdout).not.toContain(ESC);
  });

  it('colours the answer with FORCE_COLOR, and NO_COLOR turns it off again', async () => {
    const forced = await countersign(['status', demoBundle, '--board', demoBoard], { FORCE_COLOR: '1' });
    expect(forced.stdout.startsWith(`${ESC}[31m${ESC}[1mNOT APPROVED${ESC}[22m${ESC}[39m fraud-detector@m92`)).toBe(true);
    expect(forced.stdout).toContain(`${ESC}[32mVERIFIED${ESC}[39m`);
    const both = await countersign(['status', demoBundle, '--board', demoBoard], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(both.stdout).not.toContain(ESC);
    const verified = await countersign(['verify', demoBundle, '--board', demoBoard], { FORCE_COLOR: '1' });
    expect(verified.stdout.startsWith(`${ESC}[32m${ESC}[1mVERIFIED`)).toBe(true);
    const plain = await countersign(['verify', demoBundle, '--board', demoBoard], { NO_COLOR: '1' });
    expect(plain.stdout).not.toContain(ESC);
  });

  it('never colours JSON', async () => {
    const json = await countersign(['status', demoBundle, '--board', demoBoard, '--json'], { FORCE_COLOR: '1' });
    expect(json.stdout).not.toContain(ESC);
  });
});

describe('the answer first', () => {
  it('status puts the board answer and what stands in its way on the first line', async () => {
    const { stdout } = await countersign(['status', demoBundle, '--board', demoBoard], {});
    const [first, second] = stdout.split('\n');
    expect(first).toBe('NOT APPROVED fraud-detector@m92 — needs 2 more: risk, privacy seats');
    expect(second).toMatch(/^ {2}integrity: VERIFIED {2}\(/);
  });

  it('a tampered bundle says so in the header of status and diff', async () => {
    const bundle = tamperedCopy();
    const status = await countersign(['status', bundle, '--board', demoBoard], {});
    expect(status.code).toBe(1);
    expect(status.stdout.split('\n')[0]).toBe('NOT APPROVED fraud-detector@m92 — cannot be approved: the bundle is TAMPERED (its files do not match the signed manifest)');
    const diff = await countersign(['diff', bundle, '--board', demoBoard], {});
    expect(diff.code).toBe(1);
    expect(diff.stdout.split('\n')[0]).toBe('BLOCKED fraud-detector@m92 → production — cannot be approved: the bundle is TAMPERED (its files do not match the signed manifest)');
  });
});

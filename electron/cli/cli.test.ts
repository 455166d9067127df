import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';
import tar from 'tar-stream';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoBoard = path.join(repoRoot, 'assets/demo/board.json');
/** What the reviewer would compare by eye: the fingerprint ssh-keygen prints for the producer's key. */
const DEMO_PRODUCER_KEY_ID = execFileSync('ssh-keygen', ['-lf', path.join(demoBundle, 'keys/training-ci.pub')], { encoding: 'utf8' }).split(' ')[1]!;

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-cli-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the built CLI, as users run it, and returns its exit code and output. */
function countersign(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'default-profile') } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
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

async function tarWithEntry(name: string): Promise<string> {
  const pack = tar.pack();
  pack.entry({ name: 'manifest.dsse.json' }, '{}');
  pack.entry({ name }, 'evil');
  pack.finalize();
  const file = path.join(work, `hostile-${Math.random().toString(36).slice(2)}.tar`);
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}

describe('countersign verify', () => {
  it('exits 0 and says VERIFIED for the demo bundle under the demo board', async () => {
    const { code, stdout } = await countersign('verify', demoBundle, '--board', demoBoard);
    expect(stdout).toContain('VERIFIED fraud-detector@m92');
    expect(code).toBe(0);
  });

  it('exits 1 and names the failing file with expected and actual digests when a blob was changed', async () => {
    const { code, stdout } = await countersign('verify', tamperedCopy(), '--board', demoBoard);
    expect(code).toBe(1);
    expect(stdout).toContain('TAMPERED');
    expect(stdout).toMatch(/MISMATCH\s+model\/fraud-m92\.onnx/);
    expect(stdout).toMatch(/expected sha256 [0-9a-f]{64}/);
    expect(stdout).toMatch(/actual\s+sha256 [0-9a-f]{64}/);
  });

  it('gives the full report with key IDs under --json', async () => {
    const { code, stdout } = await countersign('verify', demoBundle, '--board', demoBoard, '--json');
    expect(code).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const report = JSON.parse(stdout);
    expect(report.verdict).toBe('verified');
    expect(report.signatures[0].keyId).toBe(DEMO_PRODUCER_KEY_ID);
    expect(report.subjects).toHaveLength(6);
  });

  it('exits 1 (untrusted) on a fresh profile that trusts no key', async () => {
    const { code, stdout } = await countersign('verify', demoBundle, '--data-dir', path.join(work, 'fresh'));
    expect(code).toBe(1);
    expect(stdout).toContain('UNTRUSTED');
  });

  it('with --board, neither reads nor writes the profile', async () => {
    const profile = path.join(work, 'never-created');
    const { code } = await countersign('verify', demoBundle, '--board', demoBoard, '--data-dir', profile);
    expect(code).toBe(0);
    expect(fs.existsSync(profile)).toBe(false);
  });

  it('exits 2 with a clear message for a missing bundle, a hostile archive, a bad board file and usage errors', async () => {
    const missing = await countersign('verify', path.join(work, 'nope'), '--board', demoBoard);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope');

    const hostile = await countersign('verify', await tarWithEntry('../escape.txt'), '--board', demoBoard);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toContain('../escape.txt');
    expect(fs.existsSync(path.join(work, 'escape.txt'))).toBe(false);

    const badBoard = path.join(work, 'board.json');
    fs.writeFileSync(badBoard, '{"board": "x", "board": "y"}');
    const board = await countersign('verify', demoBundle, '--board', badBoard);
    expect(board.code).toBe(2);
    expect(board.stderr).toMatch(/duplicate/i);

    expect((await countersign('verify')).code).toBe(2);
    expect((await countersign('verify', demoBundle, '--no-such-flag')).code).toBe(2);
    expect((await countersign('frobnicate')).code).toBe(2);
  });

  it('refuses an archive that expands past the ratio limit (exit 2, saying how to raise it), and opens it with --max-ratio', async () => {
    const folder = path.join(work, `compressible-${Math.random().toString(36).slice(2)}`);
    fs.cpSync(demoBundle, folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'artifacts', 'zeros.bin'), Buffer.alloc(8 * 1024 * 1024));
    const archive = `${folder}.zip`;
    execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])', archive, folder]);

    const refused = await countersign('verify', archive, '--board', demoBoard);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/compression ratio limit of 100:1/);
    expect(refused.stderr).toContain('--max-ratio');

    const allowed = await countersign('verify', archive, '--board', demoBoard, '--max-ratio', '100000');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('VERIFIED');
    expect((await countersign('verify', archive, '--max-ratio', 'lots')).code).toBe(2);
  });
});

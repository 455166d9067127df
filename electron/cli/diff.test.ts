import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoBoard = path.join(repoRoot, 'assets/demo/board.json');
const reviewers = path.join(repoRoot, 'assets/demo/reviewers');
const PASSPHRASE = 'demo reviewers only';
const OTHER_MODEL_SHA = '5'.repeat(64);

let work: string;
let approvedBundle: string;

/** Runs the built CLI, as users run it, and returns its exit code and output. */
function countersign(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'profile'), COUNTERSIGN_PASSPHRASE: PASSPHRASE };
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd: repoRoot, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const keyIdOf = (publicKeyFile: string) => execFileSync('ssh-keygen', ['-lf', publicKeyFile], { encoding: 'utf8' }).split(' ')[1]!;

function writeFile(name: string, content: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}

/** The demo's deployment with the model swapped and the serving image run as :latest. */
function swappedDeployment(): string {
  return writeFile(
    'swapped.json',
    JSON.stringify({
      environment: 'production',
      artifacts: [
        { name: 'model/fraud-m92.onnx', digest: { sha256: OTHER_MODEL_SHA } },
        { name: 'registry.example.com/fraud/serve', reference: 'registry.example.com/fraud/serve:latest' },
      ],
    }),
  );
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-diff-'));
  approvedBundle = path.join(work, 'approved-bundle');
  fs.cpSync(demoBundle, approvedBundle, { recursive: true });
  // Two demo board members approve the copy: Ada holds the risk seat, Alan the privacy seat.
  for (const [name, role] of [['ada', 'risk'], ['alan', 'privacy']] as const) {
    expect((await countersign('keys', 'import', path.join(reviewers, `${name}.key`), '--name', name)).code).toBe(0);
    const approved = await countersign('approve', approvedBundle, '--key', keyIdOf(path.join(reviewers, `${name}.pub`)), '--decision', 'approve', '--role', role, '--board', demoBoard);
    expect(approved.code, approved.stderr).toBe(0);
  }
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('countersign diff', () => {
  it('exits 0 and says DEPLOYABLE for the approved demo release and its own deployment', async () => {
    const { code, stdout } = await countersign('diff', approvedBundle, '--board', demoBoard);
    expect(stdout).toContain('DEPLOYABLE fraud-detector@m92 → production');
    expect(stdout).toContain('2 unchanged');
    expect(code).toBe(0);
  });

  it('exits 1 when the release is not approved, with the unmet rules as reasons', async () => {
    const { code, stdout } = await countersign('diff', demoBundle, '--board', demoBoard);
    expect(code).toBe(1);
    expect(stdout).toContain('BLOCKED fraud-detector@m92');
    expect(stdout).toContain('Not approved under the board policy: 0 of 2 required approvals by distinct members.');
  });

  it('exits 1 for a swapped model and a :latest image, each with its status and both sides', async () => {
    const { code, stdout } = await countersign('diff', approvedBundle, swappedDeployment(), '--board', demoBoard);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ digest-mismatch\s+model\/fraud-m92\.onnx\n\s+manifest\s+sha256:[0-9a-f]{64}\n\s+deployed\s+sha256:5{64}/);
    expect(stdout).toMatch(/! mutable-reference\s+registry\.example\.com\/fraud\/serve\n\s+manifest\s+sha256:[0-9a-f]{64}\n\s+deployed\s+registry\.example\.com\/fraud\/serve:latest \(no digest\)/);
    expect(stdout).toMatch(/- model\/fraud-m92\.onnx: digest mismatch/);
    expect(stdout).toMatch(/- registry\.example\.com\/fraud\/serve: mutable reference/);
  });

  it('lists unchanged rows with --all and gives the whole diff with --json', async () => {
    const all = await countersign('diff', approvedBundle, '--board', demoBoard, '--all');
    expect(all.stdout).toMatch(/✓ match\s+model\/fraud-m92\.onnx/);
    expect(all.stdout).not.toContain('unchanged');

    const { code, stdout } = await countersign('diff', approvedBundle, swappedDeployment(), '--board', demoBoard, '--json');
    expect(code).toBe(1);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const diff = JSON.parse(stdout);
    expect(diff.verdict).toBe('blocked');
    expect(diff.approved).toBe(true);
    expect(diff.rows.map((row: { status: string }) => row.status)).toEqual(['digest-mismatch', 'mutable-reference']);
  });

  it('reads Kubernetes YAML given on the command line', async () => {
    const manifest = writeFile(
      'serve.k8s.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: serve}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: serve, image: "registry.example.com/fraud/serve:m92"}\n      - {name: proxy, image: "nginx:1.27"}\n',
    );
    const { code, stdout } = await countersign('diff', approvedBundle, manifest, '--board', demoBoard);
    expect(code).toBe(1);
    expect(stdout).toContain('! mutable-reference');
    expect(stdout).toMatch(/\+ not-in-manifest\s+docker\.io\/library\/nginx/);
    expect(stdout).toMatch(/– not-deployed\s+model\/fraud-m92\.onnx/);
  });

  it('blocks on a fresh profile without a board policy: approvals were not evaluated', async () => {
    const { code, stdout } = await countersign('diff', approvedBundle, '--data-dir', path.join(work, 'fresh'));
    expect(code).toBe(1);
    expect(stdout).toContain('Approvals were not evaluated');
  });

  it('exits 2 on an unreadable deployment, naming the file and document', async () => {
    const bomb = writeFile('bomb.k8s.yaml', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: &c [${Array(10).fill('*b').join(', ')}]\nd: [${Array(10).fill('*c').join(', ')}]\n`);
    const bombed = await countersign('diff', approvedBundle, bomb, '--board', demoBoard);
    expect(bombed.code).toBe(2);
    expect(bombed.stderr).toContain('bomb.k8s.yaml document 1: too many alias expansions');

    const missing = await countersign('diff', approvedBundle, path.join(work, 'nope.json'), '--board', demoBoard);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such deployment file');

    const usage = await countersign('diff');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('diff takes a bundle path');
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILT_CLI } from './built-cli';
import { startTestAgent, sshKeygen, type TestAgent } from '../services/keys/test-ssh-agent';

// `release create` with its sources wired in: a git work tree, the hardware probe, and a key
// held by a real ssh-agent started by the test. The bundles are then checked by
// `countersign verify --board` under a board whose producer is the agent's key.

let work: string;
let repo: string;
let agent: TestAgent;
let agentKey: ReturnType<typeof sshKeygen>;
let boardFile: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads the CLI's JSON output as plain JSON
function parseJson(text: string): any {
  // eslint-disable-next-line no-restricted-syntax -- the CLI's own output, read back in a test
  return JSON.parse(text);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function countersign(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: repo, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'profile'), SSH_AUTH_SOCK: agent.socket, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim();

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-release-sources-cli-'));
  repo = path.join(work, 'repo');
  fs.mkdirSync(path.join(repo, 'model'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'model/m.onnx'), randomBytes(100_000));
  fs.writeFileSync(path.join(repo, 'train.py'), 'print("train")\n');
  git('init', '-q');
  git('remote', 'add', 'origin', 'https://ci-token:secret@git.example.com/fraud.git');
  git('add', '.');
  git('commit', '-q', '-m', 'model');
  agent = await startTestAgent(work);
  agentKey = sshKeygen(work, 'ed25519', 'release-agent');
  agent.add(agentKey.privateKeyFile);
  boardFile = path.join(work, 'board.json');
  fs.writeFileSync(
    boardFile,
    JSON.stringify({
      board: 'Test board',
      version: 1,
      members: [{ name: 'Ada', roles: ['risk'], keys: [fs.readFileSync(agentKey.publicKeyFile, 'utf8').trim()] }],
      producers: [],
      rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 90 },
    }),
  );
});
afterAll(async () => {
  await agent.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const create = (out: string, ...extra: string[]) =>
  countersign(['release', 'create', 'model', '--git', '.', '--hardware', 'auto', '--ssh-agent', agentKey.keyId, '--out', out, '--name', 'fraud', '--version', '1', '--json', ...extra]);

describe('release create with its sources', () => {
  it('pins the HEAD commit under the credential-free remote URL, records the hardware, signs with the ssh-agent key, and verifies', async () => {
    const out = path.join(work, 'with-sources.tar.gz');
    const run = await create(out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseJson(run.stdout)).toMatchObject({ createdBy: agentKey.keyId, format: 'tar.gz' });

    const verify = await countersign(['verify', out, '--board', boardFile, '--json']);
    expect(verify.code).toBe(0);
    const report = parseJson(verify.stdout);
    expect(report.verdict).toBe('verified');
    const statement = parseJson(Buffer.from(parseJson(execFileSync('tar', ['-xzOf', out, 'manifest.dsse.json'], { encoding: 'utf8' })).payload, 'base64').toString('utf8'));
    const code = statement.subject.find((subject: { name: string }) => subject.name === 'git+https://git.example.com/fraud.git');
    expect(code.digest).toEqual({ gitCommit: git('rev-parse', 'HEAD') });
    expect(statement.predicate.environment.git).toMatchObject({ dirty: false });
    expect(statement.predicate.environment.hardware).toMatchObject({ cpu: expect.anything() });
  });

  it('refuses a dirty work tree unless --allow-dirty, and leaves nothing behind', async () => {
    fs.writeFileSync(path.join(repo, 'train.py'), 'print("changed")\n');
    try {
      const out = path.join(work, 'dirty.tar.gz');
      const refused = await create(out);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/uncommitted|dirty/i);
      expect(fs.existsSync(out)).toBe(false);
      const allowed = await create(out, '--allow-dirty');
      expect(allowed.code).toBe(0);
    } finally {
      git('checkout', '--', 'train.py');
    }
  });

  it('refuses a key the agent does not hold, naming those it does', async () => {
    const other = sshKeygen(work, 'ed25519', 'not-in-agent');
    const run = await countersign(['release', 'create', 'model', '--ssh-agent', other.keyId, '--out', path.join(work, 'no-key.zip'), '--name', 'fraud', '--version', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`does not hold key ${other.keyId}`);
    expect(fs.existsSync(path.join(work, 'no-key.zip'))).toBe(false);
  });
});

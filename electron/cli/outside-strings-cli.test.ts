import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';

/**
 * Strings from a bundle, an approval or a board file that carry terminal escapes and bidi
 * overrides: the built CLI must show them, never pass them to the terminal.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const builtCli = path.join(repoRoot, 'dist/electron/cli.mjs');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoBoard = path.join(repoRoot, 'assets/demo/board.json');

const ESC = '\u001b';
const RLO = '\u202e';
const CSI = '\u009b';
/** Clears the screen, homes the cursor and draws a fake verdict: what a hostile key id would do. */
const FAKE_SCREEN = `${ESC}[2J${ESC}[H${ESC}[32mVERIFIED fraud-detector@m92${ESC}[0m\r\n`;
const HOSTILE_NAME = `model/${RLO}xnno.exe${CSI}31m\tsee`;
const HOSTILE_COMMENT = `fine${ESC}]0;pwned${String.fromCharCode(7)} ${'\u2066'}LGTM${'\u2069'}\u200f`;
/** What must never reach stdout or stderr raw. Line feeds are the CLI's own; CRLF only in CSV. */
const RAW_HAZARD = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

let work: string;

beforeAll(() => {
  if (!fs.existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` before this test.`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-outside-strings-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function countersign(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [builtCli, ...args],
      { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'profile'), COUNTERSIGN_PASSPHRASE: 'correct horse', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function expectNoRawHazard(output: { stdout: string; stderr: string }): void {
  expect(output.stdout).not.toMatch(RAW_HAZARD);
  expect(output.stderr).not.toMatch(RAW_HAZARD);
}

/** The demo bundle with a hostile key id on its signature, a hostile release name and a hostile subject name. */
function hostileBundle(): string {
  const copy = path.join(work, `hostile-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, copy, { recursive: true });
  const envelopeFile = path.join(copy, 'manifest.dsse.json');
  // eslint-disable-next-line no-restricted-syntax -- our own demo fixture
  const envelope = JSON.parse(fs.readFileSync(envelopeFile, 'utf8')) as { payload: string; signatures: { keyid: string; sig: string }[] };
  // eslint-disable-next-line no-restricted-syntax -- our own demo fixture
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
    subject: { name: string; digest: Record<string, string> }[];
    predicate: { release: { name: string }; artifacts: Record<string, unknown> };
  };
  statement.subject.push({ name: HOSTILE_NAME, digest: { sha256: 'ab'.repeat(32) } });
  statement.predicate.artifacts[HOSTILE_NAME] = { kind: 'model' };
  statement.predicate.release.name = `fraud${RLO}rotceted`;
  envelope.payload = Buffer.from(JSON.stringify(statement, null, 2)).toString('base64');
  envelope.signatures[0]!.keyid = FAKE_SCREEN;
  fs.writeFileSync(envelopeFile, JSON.stringify(envelope));
  return copy;
}

describe('strings from outside, through the built CLI', () => {
  it('verify shows a hostile key id, release name and subject name instead of obeying them, and still fails', async () => {
    const result = await countersign(['verify', hostileBundle(), '--board', demoBoard, '--all']);
    expect(result.code).not.toBe(0);
    expectNoRawHazard(result);
    expect(result.stdout).toContain('\\x1b[2J\\x1b[H\\x1b[32mVERIFIED fraud-detector@m92\\x1b[0m\\x0d\\x0a');
    expect(result.stdout).toContain('fraud<U+202E>rotceted');
    expect(result.stdout).toContain('model/<U+202E>xnno.exe\\u009b31m\\x09see');
    // The fake verdict never starts a line of its own.
    expect(result.stdout.split('\n').some((line) => line.startsWith('VERIFIED'))).toBe(false);
  });

  it('verify --json stays valid JSON that parses back to the hostile strings, with nothing raw in it', async () => {
    const result = await countersign(['verify', hostileBundle(), '--board', demoBoard, '--json']);
    expectNoRawHazard(result);
    expect(result.stdout).toContain('\\u202e');
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const report = JSON.parse(result.stdout) as { signatures: { keyIdHint: string | null }[]; subjects: { name: string }[] };
    expect(report.signatures.map((signature) => signature.keyIdHint)).toContain(FAKE_SCREEN);
    expect(report.subjects.map((subject) => subject.name)).toContain(HOSTILE_NAME);
  });

  it('status shows a hostile board name, and --json carries a hostile approval comment escaped', async () => {
    const profile = path.join(work, 'reviewer');
    const generated = await countersign(['keys', 'generate', '--name', 'ada@laptop', '--json', '--data-dir', profile]);
    expect(generated.code, generated.stderr).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const key = JSON.parse(generated.stdout) as { keyId: string; publicKey: string };
    // eslint-disable-next-line no-restricted-syntax -- our own demo fixture
    const policy = JSON.parse(fs.readFileSync(demoBoard, 'utf8')) as { board: string; members: { name: string; roles: string[]; keys: string[] }[] };
    policy.board = `Board${ESC}[2J${RLO}`;
    policy.members.push({ name: `Ada${ESC}[8m`, roles: ['risk'], keys: [key.publicKey] });
    const board = path.join(work, 'hostile-board.json');
    fs.writeFileSync(board, JSON.stringify(policy, null, 2));

    const bundle = path.join(work, `approved-${Math.random().toString(36).slice(2)}`);
    fs.cpSync(demoBundle, bundle, { recursive: true });
    const approved = await countersign(['approve', bundle, '--key', key.keyId, '--decision', 'approve', '--role', 'risk', '--comment', HOSTILE_COMMENT, '--board', board, '--data-dir', profile]);
    expectNoRawHazard(approved);
    expect(approved.code, approved.stderr).toBe(0);

    const human = await countersign(['status', bundle, '--board', board]);
    expectNoRawHazard(human);
    expect(human.stdout).toContain('board: Board\\x1b[2J<U+202E>');
    expect(human.stdout).toContain('Ada\\x1b[8m');

    const json = await countersign(['status', bundle, '--board', board, '--json']);
    expectNoRawHazard(json);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const status = JSON.parse(json.stdout) as { evaluation: { approvals: { comment: string | null }[] } };
    expect(status.evaluation.approvals.map((approval) => approval.comment)).toContain(HOSTILE_COMMENT);
  });

  it('an error naming a hostile archive entry shows its bidi override instead of obeying it', async () => {
    const pack = tar.pack();
    pack.entry({ name: 'manifest.dsse.json' }, '{}');
    pack.entry({ name: `artifacts/${RLO}gpj.exe/../../escape` }, 'evil');
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    const archive = path.join(work, 'hostile-entry.tar');
    fs.writeFileSync(archive, Buffer.concat(chunks));

    const result = await countersign(['verify', archive, '--board', demoBoard]);
    expect(result.code).toBe(2);
    expectNoRawHazard(result);
    expect(result.stderr).toContain('\\u202egpj.exe');
  });

  it('lineage impact shows hostile node names in its text and CSV output; the CSV keeps its CRLF line ends', async () => {
    const file = path.join(work, 'hostile.lineage.json');
    const lineage = {
      nodes: [
        { id: 'src', kind: 'source', name: 'raw data' },
        { id: `model${ESC}[2J`, kind: 'model', name: `model ${RLO}29m${CSI}0m` },
      ],
      edges: [{ from: 'src', to: `model${ESC}[2J` }],
    };
    fs.writeFileSync(file, JSON.stringify(lineage));

    const text = await countersign(['lineage', 'impact', file, '--node', 'src']);
    expect(text.code, text.stderr).toBe(0);
    expectNoRawHazard(text);
    expect(text.stdout).toContain('model\\x1b[2J');
    expect(text.stdout).toContain('model <U+202E>29m\\u009b0m');

    const csv = await countersign(['lineage', 'impact', file, '--node', 'src', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.replaceAll('\r\n', '\n')).not.toMatch(RAW_HAZARD);
    expect(csv.stdout.split('\r\n')).toHaveLength(3);
    expect(csv.stdout).toContain('model <U+202E>29m\\u009b0m');
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';
import { signedPayload, testKey } from '../../shared/approvals/test-keys';

// The PDF is read back with poppler's pdftotext and pdfinfo (Debian: poppler-utils), the
// evidence unpacked with unzip, as a person checking the record would.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoBoard = path.join(repoRoot, 'assets/demo/board.json');
const RULES = ['release-intact', 'manifest-signed', 'approvals-required', 'roles-required', 'author-excluded', 'no-blocking-rejection', 'approval-age'];
const DIGEST = '119767b0c250400a552e113232299ee3e66ab8dc35583d9f86d70709abde465e';
const HOSTILE_RELEASE = 'fraud) Tj ET (x\u202elmth.exe\u001b[2J\u4e2d';

let work: string;
let profile: string;
let bundle: string;
const keyIds: Record<string, string> = {};

function countersign(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: profile, COUNTERSIGN_PASSPHRASE: 'correct horse' }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

async function ok(args: string[]): Promise<string> {
  const result = await countersign(args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-report-cli-'));
  profile = path.join(work, 'profile');
  bundle = path.join(work, 'bundle');
  fs.cpSync(demoBundle, bundle, { recursive: true });
  for (const name of ['ada', 'alan', 'grace']) {
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const key = JSON.parse(await ok(['keys', 'import', path.join(repoRoot, 'assets/demo/reviewers', `${name}.key`), '--name', name, '--json'])) as { keyId: string };
    keyIds[name] = key.keyId;
  }
  await ok(['trust', 'import-board', demoBoard, '--yes']);
  await ok(['approve', bundle, '--key', keyIds['ada']!, '--decision', 'approve', '--role', 'risk', '--comment', 'Risk | reviewed `ok`', '--condition', 'monitor drift weekly']);
  await ok(['approve', bundle, '--key', keyIds['alan']!, '--decision', 'approve', '--role', 'privacy', '--comment', 'privacy reviewed']);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('countersign report', () => {
  it('writes a PDF naming the release, the digest, each reviewer and each rule, with the digest and page numbers on every page', async () => {
    const out = path.join(work, 'record.pdf');
    const stdout = await ok(['report', bundle, '--board', demoBoard, '--format', 'pdf', '--out', out]);
    expect(stdout).toContain('Approved and deployable');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Page size:\s+595.28 x 841.89 pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    for (const expected of ['fraud-detector m92', DIGEST, 'Ada Byron', 'Alan Turing', 'APPROVED', 'monitor drift weekly', ...RULES]) expect(text).toContain(expected);
    const pageTexts = text.split('\f').filter((page) => page.trim() !== '');
    expect(pageTexts).toHaveLength(pages);
    pageTexts.forEach((page, index) => {
      expect(page).toContain(`manifest sha256:${DIGEST}`);
      expect(page).toContain(`page ${index + 1} of ${pages}`);
    });

    const letter = path.join(work, 'record-letter.pdf');
    await ok(['report', bundle, '--board', demoBoard, '--format', 'pdf', '--paper', 'letter', '--out', letter]);
    expect(execFileSync('pdfinfo', [letter], { encoding: 'utf8' })).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
  });

  it('writes one self-contained HTML file: a strict policy, no reference to anything outside it', async () => {
    const out = path.join(work, 'record.html');
    await ok(['report', bundle, '--board', demoBoard, '--format', 'html', '--out', out]);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    const tags = html.match(/<[a-z][^>]*>/gi)!;
    for (const tag of tags) expect(tag).not.toMatch(/\s(src|href|action|srcset|xlink:href|background|poster|data)\s*=/i);
    expect(tags.filter((tag) => /^<(script|link|iframe|object|embed|img|base)\b/i.test(tag))).toEqual([]);
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    for (const expected of ['fraud-detector m92', DIGEST, 'Ada Byron', 'Alan Turing', '<svg', ...RULES]) expect(html).toContain(expected);
  });

  it('writes Markdown whose tables keep their columns', async () => {
    const out = path.join(work, 'record.md');
    await ok(['report', bundle, '--board', demoBoard, '--format', 'md', '--out', out]);
    const markdown = fs.readFileSync(out, 'utf8');
    for (const expected of ['fraud-detector m92', DIGEST, 'Ada Byron', 'Alan Turing', ...RULES]) expect(markdown).toContain(expected);
    const adaRow = markdown.split('\n').find((line) => line.startsWith('| Ada Byron'))!;
    expect(adaRow).toContain('Risk \\| reviewed \\`ok\\`');
    expect(adaRow.match(/(?<!\\)\|/g)).toHaveLength(8);
  });

  it("includes this profile's audit entries for the release and the chain's status when judged under the profile", async () => {
    const out = path.join(work, 'record-profile.md');
    await ok(['report', bundle, '--format', 'md', '--out', out]);
    const markdown = fs.readFileSync(out, 'utf8');
    expect(markdown).toContain('The audit chain holds');
    const auditRows = markdown.split('\n').filter((line) => line.startsWith('| ') && line.includes('| approval.made |'));
    expect(auditRows).toHaveLength(2);
    expect(auditRows.join('\n')).toContain(keyIds['ada']!);
  });

  it('writes evidence that verify and status judge as the bundle itself was judged', async () => {
    const out = path.join(work, 'evidence-record.html');
    const evidence = path.join(work, 'evidence.zip');
    await ok(['report', bundle, '--board', demoBoard, '--format', 'html', '--out', out, '--evidence', evidence]);
    const unpacked = path.join(work, 'evidence');
    fs.mkdirSync(unpacked);
    execFileSync('unzip', ['-q', evidence, '-d', unpacked]);
    expect(fs.readdirSync(unpacked).sort()).toEqual(['README.txt', 'approval-status.json', 'approvals', 'board.json', 'keys', 'manifest.dsse.json', 'record.html', 'verification-report.json']);
    expect(fs.readFileSync(path.join(unpacked, 'record.html'), 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
    expect(fs.readdirSync(path.join(unpacked, 'approvals'))).toHaveLength(2);

    const board = path.join(unpacked, 'board.json');
    const verdictOf = async (target: string, boardFile: string) => {
      const result = await countersign(['verify', target, '--board', boardFile, '--json']);
      // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
      return { code: result.code, verdict: (JSON.parse(result.stdout) as { verdict: string; manifest: { digest: string } }).verdict };
    };
    const statusOf = async (target: string, boardFile: string) => {
      const result = await countersign(['status', target, '--board', boardFile, '--json']);
      // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
      const parsed = JSON.parse(result.stdout) as { evaluation: { approved: boolean; manifestDigest: string; rules: { id: string; met: boolean }[]; counted: unknown[] } };
      return { code: result.code, approved: parsed.evaluation.approved, digest: parsed.evaluation.manifestDigest, rules: parsed.evaluation.rules.map(({ id, met }) => ({ id, met })), counted: parsed.evaluation.counted };
    };
    expect(await verdictOf(unpacked, board)).toEqual(await verdictOf(bundle, demoBoard));
    expect(await verdictOf(unpacked, board)).toEqual({ code: 0, verdict: 'verified' });
    const again = await statusOf(unpacked, board);
    expect(again).toEqual(await statusOf(bundle, demoBoard));
    expect(again).toMatchObject({ code: 0, approved: true, digest: DIGEST });

    const second = path.join(work, 'evidence-2.zip');
    await ok(['report', bundle, '--board', demoBoard, '--format', 'md', '--out', path.join(work, 'again.md'), '--evidence', second]);
    const listing = (file: string) => execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter((name) => !name.startsWith('record'));
    expect(listing(second)).toEqual(listing(evidence));
  });

  it('neutralises a hostile release in every format', async () => {
    // The demo release renamed and re-signed by a producer of a board made here, so that its hostile strings verify.
    const producer = testKey('report hostile producer');
    const hostile = path.join(work, 'hostile-bundle');
    fs.cpSync(demoBundle, hostile, { recursive: true });
    const envelopeFile = path.join(hostile, 'manifest.dsse.json');
    // eslint-disable-next-line no-restricted-syntax -- our own demo fixture
    const envelope = JSON.parse(fs.readFileSync(envelopeFile, 'utf8')) as { payload: string };
    // eslint-disable-next-line no-restricted-syntax -- our own demo fixture
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
      subject: { name: string; digest: Record<string, string> }[];
      predicate: { release: { name: string }; createdBy: string; artifacts: Record<string, unknown> };
    };
    statement.predicate.release.name = HOSTILE_RELEASE;
    statement.predicate.createdBy = producer.keyId;
    statement.subject.push({ name: 'model/a|b`c`<img src=x>', digest: { sha256: 'ab'.repeat(32) } });
    statement.predicate.artifacts['model/a|b`c`<img src=x>'] = { kind: 'model' };
    fs.writeFileSync(envelopeFile, signedPayload([producer], new TextEncoder().encode(JSON.stringify(statement))));
    // eslint-disable-next-line no-restricted-syntax -- our own demo fixture
    const policy = JSON.parse(fs.readFileSync(demoBoard, 'utf8')) as { producers: unknown[] };
    policy.producers = [{ name: 'CI ) Tj (\u202e', keys: [producer.openssh] }];
    const board = path.join(work, 'hostile-board.json');
    fs.writeFileSync(board, JSON.stringify(policy));

    for (const format of ['pdf', 'html', 'md']) {
      const out = path.join(work, `hostile.${format}`);
      const result = await countersign(['report', hostile, '--board', board, '--format', format, '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout, result.stderr).toContain('Needs 2 more: risk and privacy seats');
    }
    const text = execFileSync('pdftotext', [path.join(work, 'hostile.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('PENDING: Needs 2 more: risk and privacy seats');
    expect(text).toContain('fraud) Tj ET (x<U+202E>lmth.exe\\x1b[2J<U+4E2D>');
    expect(text).toContain('CI ) Tj (<U+202E>');
    expect(text).not.toMatch(/[\u001b\u202e]/);
    const html = fs.readFileSync(path.join(work, 'hostile.html'), 'utf8');
    expect(html).not.toMatch(/<img|[\u001b\u202e]/);
    expect(html).toContain('fraud) Tj ET (x&#60;U+202E&#62;lmth.exe\\x1b[2J中');
    const markdown = fs.readFileSync(path.join(work, 'hostile.md'), 'utf8');
    expect(markdown).not.toMatch(/<img|[\u001b\u202e]/);
    expect(markdown).toContain('model/a\\|b\\`c\\`&lt;img src=x&gt;');
  });

  it('records a tampered release as one that cannot be approved, integrity first', async () => {
    const tampered = path.join(work, 'tampered-bundle');
    fs.cpSync(demoBundle, tampered, { recursive: true });
    fs.appendFileSync(path.join(tampered, 'artifacts/model/fraud-m92.onnx'), 'swapped');
    const out = path.join(work, 'tampered.md');
    const result = await countersign(['report', tampered, '--board', demoBoard, '--format', 'md', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const markdown = fs.readFileSync(out, 'utf8');
    expect(markdown).toContain('**REFUSED: Cannot be approved: tampered**');
    expect(markdown).toMatch(/\*\*REFUSED[^\n]*\n\n- [^\n]*model\/fraud-m92\.onnx/);
  });

  it('refuses bad input with exit 2 and writes nothing', async () => {
    const out = path.join(work, 'refused.pdf');
    const evidence = path.join(work, 'refused.zip');
    const badFormat = await countersign(['report', bundle, '--format', 'docx', '--out', out]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be html, pdf or md');
    const noDeployment = await countersign(['report', bundle, '--board', demoBoard, '--format', 'pdf', '--out', out, '--evidence', evidence, '--deployment', path.join(work, 'no-such.yaml')]);
    expect(noDeployment.code).toBe(2);
    expect(noDeployment.stderr).toContain('no-such.yaml');
    fs.mkdirSync(path.join(work, 'taken.zip'));
    const evidenceIsFolder = await countersign(['report', bundle, '--board', demoBoard, '--format', 'pdf', '--out', out, '--evidence', path.join(work, 'taken.zip')]);
    expect(evidenceIsFolder.code).toBe(2);
    expect(evidenceIsFolder.stderr).toContain('Nothing was written');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(evidence)).toBe(false);
    expect(fs.readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

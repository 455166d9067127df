import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';

// `countersign release create`, run as users run it. Every bundle it makes is checked here by
// an independent verifier (system tar and unzip, openssl for Ed25519 over the DSSE PAE,
// node:crypto's SHA-256, ssh-keygen for the key ID), never by Countersign's own code; then by
// `countersign verify` under a board that trusts the key.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSPHRASE = 'correct horse battery';
const CREATED_AT = '2026-11-01T12:00:00Z';
const IMAGE_DIGEST = createHash('sha256').update('serve image').digest('hex');
const IMAGE = `registry.example.com/fraud/serve@sha256:${IMAGE_DIGEST}`;
/** As root, file modes do not stop reads: the unreadable-file test runs the CLI as nobody. */
const NOBODY = 65534;

let work: string;
let project: string;
let keyFile: string;
let boardFile: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function countersign(args: string[], options: { env?: Record<string, string>; cwd?: string; uid?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      {
        cwd: options.cwd ?? project,
        env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, `profile-${options.uid ?? 'own'}`), COUNTERSIGN_PASSPHRASE: PASSPHRASE, ...options.env },
        ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function create(out: string, extra: string[] = [], options: Parameters<typeof countersign>[1] = {}): Promise<Run> {
  return countersign(
    [
      'release', 'create', 'model', 'data', 'features',
      '--lock', 'requirements.lock',
      '--image', IMAGE,
      '--subject', `code:git+https://git.example.com/fraud.git=gitCommit:${'ab'.repeat(20)}`,
      '--lineage', 'lineage.json',
      '--deployment', 'deployment.json',
      '--seed', '42', '--hardware-file', 'hardware.json', '--tolerance', 'AUC=0.01', '--metric', 'AUC=0.912', '--metric', 'recall=0.8',
      '--kind', 'features/*.json=features', '--exclude', '*.tmp',
      '--created-at', CREATED_AT,
      '--key-file', keyFile,
      '--out', out,
      '--name', 'fraud-detector', '--version', 'm93',
      ...extra,
    ],
    options,
  );
}

const write = (relative: string, bytes: Uint8Array | string) => {
  const file = path.join(project, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
};

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-release-cli-'));
  fs.chmodSync(work, 0o755);
  project = path.join(work, 'project');
  write('model/fraud-m93.onnx', randomBytes(300_000));
  write('data/transactions.parquet', randomBytes(200_000));
  write('data/sample.csv', 'amount,label\n1,0\n');
  write('data/scratch.tmp', 'left out by --exclude');
  write('features/schema-v48.json', '{"columns": []}\n');
  write('requirements.lock', 'numpy==2.3.4\n');
  write('hardware.json', '{"cpu": "x86_64", "gpu": "NVIDIA A100"}');
  write('lineage.json', JSON.stringify({ nodes: [{ id: 'data', kind: 'dataset', subject: 'data/transactions.parquet' }, { id: 'model', kind: 'model', subject: 'model/fraud-m93.onnx' }], edges: [{ from: 'data', to: 'model' }] }));
  write('deployment.json', JSON.stringify({ environment: 'production', artifacts: [{ name: 'registry.example.com/fraud/serve', reference: IMAGE }] }));
  keyFile = path.join(work, 'release-ci');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-C', 'release-ci@test', '-f', keyFile]);
  fs.chmodSync(keyFile, 0o644); // Read by the CLI running as nobody, below.
  const publicLine = fs.readFileSync(`${keyFile}.pub`, 'utf8').trim();
  boardFile = path.join(work, 'board.json');
  fs.writeFileSync(
    boardFile,
    JSON.stringify({
      board: 'Test board',
      version: 1,
      members: [{ name: 'Ada', roles: ['risk'], keys: [fs.readFileSync(path.join(repoRoot, 'assets/demo/reviewers/ada.pub'), 'utf8').trim()] }],
      producers: [{ name: 'release CI', keys: [publicLine] }],
      rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
    }),
  );
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const outPath = (name: string) => path.join(work, 'out', name);
beforeAll(() => {
  fs.mkdirSync(path.join(work, 'out'));
  fs.chmodSync(path.join(work, 'out'), 0o777);
  if (process.getuid?.() === 0) {
    fs.mkdirSync(path.join(work, `profile-${NOBODY}`), { mode: 0o700 });
    fs.chownSync(path.join(work, `profile-${NOBODY}`), NOBODY, NOBODY);
  }
});

/**
 * The independent verifier reads JSON as any other tool would, with the language's own parser,
 * not with Countersign's strict one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the verifier walks the document as plain JSON
function parseJson(text: string): any {
  // eslint-disable-next-line no-restricted-syntax -- deliberately not Countersign's parser: this is the independent check
  return JSON.parse(text);
}

/** Unpacks an archive with the system's own tools into a fresh directory. */
function unpack(archive: string): string {
  const dir = fs.mkdtempSync(path.join(work, 'unpacked-'));
  if (archive.endsWith('.zip')) execFileSync('unzip', ['-q', archive, '-d', dir]);
  else execFileSync('tar', ['-xzf', archive, '-C', dir]);
  return dir;
}

/** The Ed25519 key of an OpenSSH public key line as PEM SubjectPublicKeyInfo, decoded by hand (RFC 4253 wire format, RFC 8410). */
function pemOfOpenSshLine(line: string): string {
  const blob = Buffer.from(line.split(' ')[1]!, 'base64');
  const typeLength = blob.readUInt32BE(0);
  expect(blob.subarray(4, 4 + typeLength).toString()).toBe('ssh-ed25519');
  const key = blob.subarray(8 + typeLength, 8 + typeLength + 32);
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

/**
 * FORMATS.md alone, checked with openssl and node:crypto: the envelope's one signature verifies
 * over PAE(payloadType, payload) under the producer's key; its keyid and createdBy are that key's
 * ssh-keygen fingerprint; every subject with a blob matches it by SHA-256 and size.
 */
function verifyIndependently(bundleDir: string): { statement: ReturnType<typeof parseJson> } {
  const envelope = parseJson(fs.readFileSync(path.join(bundleDir, 'manifest.dsse.json'), 'utf8'));
  const payload = Buffer.from(envelope.payload, 'base64');
  const type = Buffer.from(envelope.payloadType);
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
  const scratch = fs.mkdtempSync(path.join(work, 'openssl-'));
  fs.writeFileSync(path.join(scratch, 'pae.bin'), pae);
  fs.writeFileSync(path.join(scratch, 'sig.bin'), Buffer.from(envelope.signatures[0].sig, 'base64'));
  fs.writeFileSync(path.join(scratch, 'pub.pem'), pemOfOpenSshLine(fs.readFileSync(`${keyFile}.pub`, 'utf8')));
  const verified = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-in', 'pae.bin', '-sigfile', 'sig.bin'], { cwd: scratch, encoding: 'utf8' });
  expect(verified).toContain('Signature Verified Successfully');

  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${keyFile}.pub`], { encoding: 'utf8' }).split(' ')[1];
  const statement = parseJson(payload.toString('utf8'));
  expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
  expect(envelope.signatures).toHaveLength(1);
  expect(envelope.signatures[0].keyid).toBe(fingerprint);
  expect(statement.predicate.createdBy).toBe(fingerprint);
  expect(statement._type).toBe('https://in-toto.io/Statement/v1');
  expect(statement.predicateType).toBe('https://countersign.dev/release/v1');
  for (const subject of statement.subject) {
    const blob = path.join(bundleDir, 'artifacts', subject.name);
    if (!fs.existsSync(blob)) continue;
    const bytes = fs.readFileSync(blob);
    expect(subject.digest.sha256, subject.name).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(statement.predicate.artifacts[subject.name].size).toBe(bytes.length);
  }
  return { statement };
}

/** Every file a bundle directory holds, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('release create', () => {
  it('makes a tar.gz bundle that an independent verifier and countersign verify --board both accept', async () => {
    const out = outPath('m93.tar.gz');
    const run = await create(out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created fraud-detector@m93');

    const dir = unpack(out);
    const { statement } = verifyIndependently(dir);
    expect(filesUnder(dir)).toEqual([
      'artifacts/data/sample.csv',
      'artifacts/data/transactions.parquet',
      'artifacts/features/schema-v48.json',
      'artifacts/model/fraud-m93.onnx',
      'artifacts/requirements.lock',
      'deployment.json',
      'keys/release-signer.pub',
      'lineage.json',
      'manifest.dsse.json',
    ]);
    expect(statement.subject.map((subject: { name: string }) => subject.name)).toEqual([
      'data/sample.csv',
      'data/transactions.parquet',
      'features/schema-v48.json',
      'git+https://git.example.com/fraud.git',
      'model/fraud-m93.onnx',
      'registry.example.com/fraud/serve',
      'requirements.lock',
    ]);
    const { artifacts, environment, tolerance, evaluation, createdAt, release } = statement.predicate;
    expect(release).toEqual({ name: 'fraud-detector', version: 'm93' });
    expect(artifacts['model/fraud-m93.onnx']).toEqual({ kind: 'model', size: 300_000, mediaType: 'application/onnx' });
    expect(artifacts['data/transactions.parquet'].kind).toBe('dataset');
    expect(artifacts['features/schema-v48.json'].kind).toBe('features');
    expect(artifacts['requirements.lock'].kind).toBe('lockfile');
    expect(artifacts['registry.example.com/fraud/serve']).toEqual({ kind: 'container' });
    expect(artifacts['git+https://git.example.com/fraud.git']).toEqual({ kind: 'code' });
    expect(statement.subject.find((subject: { name: string }) => subject.name === 'registry.example.com/fraud/serve').digest).toEqual({ sha256: IMAGE_DIGEST });
    expect(environment).toEqual({ seed: 42, hardware: { cpu: 'x86_64', gpu: 'NVIDIA A100' } });
    expect(tolerance).toEqual({ metric: 'AUC', maxDelta: 0.01 });
    expect(evaluation).toEqual({ metrics: { AUC: 0.912, recall: 0.8 } });
    expect(createdAt).toBe(CREATED_AT);

    const verify = await countersign(['verify', out, '--board', boardFile]);
    expect(verify.stdout).toMatch(/^VERIFIED fraud-detector@m93/);
    expect(verify.code).toBe(0);
  });

  it('makes zip and directory bundles that verify the same way', async () => {
    for (const name of ['m93.zip', 'm93-dir']) {
      const out = outPath(name);
      expect((await create(out)).code).toBe(0);
      verifyIndependently(name.endsWith('.zip') ? unpack(out) : out);
      const verify = await countersign(['verify', out, '--board', boardFile]);
      expect(verify.stdout, name).toMatch(/^VERIFIED fraud-detector@m93/);
    }
  });

  it('is deterministic: two runs give byte-identical manifests, tar.gz and zip archives', async () => {
    for (const name of ['same-dir', 'same.tar.gz', 'same.zip', 'same.csbundle']) {
      const first = outPath(`1-${name}`);
      const second = outPath(`2-${name}`);
      expect((await create(first)).code).toBe(0);
      expect((await create(second)).code).toBe(0);
      const bytes = (out: string) => fs.readFileSync(name.endsWith('dir') ? path.join(out, 'manifest.dsse.json') : out);
      expect(bytes(first).equals(bytes(second)), name).toBe(true);
    }
    const later = outPath('later.tar.gz');
    expect((await create(later, ['--created-at', '2026-11-02T12:00:00Z'])).code).toBe(0);
    expect(fs.readFileSync(later).equals(fs.readFileSync(outPath('1-same.tar.gz')))).toBe(false);
  }, 300_000); // Nine runs of the CLI, each a process of its own: generous on a shared machine.

  it('signs with a key of the profile, its passphrase from COUNTERSIGN_PASSPHRASE', async () => {
    const imported = await countersign(['keys', 'import', keyFile, '--name', 'release CI', '--json']);
    expect(imported.code).toBe(0);
    const keyId = parseJson(imported.stdout).keyId as string;
    const args = ['release', 'create', 'model', '--out', '', '--name', 'fraud-detector', '--version', 'm93', '--key', keyId, '--created-at', CREATED_AT];
    const out = outPath('profile.tar.gz');
    args[4] = out;
    const run = await countersign(args);
    expect(run.stderr).toBe('');
    verifyIndependently(unpack(out));

    const wrongOut = outPath('wrong-passphrase.tar.gz');
    args[4] = wrongOut;
    const wrong = await countersign(args, { env: { COUNTERSIGN_PASSPHRASE: 'not it' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/wrong passphrase/i);
    expect(fs.existsSync(wrongOut)).toBe(false);
  });
});

describe('release create refuses bad input, names the problem and leaves nothing behind', () => {
  /** The output directory before and after: no bundle, no temporary sibling. */
  async function refused(name: string, extra: string[], options: Parameters<typeof countersign>[1] = {}, outName = `${name}.tar.gz`): Promise<string> {
    const out = outPath(outName);
    const before = fs.readdirSync(path.join(work, 'out')).sort();
    const run = await create(out, extra, options);
    expect(run.code, run.stderr).toBe(2);
    expect(fs.readdirSync(path.join(work, 'out')).sort()).toEqual(before);
    return run.stderr;
  }

  it('a tag-only image or one without a tag, with the reason', async () => {
    expect(await refused('tag', ['--image', 'registry.example.com/fraud/serve:v3'])).toMatch(/--image "registry.example.com\/fraud\/serve:v3" names only the tag "v3": a tag can be moved/);
    expect(await refused('latest', ['--image', 'nginx'])).toMatch(/no tag or digest, which means the tag "latest".*docker.io\/library\/nginx@sha256/);
  });

  it('a symbolic link under the paths', async () => {
    fs.symlinkSync(path.join(project, 'requirements.lock'), path.join(project, 'data/link.csv'));
    try {
      expect(await refused('symlink', [])).toMatch(/data\/link\.csv is a symbolic link: refused/);
    } finally {
      fs.rmSync(path.join(project, 'data/link.csv'));
    }
  });

  it('a missing path', async () => {
    expect(await refused('missing', ['no-such-dir'])).toMatch(/no-such-dir.*no such file or directory/);
  });

  it('an unreadable file', async () => {
    const file = path.join(project, 'data/secret.parquet');
    fs.writeFileSync(file, 'not for everyone');
    fs.chmodSync(file, 0o000);
    try {
      const asUser = process.getuid?.() === 0 ? { uid: NOBODY } : {};
      expect(await refused('unreadable', [], asUser)).toMatch(/cannot read .*data\/secret\.parquet: permission denied/);
    } finally {
      fs.rmSync(file);
    }
  });

  it('a wrong passphrase for the key file', async () => {
    expect(await refused('wrong', [], { env: { COUNTERSIGN_PASSPHRASE: 'wrong horse' } })).toMatch(/wrong passphrase for the key file/);
  });

  it('a key file that is not Ed25519', async () => {
    const ecdsa = path.join(work, 'ecdsa-key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', ecdsa]);
    expect(await refused('ecdsa', ['--key-file', ecdsa])).toMatch(/ecdsa-sha2-nistp256.*Countersign keys are Ed25519/);
  });

  it('an existing, non-empty --out', async () => {
    const dir = outPath('occupied');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'something'), 'kept');
    expect(await refused('occupied', [], {}, 'occupied')).toMatch(/already exists and is not empty/);
    expect(fs.readFileSync(path.join(dir, 'something'), 'utf8')).toBe('kept');
  });

  it('a lineage or deployment file its reader refuses, and malformed flags', async () => {
    write('bad.openlineage.json', '{"eventType": "COMPLETE", "eventType": "START"}');
    expect(await refused('lineage', ['--lineage', 'bad.openlineage.json'])).toMatch(/--lineage .*bad\.openlineage\.json: .*duplicate/i);
    write('bad-deployment.json', '{"environment": "production", "artifacts": [{"name": "x"}, {"name": "x"}');
    expect(await refused('deployment', ['--deployment', 'bad-deployment.json'])).toMatch(/--deployment .*bad-deployment\.json/);
    expect(await refused('created-at', ['--created-at', '2026-02-30T00:00:00Z'])).toMatch(/--created-at: day 30 does not exist/);
    expect(await refused('tolerance', ['--tolerance', 'F1=0.1'])).toMatch(/--tolerance names the metric "F1", which no --metric gives/);
  });

  it('two files that would have the same subject name', async () => {
    expect(await refused('twice', ['model'])).toMatch(/two subjects would be named "model\/fraud-m93.onnx"/);
  });
});

describe('the plain shell recipe', () => {
  it('creates, verifies and gates on the diff: blocked until the board approves', async () => {
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'countersign'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BUILT_CLI)} "$@"\n`, { mode: 0o755 });
    const recipeDir = fs.mkdtempSync(path.join(work, 'recipe-'));
    fs.cpSync(project, recipeDir, { recursive: true });
    fs.copyFileSync(boardFile, path.join(recipeDir, 'board.json'));
    const run = await new Promise<Run>((resolve) => {
      execFile(
        'sh',
        [path.join(repoRoot, 'assets/recipes/release-gate.sh')],
        {
          cwd: recipeDir,
          env: {
            ...process.env,
            PATH: `${bin}:${process.env['PATH'] ?? ''}`,
            COUNTERSIGN_DATA_DIR: path.join(work, 'profile-recipe'),
            COUNTERSIGN_PASSPHRASE: PASSPHRASE,
            RELEASE_KEY_FILE: keyFile,
            RELEASE_NAME: 'fraud-detector',
            RELEASE_VERSION: 'm93',
            RELEASE_CREATED_AT: CREATED_AT,
            SERVE_IMAGE: IMAGE,
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
    expect(parseJson(fs.readFileSync(path.join(recipeDir, 'release.json'), 'utf8'))).toMatchObject({ format: 'tar.gz', release: { name: 'fraud-detector', version: 'm93' } });
    expect(run.stdout).toMatch(/^VERIFIED fraud-detector@m93/);
    expect(run.stdout).toMatch(/not approved|NOT DEPLOYABLE|BLOCKED/i);
    expect(run.code).toBe(1);
    verifyIndependently(unpack(path.join(recipeDir, 'fraud-detector-m93.csbundle')));
  });
});

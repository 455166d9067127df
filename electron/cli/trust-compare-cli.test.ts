import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';
import { serializeEnvelope, signEnvelope } from '../../shared/crypto/dsse';
import { generateSeed, publicKeyFromSeed } from '../../shared/crypto/ed25519';
import { sha256Hex } from '../../shared/crypto/hash';
import { keyIdOf, toOpenSshLine, toPem } from '../../shared/crypto/keys';
import { IN_TOTO_PAYLOAD_TYPE } from '../../shared/verify/check-manifest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoBoard = path.join(repoRoot, 'assets/demo/board.json');

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-trust-compare-cli-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const fresh = (prefix: string) => path.join(work, `${prefix}-${Math.random().toString(36).slice(2)}`);

/** Runs the built CLI, as users run it, against its own profile, and returns its exit code and output. */
function countersign(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args, '--data-dir', dataDir], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** What a reviewer compares by eye: the fingerprint ssh-keygen prints for a public key file. */
function sshKeygenFingerprint(file: string): string {
  return execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' }).split(' ')[1]!;
}

interface Release {
  dir: string;
  keyFile: string;
  pemFile: string;
}

/**
 * The next demo release, m93: new training data, another seed, a second source in the lineage,
 * signed by a freshly generated producer key offered in keys/ (trusted only once pinned).
 */
function nextRelease(): Release {
  const dir = fresh('m93');
  fs.cpSync(demoBundle, dir, { recursive: true });
  const data = path.join(dir, 'artifacts/data/transactions-q1.parquet');
  const bytes = fs.readFileSync(data);
  bytes[0] = bytes[0]! ^ 0xff;
  fs.writeFileSync(data, bytes);

  const seed = generateSeed();
  const publicKey = publicKeyFromSeed(seed);
  const keyId = keyIdOf(publicKey);
  // eslint-disable-next-line no-restricted-syntax -- the demo's own manifest, rewritten as a producer would
  const envelope = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.dsse.json'), 'utf8'));
  // eslint-disable-next-line no-restricted-syntax -- as above
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  for (const subject of statement.subject) if (subject.name === 'data/transactions-q1.parquet') subject.digest = { sha256: sha256Hex(bytes) };
  statement.predicate.release.version = 'm93';
  statement.predicate.environment.seed = 7;
  statement.predicate.createdBy = keyId;
  const payload = new TextEncoder().encode(JSON.stringify(statement, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'manifest.dsse.json'), serializeEnvelope(signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId, seed }])) + '\n');

  fs.rmSync(path.join(dir, 'keys'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'keys'));
  const keyFile = path.join(dir, 'keys/release-ci.pub');
  fs.writeFileSync(keyFile, toOpenSshLine(publicKey, 'release-ci@test') + '\n');
  const pemFile = fresh('release-ci') + '.pem';
  fs.writeFileSync(pemFile, toPem(publicKey));

  const lineagePath = path.join(dir, 'lineage.json');
  // eslint-disable-next-line no-restricted-syntax -- the demo's own lineage file
  const lineage = JSON.parse(fs.readFileSync(lineagePath, 'utf8'));
  lineage.nodes.push({ id: 'transactions_q2', kind: 'source', name: 'raw transactions Q2' });
  lineage.edges.push({ from: 'transactions_q2', to: 'fraud_signal_v2.3' });
  fs.writeFileSync(lineagePath, JSON.stringify(lineage, null, 2));
  return { dir, keyFile, pemFile };
}

describe('countersign trust pin', () => {
  it('pins a key only under its own fingerprint, after which the release it signed verifies from the profile', async () => {
    const profile = fresh('profile');
    const release = nextRelease();
    expect((await countersign(profile, 'verify', release.dir)).code).toBe(1);

    const otherKey = sshKeygenFingerprint(path.join(demoBundle, 'keys/training-ci.pub'));
    const refused = await countersign(profile, 'trust', 'pin', release.keyFile, '--fingerprint', otherKey);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('nothing was pinned');
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    expect(JSON.parse((await countersign(profile, 'trust', 'list', '--json')).stdout).keys).toEqual([]);
    expect((await countersign(profile, 'verify', release.dir)).code).toBe(1);

    const fingerprint = sshKeygenFingerprint(release.keyFile);
    const pinned = await countersign(profile, 'trust', 'pin', release.keyFile, '--fingerprint', fingerprint);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toContain(`Pinned ${fingerprint}  release-ci@test`);
    const listed = await countersign(profile, 'trust', 'list');
    expect(listed.stdout).toContain(`${fingerprint}  release-ci@test`);
    expect(listed.stdout).toContain('No board policy imported.');
    const verified = await countersign(profile, 'verify', release.dir);
    expect(verified.stdout).toContain('VERIFIED fraud-detector@m93');
    expect(verified.code).toBe(0);
  });

  it('takes a PEM public key under the fingerprint ssh-keygen prints for the same key, named as given', async () => {
    const profile = fresh('profile');
    const release = nextRelease();
    const { code, stdout } = await countersign(profile, 'trust', 'pin', release.pemFile, '--fingerprint', sshKeygenFingerprint(release.keyFile), '--name', 'release CI', '--json');
    expect(code).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    expect(JSON.parse(stdout)).toMatchObject({ keyId: sshKeygenFingerprint(release.keyFile), name: 'release CI' });
  });

  it('refuses a file that is no public key, and a malformed fingerprint, pinning nothing', async () => {
    const profile = fresh('profile');
    const notAKey = fresh('not-a-key');
    fs.writeFileSync(notAKey, 'ssh-ed25519 AAAAnotbase64!! x\n');
    const release = nextRelease();
    const badKey = await countersign(profile, 'trust', 'pin', notAKey, '--fingerprint', sshKeygenFingerprint(release.keyFile));
    expect(badKey.code).toBe(2);
    const badFingerprint = await countersign(profile, 'trust', 'pin', release.keyFile, '--fingerprint', 'MD5:00:11');
    expect(badFingerprint.code).toBe(2);
    expect(badFingerprint.stderr).toContain('SHA256:');
    const missing = await countersign(profile, 'trust', 'pin', fresh('missing'), '--fingerprint', sshKeygenFingerprint(release.keyFile));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    expect(JSON.parse((await countersign(profile, 'trust', 'list', '--json')).stdout).keys).toEqual([]);
  });
});

describe('countersign trust import-board', () => {
  it('previews without importing, imports with --yes, and then verifies from the profile', async () => {
    const profile = fresh('profile');
    const preview = await countersign(profile, 'trust', 'import-board', demoBoard);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('Board "Responsible AI Review Board (demo)" version 1');
    expect(preview.stdout).toMatch(/Alan Turing \(privacy, ml-lead\): SHA256:/);
    expect(preview.stdout).toMatch(/training CI: SHA256:/);
    expect(preview.stdout).toContain('2 approvals from distinct members are required.');
    expect(preview.stdout).toContain('Role seats to fill, each by a different member: 1 risk seat, 1 privacy seat.');
    expect(preview.stdout).toContain('No board policy yet');
    expect(preview.stdout).toContain('Nothing imported');
    expect((await countersign(profile, 'trust', 'list')).stdout).toContain('No board policy imported.');
    expect((await countersign(profile, 'verify', demoBundle)).code).toBe(1);

    const imported = await countersign(profile, 'trust', 'import-board', demoBoard, '--yes');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported "Responsible AI Review Board (demo)" version 1');
    expect((await countersign(profile, 'verify', demoBundle)).code).toBe(0);

    // eslint-disable-next-line no-restricted-syntax -- the demo board, changed as a board would change it
    const board = JSON.parse(fs.readFileSync(demoBoard, 'utf8'));
    board.version = 2;
    board.members = board.members.filter((member: { name: string }) => member.name !== 'Ada Byron');
    const nextBoard = fresh('board') + '.json';
    fs.writeFileSync(nextBoard, JSON.stringify(board));
    const changes = await countersign(profile, 'trust', 'import-board', nextBoard, '--json');
    expect(changes.code).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const parsed = JSON.parse(changes.stdout);
    expect(parsed.imported).toBeNull();
    expect(parsed.preview.changes).toEqual(['Version: 1 → 2.', 'Member removed: Ada Byron.']);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    expect(JSON.parse((await countersign(profile, 'trust', 'list', '--json')).stdout).board.version).toBe(1);
  });

  it('exits 2 on a policy the parser refuses, importing nothing', async () => {
    const profile = fresh('profile');
    // eslint-disable-next-line no-restricted-syntax -- the demo board, broken on purpose
    const board = JSON.parse(fs.readFileSync(demoBoard, 'utf8'));
    board.rules.approvalsRequired = -1;
    const broken = fresh('broken-board') + '.json';
    fs.writeFileSync(broken, JSON.stringify(board));
    const { code, stderr } = await countersign(profile, 'trust', 'import-board', broken, '--yes');
    expect(code).toBe(2);
    expect(stderr).toContain('approvalsRequired');
    expect((await countersign(profile, 'trust', 'list')).stdout).toContain('No board policy imported.');
  });
});

describe('countersign compare', () => {
  it('exits 0 for two copies of one release', async () => {
    const copy = fresh('copy');
    fs.cpSync(demoBundle, copy, { recursive: true });
    const { code, stdout } = await countersign(fresh('profile'), 'compare', demoBundle, copy);
    expect(stdout).toContain('IDENTICAL PINS');
    expect(code).toBe(0);
  });

  it('exits 1 and names the re-pinned data, the seed, the lineage added and who must re-review', async () => {
    const release = nextRelease();
    const { code, stdout } = await countersign(fresh('profile'), 'compare', demoBundle, release.dir);
    expect(code).toBe(1);
    expect(stdout).toContain('DIFFERENT\n  old: fraud-detector@m92');
    expect(stdout).toContain('new: fraud-detector@m93');
    expect(stdout).toMatch(/~ data\/transactions-q1\.parquet \(dataset\)\n {6}old sha256:[0-9a-f]{64}\n {6}new sha256:[0-9a-f]{64}/);
    expect(stdout).toContain('~ environment.seed: 42 → 7');
    expect(stdout).toContain('+ node transactions_q2 (source) "raw transactions Q2"');
    expect(stdout).toContain('+ edge transactions_q2 → fraud_signal_v2.3');
    expect(stdout).toContain('The training data changed (data/transactions-q1.parquet): the privacy seat must re-review.');
    expect(stdout).not.toContain('model/fraud-m92.onnx');
  });

  it('gives the full comparison under --json, with both digests', async () => {
    const release = nextRelease();
    const { code, stdout } = await countersign(fresh('profile'), 'compare', demoBundle, release.dir, '--json', '--board', demoBoard);
    expect(code).toBe(1);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const comparison = JSON.parse(stdout);
    expect(comparison.old.signedByTrustedKey).toBe(true);
    expect(comparison.new.signedByTrustedKey).toBe(false);
    expect(comparison.subjects.changed).toHaveLength(1);
    expect(comparison.subjects.changed[0].oldDigest.sha256).not.toBe(comparison.subjects.changed[0].newDigest.sha256);
    expect(comparison.environment).toEqual([{ field: 'environment.seed', old: '42', new: '7' }]);
  });

  it('shows control and bidi characters from a manifest in their visible form, never obeys them', async () => {
    const release = nextRelease();
    const manifestPath = path.join(release.dir, 'manifest.dsse.json');
    // eslint-disable-next-line no-restricted-syntax -- the fixture's own manifest, made hostile
    const envelope = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    // eslint-disable-next-line no-restricted-syntax -- as above
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    const hostileName = 'notes\u001b[2J\n+ model/fake.onnx \u202etxt.exe';
    statement.subject.push({ name: hostileName, digest: { sha256: 'e'.repeat(64) } });
    statement.predicate.artifacts[hostileName] = { kind: 'other' };
    // An unsigned payload is enough: compare reads what the manifest says and reports it untrusted.
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    fs.writeFileSync(manifestPath, JSON.stringify(envelope));

    const { code, stdout } = await countersign(fresh('profile'), 'compare', demoBundle, release.dir);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/[\u001b\u202e]/);
    expect(stdout).toContain('+ notes\\x1b[2J\\x0a+ model/fake.onnx <U+202E>txt.exe (other)');
    expect(stdout).toContain('(no trusted signature: what it claims, not verified)');
  });

  it('exits 2 for a missing bundle, a bundle without a manifest, and a wrong number of operands', async () => {
    const profile = fresh('profile');
    expect((await countersign(profile, 'compare', demoBundle, fresh('missing'))).code).toBe(2);
    const noManifest = fresh('no-manifest');
    fs.cpSync(demoBundle, noManifest, { recursive: true });
    fs.rmSync(path.join(noManifest, 'manifest.dsse.json'));
    const refused = await countersign(profile, 'compare', noManifest, demoBundle);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('The old release');
    expect((await countersign(profile, 'compare', demoBundle)).code).toBe(2);
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';
import { serializeEnvelope, signEnvelope } from '../../shared/crypto/dsse';
import { generateSeed, publicKeyFromSeed } from '../../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../../shared/crypto/keys';
import { IN_TOTO_PAYLOAD_TYPE } from '../../shared/verify/check-manifest';
import { sshKeygen, startTestAgent, type TestAgent } from '../services/keys/test-ssh-agent';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');

let work: string;
let agent: TestAgent;
let agentKey: ReturnType<typeof sshKeygen>;
let fileKey: ReturnType<typeof sshKeygen>;
let board: string;
const producerSeed = generateSeed();
const producerPublicKey = publicKeyFromSeed(producerSeed);
const producerKeyId = keyIdOf(producerPublicKey);

function countersign(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'profile'), COUNTERSIGN_PASSPHRASE: 'correct horse', SSH_AUTH_SOCK: agent.socket, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Statement {
  subject: { name: string; digest: Record<string, string> }[];
  predicate: Record<string, unknown> & { environment: Record<string, unknown> };
}

/**
 * A release built from the demo bundle as a training pipeline would write it: its own producer
 * key, an evaluation record, and whatever `change` does to blobs and statement (a rerun's model,
 * other data, another machine).
 */
function release(label: string, metrics: Record<string, number>, change: (dir: string, statement: Statement) => void = () => {}): string {
  const dir = path.join(work, `${label}-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, dir, { recursive: true });
  // eslint-disable-next-line no-restricted-syntax -- the demo's own manifest, rewritten as a producer would
  const envelope = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.dsse.json'), 'utf8')) as { payload: string };
  // eslint-disable-next-line no-restricted-syntax -- as above
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
  statement.predicate.createdBy = producerKeyId;
  statement.predicate.evaluation = { metrics };
  change(dir, statement);
  const payload = new TextEncoder().encode(JSON.stringify(statement));
  fs.writeFileSync(path.join(dir, 'manifest.dsse.json'), serializeEnvelope(signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId: producerKeyId, seed: producerSeed }])) + '\n');
  return dir;
}

/** Rewrites a shipped blob and its pin, as a rerun that produced other bytes would. */
function replaceBlob(dir: string, statement: Statement, name: string, bytes: Uint8Array): void {
  fs.writeFileSync(path.join(dir, 'artifacts', name), bytes);
  statement.subject.find((subject) => subject.name === name)!.digest = { sha256: sha256(bytes) };
}

/** OpenSSL (node:crypto) checks a signature over the PAE built here by hand, with the key from ssh-keygen's .pub file. */
function agentSignatureVerifies(envelopeText: string, publicKeyFile: string, keyId: string): boolean {
  // eslint-disable-next-line no-restricted-syntax -- a file our own command wrote
  const envelope = JSON.parse(envelopeText) as { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };
  const payload = Buffer.from(envelope.payload, 'base64');
  const message = Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(envelope.payloadType)} ${envelope.payloadType} ${payload.length} `), payload]);
  const blob = Buffer.from(fs.readFileSync(publicKeyFile, 'utf8').split(' ')[1]!, 'base64');
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), blob.subarray(blob.length - 32)]), format: 'der', type: 'spki' });
  const signature = envelope.signatures.find((entry) => entry.keyid === keyId);
  return signature !== undefined && verify(null, message, key, Buffer.from(signature.sig, 'base64'));
}

function payloadOf(manifestFile: string): string {
  // eslint-disable-next-line no-restricted-syntax -- a file our own command wrote
  return (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { payload: string }).payload;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-release-sign-'));
  agent = await startTestAgent(work);
  agentKey = sshKeygen(work, 'ed25519', 'qa-lead');
  fileKey = sshKeygen(work, 'ed25519', 'security-ci');
  agent.add(agentKey.privateKeyFile);
  // Only the agent holds the key from here on, as with a hardware token.
  fs.rmSync(agentKey.privateKeyFile);
  board = path.join(work, 'board.json');
  fs.writeFileSync(
    board,
    JSON.stringify({
      board: 'Release Board',
      version: 1,
      members: [{ name: 'QA Lead', roles: ['risk'], keys: [fs.readFileSync(agentKey.publicKeyFile, 'utf8').trim()] }],
      producers: [{ name: 'training CI', keys: [toOpenSshLine(producerPublicKey)] }],
      revokedKeys: [],
      rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
    }),
  );
});
afterAll(async () => {
  await agent.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('countersign release sign', () => {
  it('adds the ssh-agent key as a co-signature over the same payload, and refuses the same key twice', async () => {
    const bundle = release('cosign', { AUC: 0.92 });
    const manifest = path.join(bundle, 'manifest.dsse.json');
    const payloadBefore = payloadOf(manifest);
    const signed = await countersign(['release', 'sign', bundle, '--ssh-agent', agentKey.keyId, '--board', board]);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toContain(`with ${agentKey.keyId}`);
    expect(signed.stdout).toContain('now carries 2 signatures');
    expect(payloadOf(manifest)).toBe(payloadBefore);
    expect(agentSignatureVerifies(fs.readFileSync(manifest, 'utf8'), agentKey.publicKeyFile, agentKey.keyId)).toBe(true);
    const verified = await countersign(['verify', bundle, '--board', board]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    const after = fs.readFileSync(manifest);
    const again = await countersign(['release', 'sign', bundle, '--ssh-agent', agentKey.keyId, '--board', board]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${agentKey.keyId} has already signed this manifest`);
    expect(fs.readFileSync(manifest).equals(after)).toBe(true);
  });

  it('signs with an OpenSSH key file and with a profile key', async () => {
    const bundle = release('cosign-files', { AUC: 0.92 });
    const byFile = await countersign(['release', 'sign', bundle, '--key-file', fileKey.privateKeyFile, '--board', board]);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(agentSignatureVerifies(fs.readFileSync(path.join(bundle, 'manifest.dsse.json'), 'utf8'), fileKey.publicKeyFile, fileKey.keyId)).toBe(true);

    const profile = path.join(work, 'signer-profile');
    const generated = await countersign(['keys', 'generate', '--name', 'release-manager', '--json', '--data-dir', profile]);
    expect(generated.code, generated.stderr).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const { keyId } = JSON.parse(generated.stdout) as { keyId: string };
    const byProfile = await countersign(['release', 'sign', bundle, '--key', keyId, '--board', board, '--data-dir', profile]);
    expect(byProfile.code, byProfile.stderr).toBe(0);
    expect(byProfile.stdout).toContain('now carries 3 signatures');
    const wrong = await countersign(['release', 'sign', release('wrong-passphrase', { AUC: 0.92 }), '--key', keyId, '--board', board, '--data-dir', profile], { COUNTERSIGN_PASSPHRASE: 'wrong' });
    expect(wrong.code).toBe(2);
  });

  it('refuses an archive, a tampered blob and a key the agent lacks, changing nothing', async () => {
    const bundle = release('refusals', { AUC: 0.92 });
    const archive = path.join(work, 'release.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', bundle, '.']);
    const archiveBytes = fs.readFileSync(archive);
    const packed = await countersign(['release', 'sign', archive, '--ssh-agent', agentKey.keyId, '--board', board]);
    expect(packed.code).toBe(2);
    expect(packed.stderr).toMatch(/is an archive: a co-signature is added to a bundle directory only/);
    expect(fs.readFileSync(archive).equals(archiveBytes)).toBe(true);

    const manifest = path.join(bundle, 'manifest.dsse.json');
    const before = fs.readFileSync(manifest);
    fs.appendFileSync(path.join(bundle, 'artifacts/model/fraud-m92.onnx'), 'tampered');
    const tampered = await countersign(['release', 'sign', bundle, '--ssh-agent', agentKey.keyId, '--board', board]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('model/fraud-m92.onnx differs from the digest the manifest pins');
    const missing = await countersign(['release', 'sign', bundle, '--ssh-agent', fileKey.keyId, '--board', board]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`does not hold key ${fileKey.keyId}`);
    expect(fs.readFileSync(manifest).equals(before)).toBe(true);
    expect(fs.readdirSync(bundle).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('countersign release reproduce', () => {
  const original = () => release('original', { AUC: 0.92, loss: 0.31 });

  it('calls a rerun with another model file, other hardware and AUC within the tolerance equivalent (exit 0)', async () => {
    const rerun = release('rerun', { AUC: 0.915, loss: 0.35 }, (dir, statement) => {
      replaceBlob(dir, statement, 'model/fraud-m92.onnx', new TextEncoder().encode('retrained weights'));
      statement.predicate.environment.hardware = { cpu: 'arm64', gpu: 'NVIDIA H100' };
    });
    const result = await countersign(['release', 'reproduce', original(), rerun, '--board', board]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^EQUIVALENT/);
    expect(result.stdout).toContain('environment.hardware.gpu: "NVIDIA A100" → "NVIDIA H100"');
    expect(result.stdout).toContain('AUC: 0.92 → 0.915  within ±0.01');
    expect(result.stdout).toContain('model/fraud-m92.onnx (model) changed');
  });

  it('lists every reason a rerun is not equivalent (exit 1), also as JSON', async () => {
    const rerun = release('diverged', { AUC: 0.88 }, (dir, statement) => {
      replaceBlob(dir, statement, 'data/transactions-q1.parquet', new TextEncoder().encode('other rows'));
      statement.predicate.environment.seed = 7;
    });
    const result = await countersign(['release', 'reproduce', original(), rerun, '--board', board]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^NOT EQUIVALENT/);
    expect(result.stdout).toContain('dataset data/transactions-q1.parquet differs');
    expect(result.stdout).toContain('The seed differs: 42 in the original, 7 in the rebuild.');
    expect(result.stdout).toContain('Metric AUC moved by -0.04 (0.92 → 0.88); the tolerance allows 0.01.');

    const json = await countersign(['release', 'reproduce', original(), rerun, '--board', board, '--json']);
    expect(json.code).toBe(1);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const parsed = JSON.parse(json.stdout) as { equivalent: boolean; reasons: string[] };
    expect(parsed.equivalent).toBe(false);
    expect(parsed.reasons).toHaveLength(3);
  });

  it('does not call a rerun with a tampered blob equivalent, and answers 2 for a missing bundle', async () => {
    const rerun = release('tampered-rerun', { AUC: 0.92, loss: 0.31 });
    fs.appendFileSync(path.join(rerun, 'requirements.lock'.replace(/^/, 'artifacts/')), '\nevil==1.0\n');
    const tampered = await countersign(['release', 'reproduce', original(), rerun, '--board', board]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('The rebuilt release does not verify (tampered).');

    const missing = await countersign(['release', 'reproduce', original(), path.join(work, 'no-such-bundle'), '--board', board]);
    expect(missing.code).toBe(2);
  });
});

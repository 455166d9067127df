import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustFlags } from '../foreign/load-trust-flags';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import { makeOpensslKey, makeTestCa, opensslSign, specBundle, type OpensslKeyPair } from '../oms/oms-test-producer';
import { verifySigstoreBundle } from './verify-sigstore';

let work: string;
let pool: HashPool;
let key: OpensslKeyPair;
let artifact: string;
const ARTIFACT = Buffer.from('model weights '.repeat(500));

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'sigstore-verify-'));
  pool = createHashPool({ workers: 1 });
  key = makeOpensslKey(work, 'cosign', 'p384');
  artifact = path.join(work, 'model.onnx');
  writeFileSync(artifact, ARTIFACT);
});
afterAll(async () => {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
});

function messageBundle(signer: OpensslKeyPair, material: Record<string, unknown>, digest: Buffer | null = createHash('sha256').update(ARTIFACT).digest()): string {
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: material,
    messageSignature: {
      ...(digest ? { messageDigest: { algorithm: 'SHA2_256', digest: digest.toString('base64') } } : {}),
      signature: opensslSign(signer, ARTIFACT, work).toString('base64'),
    },
  };
  const file = path.join(work, `bundle-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}

function dsseBundle(signer: OpensslKeyPair, subjectDigest: string, material: Record<string, unknown> = { publicKey: { hint: 'x' } }): string {
  const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'model.onnx', digest: { sha256: subjectDigest } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} };
  const file = path.join(work, `bundle-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, specBundle(statement, material, (pae) => opensslSign(signer, pae, work)));
  return file;
}

async function verify(signature: string, trust: { keys?: string[]; ca?: string[] }, target = artifact) {
  const flags = await loadTrustFlags({ keys: trust.keys ?? [], ca: trust.ca ?? [] }, { namespace: null, links: null, ignorePaths: [], ignoreUnsignedFiles: false, threshold: 1 });
  return verifySigstoreBundle({
    format: 'sigstore',
    target: { path: target, kind: 'file' },
    signature: { path: signature, bytes: new Uint8Array(readFileSync(signature)), separate: true },
    trust: flags,
    job: {},
    hashPool: pool,
    now: new Date(),
  });
}

describe('Sigstore bundles over an artifact', () => {
  it('verifies a message signature by the --key (P-384 over SHA-384) and checks the recorded digest', async () => {
    const report = await verify(messageBundle(key, { publicKey: { hint: 'x' } }), { keys: [key.publicPath] });
    expect(report.verdict).toBe('verified');
    expect(report.bundle.format).toBe('sigstore');
    expect(report.signatures[0]).toMatchObject({ status: 'valid', algorithm: expect.stringContaining('sha384') });
    const wrongDigest = await verify(messageBundle(key, { publicKey: { hint: 'x' } }, Buffer.alloc(32)), { keys: [key.publicPath] });
    expect(wrongDigest.verdict).toBe('tampered');
  });

  it('finds a changed artifact under a message signature', async () => {
    const changed = path.join(work, 'changed.onnx');
    writeFileSync(changed, Buffer.concat([ARTIFACT, Buffer.from('!')]));
    const report = await verify(messageBundle(key, { publicKey: { hint: 'x' } }, null), { keys: [key.publicPath] }, changed);
    expect(report.verdict).not.toBe('verified');
  });

  it('binds a DSSE statement to the artifact: the subject must name its digest', async () => {
    const digest = createHash('sha256').update(ARTIFACT).digest('hex');
    expect((await verify(dsseBundle(key, digest), { keys: [key.publicPath] })).verdict).toBe('verified');
    const unbound = await verify(dsseBundle(key, '0'.repeat(64)), { keys: [key.publicPath] });
    expect(unbound.verdict).toBe('tampered');
    expect(unbound.reasons.join(' ')).toContain('not bound to this file');
  });

  it('verifies a certificate chain to the --ca root, and not to another root', async () => {
    const ca = makeTestCa(work, 'p256', { name: 'sigstore-ca' });
    const other = makeTestCa(work, 'p256', { name: 'sigstore-other' });
    const material = { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) } };
    const bundle = dsseBundle(ca.leafKey, createHash('sha256').update(ARTIFACT).digest('hex'), material);
    expect((await verify(bundle, { ca: [ca.rootPath] })).verdict).toBe('verified');
    expect((await verify(bundle, { ca: [other.rootPath] })).verdict).toBe('untrusted');
  });

  it('refuses keyless bundles as not supported yet (verdict invalid)', async () => {
    const ca = makeTestCa(work, 'p256', { name: 'fulcio-like' });
    const report = await verify(messageBundle(ca.leafKey, { certificate: { rawBytes: ca.chainDer[0] }, tlogEntries: [] }), { ca: [ca.rootPath] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('not supported yet');
  });

  it('refuses a bundle with both a message signature and an envelope', async () => {
    const file = path.join(work, 'both.json');
    writeFileSync(file, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: { publicKey: {} }, messageSignature: { signature: 'AA==' }, dsseEnvelope: {} }));
    const report = await verify(file, { keys: [key.publicPath] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('exactly one of dsseEnvelope and messageSignature');
  });
});

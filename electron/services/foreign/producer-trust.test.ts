import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBoardPolicy } from '../../../shared/formats/board-policy';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { buildTrustContext } from '../../../shared/verify/trust';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import { makeOpensslKey, makeTestCa, opensslSign, specBundle, type OpensslKeyPair, type TestCa } from '../oms/oms-test-producer';
import { makeKeylessWorld } from '../sigstore/keyless/keyless-test-kit';
import { verifySigstoreBundle } from '../sigstore/verify-sigstore';
import { trustFromProfile } from './load-trust-flags';
import { parseTrustedPublicKey } from './public-keys';

const MEMBER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv2H0d4qR0k3bqzQ1aX0k3n5gS0n8Jm3x3o8wz1Yv7a ada@laptop';
const ARTIFACT = Buffer.from('weights '.repeat(300));
const OPTIONS = { namespace: null, links: null, ignorePaths: [], ignoreUnsignedFiles: false, threshold: 1 };

let work: string;
let pool: HashPool;
let producerKey: OpensslKeyPair;
let ca: TestCa;
let artifact: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'producer-trust-'));
  pool = createHashPool({ workers: 1 });
  producerKey = makeOpensslKey(work, 'producer', 'p256');
  ca = makeTestCa(work, 'p256', { name: 'producer-ca' });
  artifact = path.join(work, 'model.onnx');
  writeFileSync(artifact, ARTIFACT);
});
afterAll(async () => {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
});

function policyWith(producer: Record<string, unknown>, revokedKeys: string[] = []) {
  const text = JSON.stringify({
    board: 'Board',
    version: 1,
    members: [{ name: 'Ada', roles: [], keys: [MEMBER_KEY] }],
    producers: [{ name: 'release CI', ...producer }],
    revokedKeys,
    rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 30 },
  });
  return parseBoardPolicy(parseStrictJson(new TextEncoder().encode(text)));
}

function dsseBundle(signer: OpensslKeyPair, material: Record<string, unknown>): string {
  const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'model.onnx', digest: { sha256: createHash('sha256').update(ARTIFACT).digest('hex') } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} };
  const file = path.join(work, `bundle-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, specBundle(statement, material, (pae) => opensslSign(signer, pae, work)));
  return file;
}

async function verifyUnder(policy: ReturnType<typeof policyWith>, bundle: string) {
  const trust = trustFromProfile(buildTrustContext({ source: 'board-file', board: policy }), OPTIONS);
  return verifySigstoreBundle({
    format: 'sigstore',
    target: { path: artifact, kind: 'file' },
    signature: { path: bundle, bytes: new Uint8Array(readFileSync(bundle)), separate: true },
    trust,
    job: {},
    hashPool: pool,
    now: new Date(),
  });
}

describe('producers trusted through the board policy, for foreign signatures', () => {
  it('trusts a producer ECDSA key from the policy, reported as the producer', async () => {
    const policy = policyWith({ keys: [readFileSync(producerKey.publicPath, 'utf8')] });
    const report = await verifyUnder(policy, dsseBundle(producerKey, { publicKey: { hint: 'ci' } }));
    expect(report.verdict).toBe('verified');
    expect(report.signatures[0]).toMatchObject({ status: 'valid', signerName: 'release CI', trustSource: 'producer' });
  });

  it('never counts a revoked producer key', async () => {
    const pem = readFileSync(producerKey.publicPath, 'utf8');
    const keyId = parseTrustedPublicKey(pem, 'key', 'key', 'producer').keyId;
    const report = await verifyUnder(policyWith({ keys: [pem] }, [keyId]), dsseBundle(producerKey, { publicKey: { hint: 'ci' } }));
    expect(report.verdict).toBe('untrusted');
  });

  it('never takes trust from a key the signature brings', async () => {
    const stranger = makeOpensslKey(work, 'stranger', 'p256');
    const policy = policyWith({ keys: [readFileSync(producerKey.publicPath, 'utf8')] });
    const report = await verifyUnder(policy, dsseBundle(stranger, { publicKey: { hint: 'ci' } }));
    expect(report.verdict).toBe('untrusted');
  });

  it('trusts a leaf under a producer root only when its SAN is the constrained identity', async () => {
    const material = { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) } };
    const bundle = dsseBundle(ca.leafKey, material);
    const rootPem = readFileSync(ca.rootPath, 'utf8');
    const trusted = await verifyUnder(policyWith({ certificateAuthorities: [{ pem: rootPem, identity: 'signer@example.test' }] }), bundle);
    expect(trusted.verdict).toBe('verified');
    expect(trusted.signatures[0]).toMatchObject({ status: 'valid', trustSource: 'producer' });

    const mismatch = await verifyUnder(policyWith({ certificateAuthorities: [{ pem: rootPem, identity: 'release@example.test' }] }), bundle);
    expect(mismatch.verdict).toBe('untrusted');
    expect(mismatch.signatures[0]?.reason).toContain('trusted only for the identity "release@example.test"');
  });

  it('does not count a prefix or a differently-cased identity as the constrained one', async () => {
    const material = { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) } };
    const bundle = dsseBundle(ca.leafKey, material);
    const rootPem = readFileSync(ca.rootPath, 'utf8');
    for (const identity of ['signer@example', 'Signer@example.test', 'email:signer@example.test']) {
      const report = await verifyUnder(policyWith({ certificateAuthorities: [{ pem: rootPem, identity }] }), bundle);
      expect(report.verdict, identity).toBe('untrusted');
    }
  });

  it('keeps trusting a producer root for a certificate chain when the board also pins a Sigstore trusted root', async () => {
    const rootBytes = new Uint8Array(readFileSync(makeKeylessWorld().writeTrustedRoot(work)));
    const text = JSON.stringify({
      board: 'Board',
      version: 1,
      members: [{ name: 'Ada', roles: [], keys: [MEMBER_KEY] }],
      producers: [
        { name: 'release CI', certificateAuthorities: [{ pem: readFileSync(ca.rootPath, 'utf8'), identity: 'signer@example.test' }] },
        { name: 'keyless CI', sigstore: [{ identity: 'ci@example.test', issuer: 'https://issuer.example.test' }] },
      ],
      sigstoreTrustedRoot: { sha256: createHash('sha256').update(rootBytes).digest('hex') },
      rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 30 },
    });
    const policy = parseBoardPolicy(parseStrictJson(new TextEncoder().encode(text)));
    const trust = trustFromProfile(buildTrustContext({ source: 'store', board: policy, sigstoreTrustedRoot: rootBytes }), OPTIONS);
    expect(trust.trustedRoot).not.toBeNull();
    const bundle = dsseBundle(ca.leafKey, { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) } });
    const report = await verifySigstoreBundle({
      format: 'sigstore',
      target: { path: artifact, kind: 'file' },
      signature: { path: bundle, bytes: new Uint8Array(readFileSync(bundle)), separate: true },
      trust,
      job: {},
      hashPool: pool,
      now: new Date(),
    });
    expect(report.verdict).toBe('verified');
    expect(report.signatures[0]).toMatchObject({ status: 'valid', trustSource: 'producer' });
  });

  it('fills keyless identities and the pinned trusted root only when its bytes match the pin', () => {
    const rootBytes = new TextEncoder().encode('{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}');
    const pin = createHash('sha256').update(rootBytes).digest('hex');
    const text = JSON.stringify({
      board: 'Board',
      version: 1,
      members: [{ name: 'Ada', roles: [], keys: [MEMBER_KEY] }],
      producers: [{ name: 'release CI', sigstore: [{ identity: 'ci@example.test', issuer: 'https://issuer.example' }] }],
      sigstoreTrustedRoot: { sha256: pin },
      rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 30 },
    });
    const policy = parseBoardPolicy(parseStrictJson(new TextEncoder().encode(text)));
    const held = trustFromProfile(buildTrustContext({ source: 'store', board: policy, sigstoreTrustedRoot: rootBytes }), OPTIONS);
    expect(held.sigstoreIdentities).toEqual([{ identity: 'ci@example.test', issuer: 'https://issuer.example', name: 'release CI' }]);
    expect(held.trustedRoot?.bytes).toEqual(rootBytes);
    const other = trustFromProfile(buildTrustContext({ source: 'store', board: policy, sigstoreTrustedRoot: new TextEncoder().encode('{}') }), OPTIONS);
    expect(other.trustedRoot).toBeNull();
  });
});

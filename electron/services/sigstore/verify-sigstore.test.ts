import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { loadTrustFlags } from '../foreign/load-trust-flags';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import { makeOpensslKey, makeTestCa, opensslSign, specBundle, type OpensslKeyPair } from '../oms/oms-test-producer';
import { makeRootCa } from './keyless/test-fulcio';
import { makeTestTsa } from './keyless/test-tsa';
import { ALICE, keylessDsseBundle, keylessMessageBundle, makeKeylessWorld, SIGNED_AT, type KeylessWorld } from './keyless/keyless-test-kit';
import { verifySigstoreBundle } from './verify-sigstore';

let work: string;
let pool: HashPool;
let key: OpensslKeyPair;
let artifact: string;
let world: KeylessWorld;
const ARTIFACT = Buffer.from('model weights '.repeat(500));

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'sigstore-verify-'));
  pool = createHashPool({ workers: 1 });
  key = makeOpensslKey(work, 'cosign', 'p384');
  artifact = path.join(work, 'model.onnx');
  writeFileSync(artifact, ARTIFACT);
  world = makeKeylessWorld();
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

interface Trust {
  keys?: string[];
  ca?: string[];
  trustedRoot?: string;
  identity?: { identity: string; issuer: string };
}

async function verify(signature: string, trust: Trust, target = artifact) {
  const keyless = trust.identity ? { certificateIdentity: trust.identity.identity, certificateOidcIssuer: trust.identity.issuer } : {};
  const flags = await loadTrustFlags(
    { keys: trust.keys ?? [], ca: trust.ca ?? [], ...(trust.trustedRoot ? { trustedRoot: trust.trustedRoot } : {}), ...keyless },
    { namespace: null, links: null, ignorePaths: [], ignoreUnsignedFiles: false, threshold: 1 },
  );
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

  it('refuses a keyless bundle without a trusted root (verdict invalid), whatever --ca says', async () => {
    const ca = makeTestCa(work, 'p256', { name: 'fulcio-like' });
    const report = await verify(messageBundle(ca.leafKey, { certificate: { rawBytes: ca.chainDer[0] }, tlogEntries: [] }), { ca: [ca.rootPath] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('give --trusted-root');
  });

  it('refuses a bundle with both a message signature and an envelope', async () => {
    const file = path.join(work, 'both.json');
    writeFileSync(file, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: { publicKey: {} }, messageSignature: { signature: 'AA==' }, dsseEnvelope: {} }));
    const report = await verify(file, { keys: [key.publicPath] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('exactly one of dsseEnvelope and messageSignature');
  });
});

describe('keyless Sigstore bundles (Fulcio certificate, Rekor entry, trusted root)', () => {
  const write = (bytes: Uint8Array): string => {
    const file = path.join(work, `keyless-${Math.random().toString(36).slice(2)}.sigstore.json`);
    writeFileSync(file, bytes);
    return file;
  };
  const keylessTrust = (options: Parameters<KeylessWorld['writeTrustedRoot']>[1] = {}, identity = ALICE): Trust => ({ trustedRoot: world.writeTrustedRoot(work, options), identity });

  it('verifies a message signature by the trusted identity, at the integrated time, and reports the proofs', async () => {
    const report = await verify(write(keylessMessageBundle(world, world.leaf(), ARTIFACT)), keylessTrust());
    expect(report.verdict).toBe('verified');
    expect(report.bundle.format).toBe('sigstore');
    expect(report.signatures[0]).toMatchObject({ status: 'valid', trustSource: 'flag', signerName: 'alice@example.test (issuer https://issuer.example.test)', keyId: expect.stringMatching(/^SHA256:/) });
    expect(report.transparency).toMatchObject({ logIndex: expect.any(Number), integratedTime: '2026-03-01T10:01:00.000Z', timestampAuthorityTime: null });
    expect(report.transparency?.proofsChecked).toEqual(expect.arrayContaining(['fulcio-chain', 'sct', 'inclusion-proof']));
    expect(report.findings.map((finding) => finding.code)).not.toContain('transparency-not-checked');
  });

  it('verifies a DSSE statement bound to the artifact, and a v0.1/v0.2-style certificate chain given a trusted root', async () => {
    const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'model.onnx', digest: { sha256: createHash('sha256').update(ARTIFACT).digest('hex') } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} };
    expect((await verify(write(keylessDsseBundle(world, world.leaf(), statement)), keylessTrust())).verdict).toBe('verified');
    const chain = keylessMessageBundle(world, world.leaf(), ARTIFACT, { material: 'chain', mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2' });
    expect((await verify(write(chain), keylessTrust())).verdict).toBe('verified');
  });

  it('is untrusted for another identity or issuer, naming what was expected and found', async () => {
    const bundle = write(keylessMessageBundle(world, world.leaf(), ARTIFACT));
    const otherIdentity = await verify(bundle, keylessTrust({}, { ...ALICE, identity: 'bob@example.test' }));
    expect(otherIdentity.verdict).toBe('untrusted');
    expect(otherIdentity.signatures[0]!.reason).toContain('expected "bob@example.test"');
    const otherIssuer = await verify(bundle, keylessTrust({}, { ...ALICE, issuer: 'https://other-issuer.example.test' }));
    expect(otherIssuer.verdict).toBe('untrusted');
    expect(otherIssuer.signatures[0]!.reason).toContain('its OIDC issuer is "https://issuer.example.test"');
  });

  it('checks the certificate at the integrated time: a leaf valid now but not when logged is untrusted', async () => {
    const now = new Date();
    const leaf = world.leaf({ notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 600_000), sctTime: now });
    const report = await verify(write(keylessMessageBundle(world, leaf, ARTIFACT)), keylessTrust());
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]!.reason).toContain('but the signature was made at 2026-03-01T10:01:00.000Z');
  });

  it('is untrusted when the trusted root lists no Rekor log: no verified time, the transparency problem named', async () => {
    const report = await verify(write(keylessMessageBundle(world, world.leaf(), ARTIFACT)), keylessTrust({ withoutRekor: true }));
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]!.reason).toContain('No verified time');
  });

  it('is untrusted for a leaf from a CA the trusted root does not list, or without an SCT', async () => {
    const stranger = makeRootCa('stranger-ca', new Date('2025-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const foreign = await verify(write(keylessMessageBundle(world, world.leaf({ issuedBy: stranger }), ARTIFACT)), keylessTrust());
    expect(foreign.verdict).toBe('untrusted');
    expect(foreign.signatures[0]!.reason).toContain('no certificate authority of the trusted root issued it');
    const noSct = await verify(write(keylessMessageBundle(world, world.leaf({ sct: 'none' }), ARTIFACT)), keylessTrust());
    expect(noSct.verdict).toBe('untrusted');
    expect(noSct.signatures[0]!.reason).toContain('carries no embedded SCT');
    const caOutsideWindow = await verify(write(keylessMessageBundle(world, world.leaf(), ARTIFACT)), keylessTrust({ caValidFor: { start: new Date(SIGNED_AT.getTime() + 3_600_000) } }));
    expect(caOutsideWindow.verdict).toBe('untrusted');
    expect(caOutsideWindow.signatures[0]!.reason).toContain('in the trusted root, but the signature was made at');
  });

  it('finds a changed artifact tampered: the leaf key does not verify the signature over it', async () => {
    const changed = path.join(work, 'changed-keyless.onnx');
    writeFileSync(changed, Buffer.concat([ARTIFACT, Buffer.from('!')]));
    const report = await verify(write(keylessMessageBundle(world, world.leaf(), ARTIFACT)), keylessTrust(), changed);
    expect(report.verdict).toBe('tampered');
    expect(report.signatures[0]).toMatchObject({ status: 'invalid' });
    expect(report.signatures[0]!.reason).toContain('logged for another artifact');
  });

  it('verifies at the time an RFC 3161 timestamp authority of the trusted root vouches for, without a log entry', async () => {
    const tsa = makeTestTsa(work, 'keyless-tsa');
    const authority = { subject: { commonName: 'keyless-tsa' }, uri: tsa.authority.uri, certChain: { certificates: tsa.authority.chain.map((certificate) => ({ rawBytes: certificate.raw.toString('base64') })) }, validFor: { start: '2020-01-01T00:00:00Z' } };
    const now = new Date();
    const leaf = world.leaf({ notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 540_000), sctTime: now });
    const bundle = write(keylessMessageBundle(world, leaf, ARTIFACT, { withoutTlogEntry: true, timestamp: (signature) => tsa.stamp(signature) }));
    const report = await verify(bundle, keylessTrust({ timestampAuthorities: [authority] }));
    expect(report.verdict).toBe('verified');
    expect(report.transparency).toMatchObject({ logIndex: null, integratedTime: null, timestampAuthorityTime: expect.any(String) });
    expect(report.transparency?.proofsChecked).toEqual(expect.arrayContaining(['rfc3161', 'fulcio-chain', 'sct']));
    // The same bundle with no timestamp authority in the trusted root: nothing vouches for the time.
    expect((await verify(bundle, keylessTrust())).verdict).toBe('untrusted');
  });

  it('finds a DSSE payload changed after signing tampered, though its subject still names the artifact', async () => {
    const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'model.onnx', digest: { sha256: createHash('sha256').update(ARTIFACT).digest('hex') } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} };
    const bundle = parseStrictJson(keylessDsseBundle(world, world.leaf(), statement)) as { dsseEnvelope: { payload: string } };
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify({ ...statement, predicate: { builder: 'someone else' } })).toString('base64');
    const report = await verify(write(new TextEncoder().encode(JSON.stringify(bundle))), keylessTrust());
    expect(report.verdict).toBe('tampered');
    expect(report.signatures[0]).toMatchObject({ status: 'invalid' });
    expect(report.subjects[0]).toMatchObject({ status: 'ok' });
  });

  it('refuses a malformed trusted root, naming the JSON path', async () => {
    const bad = path.join(work, 'bad-root.json');
    writeFileSync(bad, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', ctlogs: [{ baseUrl: 'x' }] }));
    const report = await verify(write(keylessMessageBundle(world, world.leaf(), ARTIFACT)), { trustedRoot: bad, identity: ALICE });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('$.ctlogs[0].publicKey: missing');
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBoardPolicy } from '../../../shared/formats/board-policy';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { buildTrustContext, type TrustContext } from '../../../shared/verify/trust';
import { parseTrustedPublicKey } from '../foreign/public-keys';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import { dssePae, makeOpensslKey, makeTestCa, opensslSign, specBundle, specStatement, type OpensslKeyPair, type TestCa } from '../oms/oms-test-producer';
import { verifyPath } from '../session/test-sessions';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const MODEL = 'model/fraud-m92.onnx';
const CODE_COMMIT = '4e08bb1c89a26880a3da75adc53ac10167a0ab6e';
const IN_TOTO = 'application/vnd.in-toto+json';

let work: string;
let pool: HashPool;
let producer: OpensslKeyPair;
let producerKeyId: string;
let stranger: OpensslKeyPair;
let ca: TestCa;
let trust: TrustContext;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-attestations-'));
  pool = createHashPool({ workers: 1 });
  producer = makeOpensslKey(work, 'release-ci', 'p256');
  producerKeyId = parseTrustedPublicKey(fs.readFileSync(producer.publicPath, 'utf8'), 'key', 'key', 'producer').keyId;
  stranger = makeOpensslKey(work, 'stranger', 'p384');
  ca = makeTestCa(work, 'p256', { name: 'release-ca' });
  const board = parseStrictJson(fs.readFileSync(path.join(repoRoot, 'assets/demo/board.json'))) as { producers: Record<string, unknown>[] };
  board.producers.push({ name: 'release CI', keys: [fs.readFileSync(producer.publicPath, 'utf8')], certificateAuthorities: [{ pem: fs.readFileSync(ca.rootPath, 'utf8'), identity: 'signer@example.test' }] });
  trust = buildTrustContext({ source: 'board-file', board: parseBoardPolicy(parseStrictJson(JSON.stringify(board))) });
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const modelDigest = () => sha256(fs.readFileSync(path.join(demoBundle, 'artifacts', MODEL)));

function provenance(subjectDigest: string, commit: string, version: 'v1' | 'v0.2' = 'v1'): Record<string, unknown> {
  const dependency = { uri: 'git+https://git.example.com/fraud.git', digest: { gitCommit: commit } };
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'fraud-m92.onnx', digest: { sha256: subjectDigest } }],
    predicateType: `https://slsa.dev/provenance/${version}`,
    predicate: version === 'v1' ? { buildDefinition: { buildType: 'https://example.test/ci', externalParameters: {}, resolvedDependencies: [dependency] }, runDetails: {} } : { builder: { id: 'ci' }, materials: [dependency] },
  };
}

function dsseEnvelope(statement: unknown, signer: OpensslKeyPair, keyid: string | null, tamper = false): string {
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = opensslSign(signer, dssePae(IN_TOTO, payload), work).toString('base64');
  const shipped = tamper ? Buffer.from(JSON.stringify(statement).replace('"subject"', '"subject" ')) : payload;
  return JSON.stringify({ payloadType: IN_TOTO, payload: shipped.toString('base64'), signatures: [{ ...(keyid !== null ? { keyid } : {}), sig }] });
}

function modelSignature(signer: OpensslKeyPair, content: Buffer = fs.readFileSync(path.join(demoBundle, 'artifacts', MODEL))): string {
  const resources = [{ name: 'fraud-m92.onnx', algorithm: 'sha256', digest: sha256(content) }];
  const statement = specStatement('fraud-m92.onnx', resources, { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: [] });
  return specBundle(statement, { publicKey: { hint: producerKeyId } }, (pae) => opensslSign(signer, pae, work));
}

/** A copy of the demo bundle with these files under attestations/. */
function bundleWith(attestations: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(work, 'bundle-'));
  fs.cpSync(demoBundle, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'attestations'));
  for (const [name, content] of Object.entries(attestations)) fs.writeFileSync(path.join(dir, 'attestations', name), content);
  return dir;
}

const verify = (bundle: string) => verifyPath(bundle, trust, { hashPool: pool, tempRoot: work });

describe('attestations in a Countersign bundle', () => {
  it('verifies an OMS model signature, a SLSA provenance and a Sigstore bundle by trusted producers, bound to the manifest, as a folder and as an archive', async () => {
    const chain = { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) } };
    const lockDigest = sha256(fs.readFileSync(path.join(demoBundle, 'artifacts/requirements.lock')));
    const lockStatement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'requirements.lock', digest: { sha256: lockDigest } }], predicateType: 'https://example.test/scan/v1', predicate: {} };
    const dir = bundleWith({
      'model.sig': modelSignature(producer),
      'provenance.dsse.json': dsseEnvelope(provenance(modelDigest(), CODE_COMMIT), producer, producerKeyId),
      'scan.sigstore.json': specBundle(lockStatement, chain, (pae) => opensslSign(ca.leafKey, pae, work)),
    });
    const archive = path.join(work, 'with-attestations.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
    for (const bundle of [dir, archive]) {
      const report = await verify(bundle);
      expect(report.verdict, JSON.stringify(report.attestations)).toBe('verified');
      expect(report.attestations?.map((a) => [a.path, a.format, a.status, a.trustSource])).toEqual([
        ['attestations/model.sig', 'oms', 'verified', 'producer'],
        ['attestations/provenance.dsse.json', 'dsse', 'verified', 'producer'],
        ['attestations/scan.sigstore.json', 'sigstore', 'verified', 'producer'],
      ]);
      expect(report.attestations?.[0]?.bindings).toEqual([expect.objectContaining({ manifestSubject: MODEL, status: 'bound' })]);
      expect(report.attestations?.[1]).toMatchObject({ signer: 'release CI', provenance: { commits: [CODE_COMMIT], codeCommits: [CODE_COMMIT], status: 'same' } });
      expect(report.attestations?.[2]).toMatchObject({ signer: expect.stringContaining('signer@example.test'), bindings: [expect.objectContaining({ manifestSubject: 'requirements.lock', status: 'bound' })] });
    }
  });

  it('finds a provenance built from another commit than the code subject, naming both, and fails the bundle', async () => {
    const other = 'f'.repeat(40);
    for (const version of ['v1', 'v0.2'] as const) {
      const report = await verify(bundleWith({ 'provenance.dsse.json': dsseEnvelope(provenance(modelDigest(), other, version), producer, producerKeyId) }));
      expect(report.verdict).toBe('tampered');
      const attestation = report.attestations![0]!;
      expect(attestation).toMatchObject({ status: 'tampered', provenance: { commits: [other], codeCommits: [CODE_COMMIT], status: 'differs' } });
      expect(attestation.reasons.join(' ')).toContain(`commit ${other}`);
      expect(attestation.reasons.join(' ')).toContain(CODE_COMMIT);
      expect(report.findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'attestation-tampered', location: 'attestations/provenance.dsse.json' }));
    }
  });

  it('fails a trusted attestation whose subject is not the manifest\'s', async () => {
    const report = await verify(bundleWith({ 'provenance.dsse.json': dsseEnvelope(provenance('0'.repeat(64), CODE_COMMIT), producer, producerKeyId) }));
    expect(report.verdict).toBe('tampered');
    expect(report.attestations![0]).toMatchObject({ status: 'tampered', bindings: [expect.objectContaining({ status: 'unbound', manifestSubject: null })] });
  });

  it('fails a model signature over other model bytes than the model subject', async () => {
    const report = await verify(bundleWith({ 'model.sig': modelSignature(producer, Buffer.from('another model')) }));
    expect(report.verdict).toBe('tampered');
    expect(report.attestations![0]).toMatchObject({ status: 'tampered', bindings: [expect.objectContaining({ manifestSubject: MODEL, status: 'mismatch' })] });
  });

  it('fails an attestation changed after the producer signed it', async () => {
    const report = await verify(bundleWith({ 'provenance.dsse.json': dsseEnvelope(provenance(modelDigest(), CODE_COMMIT), producer, producerKeyId, true) }));
    expect(report.verdict).toBe('tampered');
    expect(report.attestations![0]!.status).toBe('tampered');
  });

  it('shows an attestation by a signer the board does not trust as untrusted, a warning that leaves the release verified', async () => {
    const report = await verify(bundleWith({ 'provenance.dsse.json': dsseEnvelope(provenance(modelDigest(), CODE_COMMIT), stranger, null) }));
    expect(report.verdict).toBe('verified');
    expect(report.attestations![0]).toMatchObject({ status: 'untrusted', trustSource: null });
    expect(report.findings).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'attestation-untrusted' }));
  });

  it('does not count a leaf of another root, though its SAN is the producer identity', async () => {
    const other = makeTestCa(work, 'p256', { name: 'other-ca' });
    const statement = provenance(modelDigest(), CODE_COMMIT);
    const chain = { x509CertificateChain: { certificates: other.chainDer.map((rawBytes) => ({ rawBytes })) } };
    const report = await verify(bundleWith({ 'p.sigstore.json': specBundle(statement, chain, (pae) => opensslSign(other.leafKey, pae, work)) }));
    expect(report.attestations![0]!.status).toBe('untrusted');
  });

  it('never counts a leaf whose key the board revoked, though its root is a producer root', async () => {
    const leafKeyId = parseTrustedPublicKey(fs.readFileSync(ca.leafKey.publicPath, 'utf8'), 'key', 'key', 'producer').keyId;
    const board = parseStrictJson(fs.readFileSync(path.join(repoRoot, 'assets/demo/board.json'))) as { producers: Record<string, unknown>[]; revokedKeys: string[] };
    board.producers.push({ name: 'release CI', certificateAuthorities: [{ pem: fs.readFileSync(ca.rootPath, 'utf8'), identity: 'signer@example.test' }] });
    board.revokedKeys.push(leafKeyId);
    const revokedTrust = buildTrustContext({ source: 'board-file', board: parseBoardPolicy(parseStrictJson(JSON.stringify(board))) });
    const chain = { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) } };
    const bundle = bundleWith({ 'p.sigstore.json': specBundle(provenance(modelDigest(), CODE_COMMIT), chain, (pae) => opensslSign(ca.leafKey, pae, work)) });
    const report = await verifyPath(bundle, revokedTrust, { hashPool: pool, tempRoot: work });
    expect(report.attestations![0]).toMatchObject({ status: 'untrusted', trustSource: null });
    expect(report.attestations![0]!.reasons[0]).toContain(`revoked keys: ${leafKeyId}`);
  });

  it('calls a file under attestations/ that is no signature invalid, without failing the release', async () => {
    const report = await verify(bundleWith({ 'notes.txt': 'hello' }));
    expect(report.verdict).toBe('verified');
    expect(report.attestations![0]).toMatchObject({ status: 'invalid', format: null });
  });
});

import { describe, it, expect } from 'vitest';
import { serializeEnvelope, signEnvelope, type DsseEnvelope } from '../crypto/dsse';
import { publicKeyFromSeed } from '../crypto/ed25519';
import { sha256, sha256Hex } from '../crypto/hash';
import { keyIdOf, toOpenSshLine } from '../crypto/keys';
import { encodeBase64 } from '../encoding/base64';
import type { BoardPolicy } from '../formats/board-policy';
import { checkManifest, IN_TOTO_PAYLOAD_TYPE } from './check-manifest';
import { checkSubjects, planSubjectChecks } from './check-subjects';
import { buildTrustContext, type TrustContext } from './trust';
import { assembleReport, decideVerdict } from './verdict';

const encoder = new TextEncoder();

function key(label: string) {
  const seed = sha256(encoder.encode(label));
  const publicKey = publicKeyFromSeed(seed);
  return { seed, publicKey, keyId: keyIdOf(publicKey), openssh: toOpenSshLine(publicKey, label) };
}

const producer = key('producer');
const member = key('member');
const stranger = key('stranger');

const MODEL = encoder.encode('model bytes');

function statement(createdBy = producer.keyId) {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      { name: 'model/m.onnx', digest: { sha256: sha256Hex(MODEL) } },
      { name: 'git+https://example.com/r.git', digest: { gitCommit: 'a'.repeat(40) } },
    ],
    predicateType: 'https://countersign.dev/release/v1',
    predicate: {
      release: { name: 'fraud-detector', version: 'm92' },
      artifacts: { 'model/m.onnx': { kind: 'model' }, 'git+https://example.com/r.git': { kind: 'code' } },
      createdBy,
      createdAt: '2026-11-01T12:00:00Z',
    },
  };
}

function envelopeBytes(envelope: DsseEnvelope): Uint8Array {
  return encoder.encode(serializeEnvelope(envelope));
}

function signed(payload: unknown, signers = [producer]): DsseEnvelope {
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, encoder.encode(JSON.stringify(payload)), signers.map((k) => ({ keyId: k.keyId, seed: k.seed })));
}

function board(overrides: Partial<BoardPolicy> = {}): BoardPolicy {
  return {
    board: 'Test board',
    version: 1,
    members: [{ name: 'Mia Member', roles: ['risk'], keys: [member.openssh] }],
    producers: [{ name: 'training CI', keys: [producer.openssh] }],
    revokedKeys: [],
    rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
    unknownFields: [],
    ...overrides,
  };
}

function verify(bytes: Uint8Array, trust: TrustContext, blobs: Record<string, Uint8Array> = { 'model/m.onnx': MODEL }) {
  const manifest = checkManifest(bytes, trust);
  const artifacts = new Map(Object.keys(blobs).map((name) => [name, `artifacts/${name}`]));
  const hashed = new Map(Object.entries(blobs).map(([name, b]) => [`artifacts/${name}`, { sha256: sha256Hex(b), size: b.length }]));
  const subjects = manifest.manifest ? checkSubjects(manifest.manifest, artifacts, hashed) : [];
  const unexpectedBlobs = manifest.manifest ? planSubjectChecks(manifest.manifest, artifacts).unexpectedBlobs : [];
  return { manifest, subjects, ...decideVerdict({ manifest, subjects, unexpectedBlobs, trust }) };
}

const boardTrust = (overrides: Partial<BoardPolicy> = {}) => buildTrustContext({ source: 'board-file', board: board(overrides) });

describe('bundle verification verdicts', () => {
  it('verifies a manifest signed by a board producer whose blobs all match', () => {
    const result = verify(envelopeBytes(signed(statement())), boardTrust());
    expect(result.verdict).toBe('verified');
    expect(result.manifest.signatures).toEqual([expect.objectContaining({ status: 'valid', keyId: producer.keyId, signerName: 'training CI', trustSource: 'producer' })]);
    expect(result.subjects.map((s) => s.status)).toEqual(['ok', 'not-checked']);
    expect(result.manifest.summary!.digest).toBe(sha256Hex(encoder.encode(JSON.stringify(statement()))));
  });

  it('trusts a key pinned on this machine without any board', () => {
    const trust = buildTrustContext({ source: 'store', board: null, pinned: [{ keyId: producer.keyId, name: 'CI (pinned)', publicKey: producer.openssh }] });
    expect(verify(envelopeBytes(signed(statement())), trust).verdict).toBe('verified');
  });

  it('says tampered, naming the signer, when the payload changed after signing', () => {
    const envelope = signed(statement());
    const changed = encoder.encode(JSON.stringify(statement()).replace('m92', 'm93'));
    const result = verify(envelopeBytes({ ...envelope, payload: changed }), boardTrust());
    expect(result.verdict).toBe('tampered');
    expect(result.manifest.signatures[0]).toMatchObject({ status: 'invalid', keyId: producer.keyId });
    expect(result.reasons.join(' ')).toContain('does not verify under it');
  });

  it('says tampered, naming the file with expected and actual digests, when a blob changed', () => {
    const swapped = encoder.encode('another model');
    const result = verify(envelopeBytes(signed(statement())), boardTrust(), { 'model/m.onnx': swapped });
    expect(result.verdict).toBe('tampered');
    const subject = result.subjects.find((s) => s.name === 'model/m.onnx')!;
    expect(subject).toMatchObject({ status: 'mismatch', expectedSha256: sha256Hex(MODEL), actualSha256: sha256Hex(swapped), blobPath: 'artifacts/model/m.onnx' });
    expect(result.reasons[0]).toContain('artifacts/model/m.onnx');
  });

  it('says untrusted when a key nobody trusts signed it, even if that key is offered in the bundle', () => {
    const bytes = envelopeBytes(signed(statement(stranger.keyId), [stranger]));
    const manifest = checkManifest(bytes, boardTrust(), [{ keyId: stranger.keyId, publicKey: stranger.publicKey, file: 'keys/s.pub' }]);
    expect(manifest.signatures[0]).toMatchObject({ status: 'unknown-key', keyId: stranger.keyId });
    expect(manifest.signatures[0]!.reason).toContain('keys/s.pub');
    expect(decideVerdict({ manifest, subjects: [], unexpectedBlobs: [], trust: boardTrust() }).verdict).toBe('untrusted');
  });

  it('ignores the keyid hint: a signature naming a trusted key but made by another key does not count', () => {
    const forged = signEnvelope(IN_TOTO_PAYLOAD_TYPE, encoder.encode(JSON.stringify(statement())), [{ keyId: producer.keyId, seed: stranger.seed }]);
    const result = verify(envelopeBytes(forged), boardTrust());
    expect(result.manifest.signatures[0]!.status).toBe('invalid');
    expect(result.verdict).toBe('tampered');
  });

  it('shows unknown envelope fields as findings, at both levels, without changing the verdict', () => {
    const envelope = signed(statement());
    // eslint-disable-next-line no-restricted-syntax -- our own serialiser output
    const json = JSON.parse(serializeEnvelope(envelope)) as { signatures: Record<string, unknown>[] };
    json.signatures[0]!['certificate'] = 'PEM...';
    const result = verify(encoder.encode(JSON.stringify({ ...json, mirror: 'https://example.com' })), boardTrust());
    expect(result.verdict).toBe('verified');
    const unknown = result.manifest.findings.filter((finding) => finding.code === 'unknown-envelope-field');
    expect(unknown.map((finding) => finding.location)).toEqual(['manifest.dsse.json $.mirror', 'manifest.dsse.json $.signatures[0].certificate']);
    expect(unknown.every((finding) => finding.severity === 'info')).toBe(true);
  });

  it('treats keyid as a hint: a wrong hint naming another trusted key, or none, still verifies with the right key', () => {
    const payload = encoder.encode(JSON.stringify(statement()));
    const misnamed = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId: member.keyId, seed: producer.seed }]);
    const unnamed = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId: '', seed: producer.seed }]);
    for (const envelope of [misnamed, unnamed]) {
      const result = verify(envelopeBytes(envelope), boardTrust());
      expect(result.manifest.signatures[0]).toMatchObject({ status: 'valid', keyId: producer.keyId, signerName: 'training CI' });
      expect(result.verdict).toBe('verified');
    }
  });

  it('says, as a finding, that a sha512 or sha384 pinned beside sha256 was not checked against the blob', () => {
    const both = statement();
    const sha512Hex = 'ab'.repeat(64);
    both.subject[0] = { name: 'model/m.onnx', digest: { sha256: sha256Hex(MODEL), sha512: sha512Hex, sha384: 'cd'.repeat(48) } as { sha256: string } };
    const trust = boardTrust();
    const result = verify(envelopeBytes(signed(both)), trust);
    const report = assembleReport({ manifest: result.manifest, subjects: result.subjects, unexpectedBlobs: [], trust, bundle: { path: 'b', container: 'directory', fileCount: 2 }, bytesHashed: 0, now: new Date() });
    const notChecked = report.findings.filter((finding) => finding.code === 'digest-not-checked');
    expect(notChecked.map((finding) => finding.message)).toEqual([
      'The sha512 digests of 1 subject(s) were not checked against their blobs (only sha256 is): model/m.onnx.',
      'The sha384 digests of 1 subject(s) were not checked against their blobs (only sha256 is): model/m.onnx.',
    ]);
    expect(report.subjects[0]).toMatchObject({ status: 'ok', digest: { sha512: sha512Hex } });
  });

  it('says untrusted when the only signature is by a revoked key', () => {
    const result = verify(envelopeBytes(signed(statement())), boardTrust({ revokedKeys: [producer.keyId] }));
    expect(result.manifest.signatures[0]!.status).toBe('revoked');
    expect(result.verdict).toBe('untrusted');
    expect(result.reasons[0]).toContain('revoked');
  });

  it('says untrusted when createdBy names a key that did not sign', () => {
    const result = verify(envelopeBytes(signed(statement(member.keyId), [producer])), boardTrust());
    expect(result.verdict).toBe('untrusted');
    expect(result.reasons[0]).toContain(member.keyId);
  });

  it('refuses a small-order key in the trust store and a signature that only a lenient verifier accepts', () => {
    // The identity point: with R = identity and S = 0, a cofactored or lenient verifier accepts any message.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const smallOrderLine = toOpenSshLine(identity);
    const trust = buildTrustContext({ source: 'store', board: null, pinned: [{ keyId: keyIdOf(identity), name: 'weak', publicKey: smallOrderLine }] });
    expect(trust.keys).toHaveLength(0);
    expect(trust.findings[0]!.message).toMatch(/small order|small-order/i);

    const envelope = signed(statement(keyIdOf(identity)));
    const forgedSig = new Uint8Array(64);
    forgedSig.set(identity, 0);
    const result = verify(envelopeBytes({ ...envelope, signatures: [{ keyid: keyIdOf(identity), sig: forgedSig }] }), trust);
    expect(result.verdict).not.toBe('verified');
  });

  it('rejects a signature whose S is not reduced (S ≥ L), which lenient verifiers accept', () => {
    const envelope = signed(statement());
    const sig = envelope.signatures[0]!.sig;
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
    let big = s + L;
    const malleable = new Uint8Array(sig);
    for (let i = 0; i < 32; i++, big >>= 8n) malleable[32 + i] = Number(big & 0xffn);
    const result = verify(envelopeBytes({ ...envelope, signatures: [{ keyid: producer.keyId, sig: malleable }] }), boardTrust());
    expect(result.manifest.signatures[0]!.status).toBe('invalid');
    expect(result.verdict).toBe('tampered');
  });

  it('says invalid, naming the JSON path, when the payload has a duplicate key', () => {
    const payload = encoder.encode('{"_type":"https://in-toto.io/Statement/v1","_type":"x","subject":[],"predicateType":"p","predicate":{}}');
    const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId: producer.keyId, seed: producer.seed }]);
    const result = verify(envelopeBytes(envelope), boardTrust());
    expect(result.verdict).toBe('invalid');
    expect(result.reasons[0]).toMatch(/duplicate/i);
  });

  it('says invalid when the envelope is not DSSE, and shows an unknown predicate as not understood', () => {
    expect(verify(encoder.encode('{"payload": 1}'), boardTrust()).verdict).toBe('invalid');
    const other = { ...statement(), predicateType: 'https://slsa.dev/provenance/v1', predicate: { anything: true } };
    const result = verify(envelopeBytes(signed(other)), boardTrust());
    expect(result.verdict).toBe('invalid');
    expect(result.manifest.summary!.understood).toBe(false);
    expect(result.reasons[0]).toContain('not understood');
  });

  it('reports blobs that no subject names as unexpected', () => {
    const result = verify(envelopeBytes(signed(statement())), boardTrust(), { 'model/m.onnx': MODEL, 'model/extra.bin': encoder.encode('?') });
    expect(result.verdict).toBe('verified');
    expect(result.reasons.join(' ')).toContain('named by no subject');
  });

  it('keeps the envelope bytes as signed: a re-encoded but equal payload in base64 is the same identity', () => {
    const envelope = signed(statement());
    // eslint-disable-next-line no-restricted-syntax -- our own serialiser output
    const json = JSON.parse(serializeEnvelope(envelope)) as { payload: string };
    expect(json.payload).toBe(encodeBase64(envelope.payload));
  });
});

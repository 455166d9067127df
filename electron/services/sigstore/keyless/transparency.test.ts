import { createHash, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSigstoreBundle } from '../sigstore-bundle';
import type { TrustedRoot } from './keyless-types';
import { bodies, ecdsaKeyPair, sigstoreBundleJson, spkiDer, TestRekor, type TestEnvelope } from './test-rekor';
import { makeTestTsa, type TestTsa } from './test-tsa';
import { verifyTransparency, type TransparencyInput } from './transparency';

const ARTIFACT = Buffer.from('tokenizer.json contents\n'.repeat(30));
const DIGEST = createHash('sha256').update(ARTIFACT).digest('hex');
const signer = ecdsaKeyPair();
const signerSpki = spkiDer(signer.publicKey);
const signature = new Uint8Array(sign('sha256', ARTIFACT, signer.privateKey));

let work: string;
let tsa: TestTsa;
let leafCertificateDer: Uint8Array;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'transparency-'));
  tsa = makeTestTsa(work, 'tsa');
  // A certificate only to be named by log entries: what keyless bundles log instead of a key.
  leafCertificateDer = new Uint8Array(tsa.issue('signer', ['basicConstraints = critical,CA:FALSE', 'extendedKeyUsage = codeSigning']).certificate.raw);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function root(logs: TestRekor[], timestampAuthorities = [tsa.authority]): TrustedRoot {
  return { certificateAuthorities: [], tlogs: logs.map((log) => log.trusted), ctlogs: [], timestampAuthorities };
}

function v2Log(body: Uint8Array, baseUrl = 'https://log2025-1.rekor.test.example', validFor?: { start: Date; end: Date | null }): { rekor: TestRekor; index: number } {
  const rekor = new TestRekor(baseUrl, true, validFor);
  rekor.fill(5);
  const index = rekor.append(body);
  rekor.fill(2);
  return { rekor, index };
}

function input(entries: Record<string, unknown>[], timestamps: Uint8Array[], signerMaterial: 'certificate' | 'key' = 'key'): TransparencyInput {
  const bundle = readSigstoreBundle(
    sigstoreBundleJson({
      material: signerMaterial === 'certificate' ? { certificate: { rawBytes: Buffer.from(leafCertificateDer).toString('base64') } } : { publicKey: { hint: 'k' } },
      tlogEntries: entries,
      timestamps,
      content: { messageSignature: { digestHex: DIGEST, signature } },
    }),
  );
  return {
    bundle,
    signatureBytes: signature,
    leafCertificateDer: signerMaterial === 'certificate' ? leafCertificateDer : null,
    verificationKeySpkiDer: signerMaterial === 'certificate' ? null : signerSpki,
    artifactDigest: { algorithm: 'sha256', hex: DIGEST },
    envelope: null,
  };
}

describe('Rekor v2 entries and RFC 3161 timestamps', () => {
  it('verifies a hashedrekord 0.0.2 entry with its Ed25519 checkpoint, its time from the timestamp alone', () => {
    const { rekor, index } = v2Log(bodies.hashedrekordV002(DIGEST, signature, { certificateDer: leafCertificateDer }));
    const verdict = verifyTransparency(input([rekor.entryJson(index)], [tsa.stamp(signature)], 'certificate'), root([rekor]), new Date());
    expect(verdict.problems).toEqual([]);
    expect(verdict.times).toHaveLength(1);
    expect(verdict.times[0]).toMatchObject({ source: 'rfc3161', authority: 'tsa TSA' });
    expect(verdict.transparency).toMatchObject({ logIndex: index, integratedTime: null, timestampAuthorityTime: verdict.times[0]!.time.toISOString() });
    expect(verdict.transparency.proofsChecked).toEqual(['rfc3161', 'body', 'checkpoint', 'inclusion-proof']);
  });

  it('verifies a Rekor v2 log that signs its checkpoints with ECDSA, and ignores a witness cosignature', () => {
    const rekor = new TestRekor('https://log2025-2.rekor.test.example', true, undefined, 'ecdsa');
    rekor.fill(3);
    const index = rekor.append(bodies.hashedrekordV002(DIGEST, signature, { publicKeyDer: signerSpki }));
    const entry = rekor.entryJson(index);
    const proof = entry['inclusionProof'] as { checkpoint: { envelope: string } };
    const witnessLine = `\u2014 witness.test.example ${Buffer.concat([Buffer.from([1, 2, 3, 4]), Buffer.alloc(72, 9)]).toString('base64')}\n`;
    proof.checkpoint.envelope += witnessLine;
    const verdict = verifyTransparency(input([entry], [tsa.stamp(signature)]), root([rekor]), new Date());
    expect(verdict.problems).toEqual([]);
    expect(verdict.transparency.proofsChecked).toContain('checkpoint');
  });

  it('verifies a dsse 0.0.2 entry of an envelope', () => {
    const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
    const envelopeSignature = new Uint8Array(sign('sha256', payload, signer.privateKey));
    const envelope: TestEnvelope = { payloadType: 'application/vnd.in-toto+json', payload, signatures: [{ sig: envelopeSignature, keyid: null }] };
    const { rekor, index } = v2Log(bodies.dsseV002(envelope, { publicKeyDer: signerSpki }));
    const bundle = readSigstoreBundle(sigstoreBundleJson({ material: { publicKey: { hint: 'k' } }, tlogEntries: [rekor.entryJson(index)], timestamps: [tsa.stamp(envelopeSignature)], content: { envelope } }));
    const envelopeIn = bundle.content.kind === 'dsse' ? bundle.content.envelope : null;
    const verdict = verifyTransparency({ bundle, signatureBytes: envelopeSignature, leafCertificateDer: null, verificationKeySpkiDer: signerSpki, artifactDigest: null, envelope: envelopeIn }, root([rekor]), new Date());
    expect(verdict.problems).toEqual([]);
  });

  it('gives no verified time for a Rekor v2 entry without a timestamp: its integrated time is never used', () => {
    const { rekor, index } = v2Log(bodies.hashedrekordV002(DIGEST, signature, { publicKeyDer: signerSpki }));
    const entry = { ...rekor.entryJson(index), integratedTime: '1764633600' };
    const verdict = verifyTransparency(input([entry], []), root([rekor]), new Date());
    expect(verdict.times).toEqual([]);
    expect(verdict.transparency.proofsChecked).toEqual(['body', 'checkpoint', 'inclusion-proof']);
    expect(verdict.problems).toEqual([expect.stringMatching(/^No verified time/)]);
  });

  it('takes a timestamp alone as the verified time', () => {
    const verdict = verifyTransparency(input([], [tsa.stamp(signature)]), root([]), new Date());
    expect(verdict.problems).toEqual([]);
    expect(verdict.transparency.proofsChecked).toEqual(['rfc3161']);
  });

  it('combines a Rekor v1 integrated time and a timestamp', () => {
    const rekor = new TestRekor('https://rekor.test.example', false);
    rekor.fill(2);
    const index = rekor.append(bodies.hashedrekordV001(DIGEST, signature, { publicKeyDer: signerSpki }));
    const verdict = verifyTransparency(input([rekor.entryJson(index)], [tsa.stamp(signature)]), root([rekor]), new Date());
    expect(verdict.problems).toEqual([]);
    expect(verdict.times.map((time) => time.source)).toEqual(['rfc3161', 'rekor-integrated-time']);
  });
});

describe('hostile Rekor v2 entries and timestamps, each refused with its reason', () => {
  const v2Body = (): Uint8Array => bodies.hashedrekordV002(DIGEST, signature, { publicKeyDer: signerSpki });
  const cases: { name: string; run: () => ReturnType<typeof verifyTransparency>; reason: RegExp }[] = [
    {
      name: 'a checkpoint signed by another key',
      run: () => {
        const { rekor, index } = v2Log(v2Body());
        const impostor = new TestRekor('https://log2025-1.rekor.test.example', true);
        return verifyTransparency(input([rekor.entryJson(index, { checkpointKey: impostor.keys })], [tsa.stamp(signature)]), root([rekor]), new Date());
      },
      reason: /checkpoint is not signed by the log's key/,
    },
    {
      name: 'a checkpoint for another origin',
      run: () => {
        const { rekor, index } = v2Log(v2Body(), 'https://log2025-1.rekor.test.example');
        const renamed = { ...rekor.trusted, baseUrl: 'https://log2026-1.rekor.test.example' };
        return verifyTransparency(input([rekor.entryJson(index)], [tsa.stamp(signature)]), { ...root([]), tlogs: [renamed] }, new Date());
      },
      reason: /checkpoint is for the log "log2025-1\.rekor\.test\.example", not "log2026-1\.rekor\.test\.example"/,
    },
    {
      name: 'a log not valid at the timestamp time',
      run: () => {
        const { rekor, index } = v2Log(v2Body(), undefined, { start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') });
        return verifyTransparency(input([rekor.entryJson(index)], [tsa.stamp(signature)]), root([rekor]), new Date());
      },
      reason: /was not valid at any verified timestamp/,
    },
    {
      name: 'an entry for another artifact',
      run: () => {
        const { rekor, index } = v2Log(bodies.hashedrekordV002(createHash('sha256').update('other').digest('hex'), signature, { publicKeyDer: signerSpki }));
        return verifyTransparency(input([rekor.entryJson(index)], [tsa.stamp(signature)]), root([rekor]), new Date());
      },
      reason: /logged for another artifact/,
    },
    {
      name: 'an entry naming another certificate',
      run: () => {
        const otherCertificate = new Uint8Array(tsa.tsa.certificate.raw);
        const { rekor, index } = v2Log(bodies.hashedrekordV002(DIGEST, signature, { certificateDer: otherCertificate }));
        return verifyTransparency(input([rekor.entryJson(index)], [tsa.stamp(signature)], 'certificate'), root([rekor]), new Date());
      },
      reason: /names another signing certificate than the bundle/,
    },
    {
      name: 'a Rekor v2 entry carrying a SET',
      run: () => {
        const { rekor, index } = v2Log(v2Body());
        return verifyTransparency(input([rekor.entryJson(index, { withSet: true })], [tsa.stamp(signature)]), root([rekor]), new Date());
      },
      reason: /a Rekor v2 entry carries no SET, yet this one does/,
    },
    {
      name: 'a timestamp over another signature beside a good entry (never skipped)',
      run: () => {
        const { rekor, index } = v2Log(v2Body());
        return verifyTransparency(input([rekor.entryJson(index)], [tsa.stamp(signature), tsa.stamp(new Uint8Array([1, 2, 3]))]), root([rekor]), new Date());
      },
      reason: /RFC 3161 timestamp 1: it timestamps other bytes than the bundle's signature/,
    },
    {
      name: 'a timestamp from a TSA the trusted root does not list',
      run: () => verifyTransparency(input([], [tsa.stamp(signature)]), root([], []), new Date()),
      reason: /the trusted root lists no timestamp authority[\s\S]*No verified time/,
    },
  ];
  for (const { name, run, reason } of cases) {
    it(`refuses ${name}`, () => {
      expect(run().problems.join('\n')).toMatch(reason);
    });
  }
});

import { createHash, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSigstoreBundle } from '../sigstore-bundle';
import type { TrustedRoot } from './keyless-types';
import { bodies, ecdsaKeyPair, sigstoreBundleJson, spkiDer, TestRekor, type TestEnvelope } from './test-rekor';
import { verifyTransparency, type TransparencyInput } from './transparency';

const ARTIFACT = Buffer.from('model weights, version 7\n'.repeat(40));
const DIGEST = createHash('sha256').update(ARTIFACT).digest('hex');
const OTHER_DIGEST = createHash('sha256').update('another artifact').digest('hex');
const INTEGRATED = 1_764_633_600;
const NOW = new Date('2026-01-01T00:00:00Z');

const signer = ecdsaKeyPair();
const signerSpki = spkiDer(signer.publicKey);
const signature = new Uint8Array(sign('sha256', ARTIFACT, signer.privateKey));
const otherSignature = new Uint8Array(sign('sha256', Buffer.from('another artifact'), signer.privateKey));

function rootWith(...logs: TestRekor[]): TrustedRoot {
  return { certificateAuthorities: [], tlogs: logs.map((log) => log.trusted), ctlogs: [], timestampAuthorities: [] };
}

/** A v1 log of 8 leaves where index 3 is the entry for `body`. */
function v1Log(body: Uint8Array, validFor?: { start: Date; end: Date | null }): { rekor: TestRekor; index: number } {
  const rekor = new TestRekor('https://rekor.test.example', false, validFor);
  rekor.fill(3);
  const index = rekor.append(body);
  rekor.fill(4);
  return { rekor, index };
}

function messageInput(entries: Record<string, unknown>[], mediaType?: string): TransparencyInput {
  const bundle = readSigstoreBundle(
    sigstoreBundleJson({ ...(mediaType ? { mediaType } : {}), material: { publicKey: { hint: 'test' } }, tlogEntries: entries, content: { messageSignature: { digestHex: DIGEST, signature } } }),
  );
  return { bundle, signatureBytes: signature, leafCertificateDer: null, verificationKeySpkiDer: signerSpki, artifactDigest: { algorithm: 'sha256', hex: DIGEST }, envelope: null };
}

const goodBody = bodies.hashedrekordV001(DIGEST, signature, { publicKeyDer: signerSpki });

describe('Rekor v1 entries', () => {
  it('verifies a hashedrekord entry by its SET, its inclusion proof and its signed checkpoint, and reports the integrated time', () => {
    const { rekor, index } = v1Log(goodBody);
    const verdict = verifyTransparency(messageInput([rekor.entryJson(index)]), rootWith(rekor), NOW);
    expect(verdict.problems).toEqual([]);
    expect(verdict.times).toEqual([{ time: new Date(INTEGRATED * 1000), source: 'rekor-integrated-time', authority: 'https://rekor.test.example' }]);
    expect(verdict.transparency).toEqual({ logIndex: index, integratedTime: '2025-12-02T00:00:00.000Z', timestampAuthorityTime: null, proofsChecked: ['body', 'set', 'checkpoint', 'inclusion-proof'] });
  });

  it('takes a v0.1 bundle with only a SET, and a v0.3 entry with only an inclusion proof', () => {
    const { rekor, index } = v1Log(goodBody);
    const setOnly = verifyTransparency(messageInput([rekor.entryJson(index, { withProof: false })], 'application/vnd.dev.sigstore.bundle+json;version=0.1'), rootWith(rekor), NOW);
    expect(setOnly.problems).toEqual([]);
    expect(setOnly.transparency.proofsChecked).toEqual(['body', 'set']);
    const proofOnly = verifyTransparency(messageInput([rekor.entryJson(index, { withSet: false })]), rootWith(rekor), NOW);
    expect(proofOnly.problems).toEqual([]);
    expect(proofOnly.times).toHaveLength(1);
  });

  it('refuses a v0.1 entry without a SET and a v0.2 entry without an inclusion proof when the bundle is read', () => {
    const { rekor, index } = v1Log(goodBody);
    expect(() => messageInput([rekor.entryJson(index, { withSet: false })], 'application/vnd.dev.sigstore.bundle+json;version=0.1')).toThrow(/inclusionPromise: a v0.1 bundle entry must carry/);
    expect(() => messageInput([rekor.entryJson(index, { withProof: false })], 'application/vnd.dev.sigstore.bundle+json;version=0.2')).toThrow(/inclusionProof: from bundle v0.2 on/);
    const entry = rekor.entryJson(index);
    expect(() => messageInput([{ ...entry, logIndex: 3 }])).toThrow(/logIndex: expected a non-negative decimal integer in a string/);
    expect(() => messageInput([{ ...entry, logIndex: '9007199254740993' }])).toThrow(/larger than 2\^53/);
  });

  it('verifies dsse 0.0.1 and intoto 0.0.2 entries of a DSSE envelope, and refuses one logged for another payload', () => {
    const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'model', digest: { sha256: DIGEST } }] }));
    const envelopeSignature = new Uint8Array(sign('sha256', payload, signer.privateKey));
    const envelope: TestEnvelope = { payloadType: 'application/vnd.in-toto+json', payload, signatures: [{ sig: envelopeSignature, keyid: null }] };
    const otherEnvelope: TestEnvelope = { ...envelope, payload: Buffer.from('{"another":"statement"}') };
    for (const makeBody of [bodies.dsseV001, bodies.intotoV002]) {
      const resigned: TestEnvelope = { ...envelope, signatures: [{ sig: new Uint8Array(sign('sha256', payload, signer.privateKey)), keyid: null }] };
      for (const [logged, problem] of [
        [envelope, null],
        [otherEnvelope, /logged for another envelope payload/],
        [resigned, /does not log the envelope's signature 0/],
      ] as const) {
        const { rekor, index } = v1Log(makeBody(logged, { publicKeyDer: signerSpki }));
        const bundle = readSigstoreBundle(sigstoreBundleJson({ material: { publicKey: { hint: 'test' } }, tlogEntries: [rekor.entryJson(index)], content: { envelope } }));
        const verdict = verifyTransparency(
          { bundle, signatureBytes: envelopeSignature, leafCertificateDer: null, verificationKeySpkiDer: signerSpki, artifactDigest: null, envelope: bundle.content.kind === 'dsse' ? bundle.content.envelope : null },
          rootWith(rekor),
          NOW,
        );
        if (problem === null) expect(verdict.problems).toEqual([]);
        else expect(verdict.problems.join('\n')).toMatch(problem);
      }
    }
  });
});

describe('hostile Rekor v1 entries, each refused with its reason', () => {
  const cases: { name: string; make: () => { entries: Record<string, unknown>[]; root: TrustedRoot }; reason: RegExp }[] = [
    {
      name: 'a SET signed by an unknown key',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        return { entries: [rekor.entryJson(index, { setKey: ecdsaKeyPair().privateKey })], root: rootWith(rekor) };
      },
      reason: /SET \(signed entry timestamp\) does not verify under the key of https:\/\/rekor\.test\.example/,
    },
    {
      name: 'a SET over a different integrated time',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        return { entries: [rekor.entryJson(index, { setIntegratedTime: INTEGRATED - 86_400 })], root: rootWith(rekor) };
      },
      reason: /SET .* does not verify/,
    },
    {
      name: 'an inclusion proof with a wrong hash',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        const entry = rekor.entryJson(index, { withSet: false });
        const proof = entry['inclusionProof'] as { hashes: string[] };
        proof.hashes[1] = Buffer.alloc(32, 7).toString('base64');
        return { entries: [entry], root: rootWith(rekor) };
      },
      reason: /inclusion proof does not lead from the entry to the checkpoint's root hash/,
    },
    {
      name: 'a checkpoint signed by another key',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        return { entries: [rekor.entryJson(index, { withSet: false, checkpointKey: ecdsaKeyPair() })], root: rootWith(rekor) };
      },
      reason: /checkpoint is not signed by the log's key/,
    },
    {
      name: 'a checkpoint edited after the log signed it',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        const entry = rekor.entryJson(index, { withSet: false });
        const proof = entry['inclusionProof'] as { checkpoint: { envelope: string } };
        const [origin, size, , ...rest] = proof.checkpoint.envelope.split('\n');
        proof.checkpoint.envelope = [origin, size, Buffer.alloc(32, 5).toString('base64'), ...rest].join('\n');
        return { entries: [entry], root: rootWith(rekor) };
      },
      reason: /checkpoint's signature under the log's key \(https:\/\/rekor\.test\.example\) does not verify/,
    },
    {
      name: 'a checkpoint of another log origin',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        return { entries: [rekor.entryJson(index)], root: { ...rootWith(), tlogs: [{ ...rekor.trusted, baseUrl: 'https://rekor.elsewhere.example' }] } };
      },
      reason: /checkpoint is for the log "rekor\.test\.example - 2605736670972794746", not "rekor\.elsewhere\.example - <tree ID>"/,
    },
    {
      name: "a checkpoint whose root is not the proof's computed root",
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        const entry = rekor.entryJson(index, { withSet: false });
        const otherRoot = Buffer.alloc(32, 9);
        const proof = entry['inclusionProof'] as { rootHash: string; treeSize: string; checkpoint: { envelope: string } };
        proof.rootHash = otherRoot.toString('base64');
        proof.checkpoint.envelope = rekor.checkpoint(Number(proof.treeSize), rekor.keys, otherRoot);
        return { entries: [entry], root: rootWith(rekor) };
      },
      reason: /inclusion proof does not lead from the entry to the checkpoint's root hash/,
    },
    {
      name: 'an inclusion proof for another tree than the signed checkpoint',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        const entry = rekor.entryJson(index, { withSet: false });
        (entry['inclusionProof'] as { treeSize: string }).treeSize = '9';
        return { entries: [entry], root: rootWith(rekor) };
      },
      reason: /inclusion proof is for a tree of 9 leaves with another root than the signed checkpoint/,
    },
    {
      name: 'a body for another artifact digest',
      make: () => {
        const { rekor, index } = v1Log(bodies.hashedrekordV001(OTHER_DIGEST, signature, { publicKeyDer: signerSpki }));
        return { entries: [rekor.entryJson(index)], root: rootWith(rekor) };
      },
      reason: /logged for another artifact: sha256/,
    },
    {
      name: 'a body with another signature',
      make: () => {
        const { rekor, index } = v1Log(bodies.hashedrekordV001(DIGEST, otherSignature, { publicKeyDer: signerSpki }));
        return { entries: [rekor.entryJson(index)], root: rootWith(rekor) };
      },
      reason: /logged another signature than the bundle holds/,
    },
    {
      name: 'a body naming another key',
      make: () => {
        const { rekor, index } = v1Log(bodies.hashedrekordV001(DIGEST, signature, { publicKeyDer: spkiDer(ecdsaKeyPair().publicKey) }));
        return { entries: [rekor.entryJson(index)], root: rootWith(rekor) };
      },
      reason: /names another public key than the bundle's signer/,
    },
    {
      name: 'a log not valid at the integrated time',
      make: () => {
        const { rekor, index } = v1Log(goodBody, { start: new Date('2026-01-01T00:00:00Z'), end: null });
        return { entries: [rekor.entryJson(index)], root: rootWith(rekor) };
      },
      reason: /the log https:\/\/rekor\.test\.example was not valid at its integrated time 2025-12-02T00:00:00\.000Z/,
    },
    {
      name: 'an entry from a log the trusted root does not list',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        const stranger = new TestRekor('https://rekor.test.example', false);
        return { entries: [rekor.entryJson(index)], root: rootWith(stranger) };
      },
      reason: /comes from a log the trusted root does not list/,
    },
    {
      name: 'an integrated time in the future',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        return { entries: [rekor.entryJson(index, { integratedTime: NOW.getTime() / 1000 + 3600 })], root: rootWith(rekor) };
      },
      reason: /integrated time 2026-01-01T01:00:00\.000Z is in the future/,
    },
    {
      name: 'a bad entry beside a good one (never skipped)',
      make: () => {
        const { rekor, index } = v1Log(goodBody);
        return { entries: [rekor.entryJson(index), rekor.entryJson(index, { setKey: ecdsaKeyPair().privateKey })], root: rootWith(rekor) };
      },
      reason: /Transparency-log entry 1 .*SET .* does not verify/,
    },
  ];
  for (const { name, make, reason } of cases) {
    it(`refuses ${name}`, () => {
      const { entries, root } = make();
      const verdict = verifyTransparency(messageInput(entries), root, NOW);
      expect(verdict.problems.join('\n')).toMatch(reason);
    });
  }

  it('refuses a hashedrekord entry offered for a DSSE envelope', () => {
    const { rekor, index } = v1Log(goodBody);
    const envelope: TestEnvelope = { payloadType: 'text/plain', payload: ARTIFACT, signatures: [{ sig: signature, keyid: null }] };
    const bundle = readSigstoreBundle(sigstoreBundleJson({ material: { publicKey: { hint: 'test' } }, tlogEntries: [rekor.entryJson(index)], content: { envelope } }));
    const verdict = verifyTransparency(
      { bundle, signatureBytes: signature, leafCertificateDer: null, verificationKeySpkiDer: signerSpki, artifactDigest: { algorithm: 'sha256', hex: DIGEST }, envelope: bundle.content.kind === 'dsse' ? bundle.content.envelope : null },
      rootWith(rekor),
      NOW,
    );
    expect(verdict.problems.join('\n')).toMatch(/a hashedrekord entry logs a message signature, but the bundle holds a DSSE envelope/);
  });

  it('refuses an entry kind it does not understand, by name', () => {
    const { rekor, index } = v1Log(new TextEncoder().encode('{"apiVersion":"0.0.1","kind":"rekord","spec":{}}'));
    const verdict = verifyTransparency(messageInput([rekor.entryJson(index)]), rootWith(rekor), NOW);
    expect(verdict.problems.join('\n')).toMatch(/entries of kind "rekord" version "0.0.1" are not understood/);
  });

  it('has no verified time when the bundle carries no entry and no timestamp', () => {
    const verdict = verifyTransparency(messageInput([]), rootWith(), NOW);
    expect(verdict.times).toEqual([]);
    expect(verdict.problems).toEqual([expect.stringMatching(/carries no transparency-log entry and no RFC 3161 timestamp/)]);
  });

  it('gives no verified time from an entry that fails', () => {
    const { rekor, index } = v1Log(bodies.hashedrekordV001(OTHER_DIGEST, signature, { publicKeyDer: signerSpki }));
    const verdict = verifyTransparency(messageInput([rekor.entryJson(index)]), rootWith(rekor), NOW);
    expect(verdict.times).toEqual([]);
    expect(verdict.problems.at(-1)).toMatch(/No verified time/);
  });
});

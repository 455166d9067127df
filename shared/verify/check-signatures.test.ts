import { afterEach, describe, expect, it } from 'vitest';
import * as ed from '@noble/ed25519';
import { signEnvelope, type DsseEnvelope } from '../crypto/dsse';
import { publicKeyFromSeed, useEd25519Verifier } from '../crypto/ed25519';
import { sha256 } from '../crypto/hash';
import { keyIdOf, toOpenSshLine } from '../crypto/keys';
import type { BoardPolicy } from '../formats/board-policy';
import { checkSignatures, checkSignaturesConcurrently } from './check-signatures';
import { buildTrustContext } from './trust';

afterEach(() => useEd25519Verifier(null));

const encoder = new TextEncoder();

function key(label: string) {
  const seed = sha256(encoder.encode(label));
  const publicKey = publicKeyFromSeed(seed);
  return { seed, publicKey, keyId: keyIdOf(publicKey), openssh: toOpenSshLine(publicKey, label) };
}

const producer = key('producer');
const member = key('member');
const revoked = key('revoked member');
const stranger = key('stranger');

const policy: BoardPolicy = {
  board: 'Test board',
  version: 1,
  members: [
    { name: 'Mia Member', roles: ['risk'], keys: [member.openssh] },
    { name: 'Rex Revoked', roles: ['risk'], keys: [revoked.openssh] },
  ],
  producers: [{ name: 'training CI', keys: [producer.openssh] }],
  revokedKeys: [revoked.keyId],
  rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  unknownFields: [],
};

/** Envelopes whose signatures name the right key, another key, no key, an unknown key; tampered; revoked; several at once. */
function envelopes(): Record<string, DsseEnvelope> {
  const payload = encoder.encode('{"approval":true}');
  const sign = (signer: ReturnType<typeof key>, keyId: string) => signEnvelope('application/vnd.in-toto+json', payload, [{ keyId, seed: signer.seed }]);
  const tampered = sign(member, member.keyId);
  tampered.signatures[0]!.sig[5]! ^= 1;
  const several = signEnvelope('application/vnd.in-toto+json', payload, [
    { keyId: producer.keyId, seed: member.seed },
    { keyId: '', seed: producer.seed },
    { keyId: member.keyId, seed: member.seed },
    { keyId: stranger.keyId, seed: stranger.seed },
  ]);
  return {
    'the right hint': sign(member, member.keyId),
    'a hint naming another trusted key': sign(member, producer.keyId),
    'no hint': sign(member, ''),
    'a hint naming an untrusted key': sign(member, stranger.keyId),
    'an untrusted signer': sign(stranger, stranger.keyId),
    'a tampered signature under the right hint': tampered,
    'a revoked signer': sign(revoked, revoked.keyId),
    'several signatures': several,
  };
}

describe('checkSignaturesConcurrently', () => {
  const trust = buildTrustContext({ source: 'board-file', board: policy });

  for (const [name, envelope] of Object.entries(envelopes())) {
    it(`answers as checkSignatures does, with an asynchronous verifier: ${name}`, async () => {
      const expected = checkSignatures(envelope, trust);
      let asyncCalls = 0;
      useEd25519Verifier({
        prepareKey: (publicKey) => publicKey,
        verify: (publicKey, signature, message) => ed.verify(signature, message, publicKey as Uint8Array),
        verifyAsync: async (publicKey, signature, message) => {
          asyncCalls++;
          await Promise.resolve();
          return ed.verify(signature, message, publicKey as Uint8Array);
        },
      });
      expect(await checkSignaturesConcurrently(envelope, trust)).toEqual(expected);
      // The hinted trusted key of each signature is tried off the thread.
      expect(asyncCalls).toBe(envelope.signatures.filter((signature) => trust.keys.some((trusted) => trusted.keyId === signature.keyid)).length);
    });
  }

  it('uses the synchronous verifier when the runtime has no asynchronous one', async () => {
    const envelope = envelopes()['the right hint']!;
    await expect(checkSignaturesConcurrently(envelope, trust)).resolves.toEqual(checkSignatures(envelope, trust));
  });
});

describe('checkSignatures hints', () => {
  it('looks each hint up among the keys of the context given, however many contexts were used before', () => {
    const withMember = buildTrustContext({ source: 'board-file', board: policy });
    const withoutMember = buildTrustContext({ source: 'board-file', board: { ...policy, members: [] } });
    const envelope = envelopes()['the right hint']!;
    for (let round = 0; round < 2; round++) {
      expect(checkSignatures(envelope, withMember).map((check) => [check.status, check.keyId])).toEqual([['valid', member.keyId]]);
      expect(checkSignatures(envelope, withoutMember).map((check) => check.status)).toEqual(['unknown-key']);
    }
  });
});

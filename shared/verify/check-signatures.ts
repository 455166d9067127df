import { pae, type DsseEnvelope } from '../crypto/dsse';
import { VerifyingKey } from '../crypto/ed25519';
import type { SignatureCheck } from './report';
import type { TrustContext, TrustedKey } from './trust';

/** Each context's keys by key ID, the first of each ID as `keys.find` would give it: a board's status checks a thousand hints against tens of keys. */
const keysById = new WeakMap<readonly TrustedKey[], ReadonlyMap<string, TrustedKey>>();

function trustedKeyNamed(trust: TrustContext, keyId: string): TrustedKey | undefined {
  if (keyId === '') return undefined;
  let index = keysById.get(trust.keys);
  if (index === undefined) {
    const byId = new Map<string, TrustedKey>();
    for (const key of trust.keys) if (!byId.has(key.keyId)) byId.set(key.keyId, key);
    keysById.set(trust.keys, byId);
    index = byId;
  }
  return index.get(keyId);
}

/** A key offered by the bundle itself (keys/*.pub): never trusted, only used to name an unknown signer. */
export interface OfferedPublicKey {
  keyId: string;
  publicKey: Uint8Array;
  file: string;
}

/**
 * Checks each signature of an envelope against every trusted key: the `keyid` field is only a hint
 * (FORMATS §3), so a signature counts for whichever trusted key it verifies under. The key the hint
 * names is tried first, which makes the usual case one verification whatever the number of keys.
 */
/** Answers already known, by signature index and key; undefined when the key was not tried. */
export type KnownVerifications = (index: number, key: VerifyingKey) => boolean | undefined;

/**
 * checkSignatures with the usual verifications done first, concurrently where the runtime can
 * (VerifyingKey.verifyAsync): each signature against the key its `keyid` names. Whatever else is
 * needed (a wrong or missing hint) is verified by checkSignatures as before.
 */
export async function checkSignaturesConcurrently(envelope: DsseEnvelope, trust: TrustContext): Promise<SignatureCheck[]> {
  const message = pae(envelope.payloadType, envelope.payload);
  const hinted = envelope.signatures.map((signature) => trustedKeyNamed(trust, signature.keyid));
  const answers = await Promise.all(envelope.signatures.map((signature, index) => hinted[index]?.verifyingKey.verifyAsync(signature.sig, message)));
  return checkSignatures(envelope, trust, [], (index, key) => (hinted[index]?.verifyingKey === key ? answers[index] : undefined), message);
}

export function checkSignatures(
  envelope: DsseEnvelope,
  trust: TrustContext,
  offered: readonly OfferedPublicKey[] = [],
  known: KnownVerifications = () => undefined,
  message: Uint8Array = pae(envelope.payloadType, envelope.payload),
): SignatureCheck[] {
  let offeredKeys: { key: OfferedPublicKey; verifyingKey: VerifyingKey }[] | null = null;
  const usableOfferedKeys = () =>
    (offeredKeys ??= offered.flatMap((key) => {
      const verifyingKey = VerifyingKey.fromBytes(key.publicKey);
      return typeof verifyingKey === 'string' ? [] : [{ key, verifyingKey }];
    }));
  return envelope.signatures.map((signature, index) => {
    const base = { index, keyIdHint: signature.keyid };
    const verifies = (key: VerifyingKey) => known(index, key) ?? key.verify(signature.sig, message);
    const hinted = trustedKeyNamed(trust, signature.keyid);
    const signer = hinted !== undefined && verifies(hinted.verifyingKey) ? hinted : trust.keys.find((key) => key !== hinted && verifies(key.verifyingKey));
    if (signer && trust.revokedKeyIds.has(signer.keyId)) {
      return {
        ...base,
        keyId: signer.keyId,
        signerName: signer.name,
        trustSource: signer.source,
        status: 'revoked',
        reason: `Signed by ${signer.name} with key ${signer.keyId}, which the board has revoked.`,
      };
    }
    if (signer) {
      return {
        ...base,
        keyId: signer.keyId,
        signerName: signer.name,
        trustSource: signer.source,
        status: 'valid',
        reason: `Valid signature by ${signer.name} (${describeSource(signer.source)}).`,
      };
    }

    const named = hinted;
    if (named) {
      return {
        ...base,
        keyId: named.keyId,
        signerName: named.name,
        trustSource: named.source,
        status: 'invalid',
        reason: `Names ${named.name}'s key ${named.keyId} but does not verify under it: the signed content was changed after signing, or the signature is corrupt.`,
      };
    }

    const offeredSigner = usableOfferedKeys().find(({ verifyingKey }) => verifies(verifyingKey))?.key;
    if (offeredSigner && trust.revokedKeyIds.has(offeredSigner.keyId)) {
      return {
        ...base,
        keyId: offeredSigner.keyId,
        signerName: null,
        trustSource: null,
        status: 'revoked',
        reason: `Signed with key ${offeredSigner.keyId} (offered in ${offeredSigner.file}), which the board has revoked.`,
      };
    }
    if (offeredSigner) {
      return {
        ...base,
        keyId: offeredSigner.keyId,
        signerName: null,
        trustSource: null,
        status: 'unknown-key',
        reason: `Signed with key ${offeredSigner.keyId}, offered in ${offeredSigner.file} but not trusted: pin it only after checking its fingerprint with its owner.`,
      };
    }
    const revokedHint = trust.revokedKeyIds.has(signature.keyid);
    return {
      ...base,
      keyId: null,
      signerName: null,
      trustSource: null,
      status: 'unknown-key',
      reason: revokedHint
        ? `Names the revoked key ${signature.keyid}; no trusted key verifies it.`
        : `No trusted key verifies this signature${signature.keyid ? ` (it names ${signature.keyid})` : ''}.`,
    };
  });
}

function describeSource(source: TrustContext['keys'][number]['source']): string {
  switch (source) {
    case 'member':
      return 'board member';
    case 'producer':
      return 'board producer';
    case 'pinned':
      return 'pinned on this machine';
    case 'flag':
      return 'given on the command line';
  }
}

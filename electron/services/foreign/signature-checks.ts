import type { SignatureCheck } from '../../../shared/verify/report';
import type { TrustedPublicKey } from './public-keys';
import { verifyWithKey } from './verify-with-key';

/**
 * Checks one signature against every trusted key, whatever its key hint says: the hint only
 * decides what a failure means. Valid under a trusted key: valid, that key's ID. Valid under
 * none, while the hint names a trusted key: invalid (it fails under the key it claims). Otherwise
 * unknown-key: a signature by a key nobody trusts is no evidence either way.
 */
export function checkRawSignature(
  index: number,
  keyIdHint: string,
  signature: Uint8Array,
  message: Uint8Array,
  keys: readonly TrustedPublicKey[],
): SignatureCheck {
  for (const key of keys) {
    const check = verifyWithKey(key, message, signature);
    if (check.valid) {
      return { index, keyIdHint, keyId: key.keyId, signerName: key.name, trustSource: key.source, status: 'valid', reason: `Valid ${check.algorithm} signature by a trusted key.`, algorithm: check.algorithm };
    }
  }
  const named = keys.find((key) => key.keyId === keyIdHint);
  if (named !== undefined) {
    return { index, keyIdHint, keyId: named.keyId, signerName: named.name, trustSource: named.source, status: 'invalid', reason: `Does not verify under ${named.keyId} (${named.name}), the trusted key it names.` };
  }
  return {
    index,
    keyIdHint,
    keyId: null,
    signerName: null,
    trustSource: null,
    status: 'unknown-key',
    reason: keyIdHint === '' ? 'No trusted key verifies this signature.' : `No trusted key verifies this signature; its hint ${JSON.stringify(keyIdHint)} is unauthenticated and names no trusted key.`,
  };
}

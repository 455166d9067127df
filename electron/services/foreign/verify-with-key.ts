import { constants, verify } from 'node:crypto';
import type { TrustedPublicKey } from './public-keys';

/** The hash each ECDSA curve signs with: the curve decides, never the signature (cosign #5091/#5092 hash P-384 with SHA-256). */
export const ECDSA_HASH = { 'ecdsa-p256': 'sha256', 'ecdsa-p384': 'sha384', 'ecdsa-p521': 'sha512' } as const;
const ECDSA_COORDINATE_BYTES = { 'ecdsa-p256': 32, 'ecdsa-p384': 48, 'ecdsa-p521': 66 } as const;

export interface RawSignatureCheck {
  valid: boolean;
  /** The algorithm as checked, e.g. `ecdsa-p384-sha384 (DER)`, `rsa-pss-sha256`, `ed25519`. */
  algorithm: string;
}

/**
 * Checks a raw signature over `message` (DSSE's PAE, for instance) with one key:
 * - Ed25519 strictly (RFC 8032 with S < L, no small-order R), as Countersign's own signatures;
 * - ECDSA with the curve's hash, the signature in DER or in IEEE P1363 (r || s, fixed width);
 * - RSA with SHA-256, PKCS#1 v1.5 or PSS.
 * Never throws on a malformed signature: that is simply not valid.
 */
export function verifyWithKey(key: TrustedPublicKey, message: Uint8Array, signature: Uint8Array): RawSignatureCheck {
  switch (key.algorithm) {
    case 'ed25519':
      return { valid: key.ed25519?.verify(signature, message) ?? false, algorithm: 'ed25519' };
    case 'ecdsa-p256':
    case 'ecdsa-p384':
    case 'ecdsa-p521': {
      const hash = ECDSA_HASH[key.algorithm];
      // A P1363 signature has exactly twice the coordinate size; a DER one may too, rarely: both are tried then.
      const encodings = signature.length === 2 * ECDSA_COORDINATE_BYTES[key.algorithm] ? (['ieee-p1363', 'der'] as const) : (['der'] as const);
      for (const encoding of encodings) {
        if (safeVerify(() => verify(hash, message, { key: key.keyObject, dsaEncoding: encoding }, signature))) {
          return { valid: true, algorithm: `${key.algorithm}-${hash} (${encoding === 'der' ? 'DER' : 'P1363'})` };
        }
      }
      return { valid: false, algorithm: `${key.algorithm}-${hash}` };
    }
    case 'rsa': {
      if (safeVerify(() => verify('sha256', message, { key: key.keyObject, padding: constants.RSA_PKCS1_PADDING }, signature))) {
        return { valid: true, algorithm: 'rsa-pkcs1v15-sha256' };
      }
      const pss = safeVerify(() =>
        verify('sha256', message, { key: key.keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature),
      );
      return { valid: pss, algorithm: pss ? 'rsa-pss-sha256' : 'rsa-sha256' };
    }
  }
}

function safeVerify(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { hexToBytesStrict } from '../encoding/hex';

/**
 * Hostile Ed25519 inputs for the tests, generated here rather than copied: the categories of
 * "Taming the many EdDSAs" (Chalkias et al., 2020) — small-order keys and R, mixed-order keys and
 * R, S ≥ L, non-canonical R and A — each built so that some verifier accepts it.
 */

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Encodings of the eight points of order 1, 2, 4 and 8 (the torsion subgroup). */
export const SMALL_ORDER_POINTS = {
  identity: '0100000000000000000000000000000000000000000000000000000000000000',
  'order 2': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'order 4': '0000000000000000000000000000000000000000000000000000000000000000',
  'order 4, negated': '0000000000000000000000000000000000000000000000000000000000000080',
  'order 8': '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'order 8, negated': '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'order 8, second': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'order 8, second negated': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
} as const;

export interface SignatureVector {
  name: string;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  /** What the strict rules say (FORMATS §2). */
  strictlyValid: boolean;
}

export function scalarToBytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return bytes;
}

export function scalarFromBytes(bytes: Uint8Array): bigint {
  return bytes.reduceRight((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/** A signature with a chosen R encoding: S = r + k·a, where R decodes to [r]B (+ any torsion the caller added). */
function signWithR(seed: Uint8Array, encodedR: Uint8Array, r: bigint, message: Uint8Array): Uint8Array {
  const { scalar: a, pointBytes: publicKey } = ed.utils.getExtendedPublicKey(seed);
  const k = scalarFromBytes(sha512(new Uint8Array([...encodedR, ...publicKey, ...message]))) % L;
  return new Uint8Array([...encodedR, ...scalarToBytes((((r + k * a) % L) + L) % L)]);
}

/** Every vector signs or forges over `message` for the key of `seed`, except those about the key itself. */
export function adversarialSignatureVectors(seed: Uint8Array): SignatureVector[] {
  const publicKey = ed.getPublicKey(seed);
  const message = utf8('DSSEv1 28 application/vnd.in-toto+json 2 {}');
  const honest = ed.sign(message, seed);
  const S = scalarFromBytes(honest.subarray(32));
  const vectors: SignatureVector[] = [
    { name: 'an honest signature', publicKey, message, signature: honest, strictlyValid: true },
    { name: 'S + L (malleated S ≥ L)', publicKey, message, signature: new Uint8Array([...honest.subarray(0, 32), ...scalarToBytes(S + L)]), strictlyValid: false },
    { name: 'S = L', publicKey, message, signature: new Uint8Array([...honest.subarray(0, 32), ...scalarToBytes(L)]), strictlyValid: false },
    { name: 'S with the top bits set', publicKey, message, signature: new Uint8Array([...honest.subarray(0, 32), ...scalarToBytes(S | (7n << 253n))]), strictlyValid: false },
  ];
  // R the identity and S = k·a: [S]B = R + [k]A holds without the cofactor, so a verifier that
  // does not refuse a small-order R accepts it (the key holder can make it for any message).
  vectors.push({ name: 'small-order R (the identity) with a satisfied equation', publicKey, message, signature: signWithR(seed, hexToBytesStrict(SMALL_ORDER_POINTS['identity']!, 'R'), 0n, message), strictlyValid: false });
  // The identity spelled twice more: y = p + 1, and the sign bit set for x = 0.
  vectors.push({ name: 'non-canonical R (y = p + 1, the identity)', publicKey, message, signature: signWithR(seed, scalarToBytes(P + 1n), 0n, message), strictlyValid: false });
  const signedZeroX = hexToBytesStrict(SMALL_ORDER_POINTS['identity']!, 'R');
  signedZeroX[31]! |= 0x80;
  vectors.push({ name: 'non-canonical R (sign bit set for x = 0)', publicKey, message, signature: signWithR(seed, signedZeroX, 0n, message), strictlyValid: false });
  // R = [r]B + T8: only the cofactored equation holds.
  const r = 987654321n;
  const mixedR = ed.Point.BASE.multiply(r).add(ed.Point.fromBytes(hexToBytesStrict(SMALL_ORDER_POINTS['order 8']!, 'T'))).toBytes();
  vectors.push({ name: 'mixed-order R', publicKey, message, signature: signWithR(seed, mixedR, r, message), strictlyValid: false });
  // (A non-canonical y + p spelling of an honest R needs y < 19: no such R can be found, so the
  // non-canonical R vectors above spell the identity.)
  const flippedR = honest.slice();
  flippedR[31]! ^= 0x80;
  vectors.push({ name: 'R with its sign bit flipped', publicKey, message, signature: flippedR, strictlyValid: false });
  vectors.push({ name: 'a signature over another message', publicKey, message: utf8('another message'), signature: honest, strictlyValid: false });
  return vectors;
}

/** Keys a strict verifier refuses outright, each with the forgery it would otherwise allow where there is one. */
export function adversarialKeys(seed: Uint8Array): { name: string; publicKey: Uint8Array }[] {
  const honest = ed.Point.fromBytes(ed.getPublicKey(seed));
  const keys = Object.entries(SMALL_ORDER_POINTS).map(([name, hex]) => ({ name: `small-order key (${name})`, publicKey: hexToBytesStrict(hex, name) }));
  keys.push({ name: 'mixed-order key (honest + order 2)', publicKey: honest.add(ed.Point.fromBytes(hexToBytesStrict(SMALL_ORDER_POINTS['order 2']!, 'T'))).toBytes() });
  keys.push({ name: 'mixed-order key (honest + order 8)', publicKey: honest.add(ed.Point.fromBytes(hexToBytesStrict(SMALL_ORDER_POINTS['order 8']!, 'T'))).toBytes() });
  keys.push({ name: 'non-canonical key (y = p + 1)', publicKey: scalarToBytes(P + 1n) });
  const signedZeroX = hexToBytesStrict(SMALL_ORDER_POINTS['identity']!, 'A');
  signedZeroX[31]! |= 0x80;
  keys.push({ name: 'non-canonical key (sign bit set for x = 0)', publicKey: signedZeroX });
  keys.push({ name: 'not on the curve (y = 2)', publicKey: scalarToBytes(2n) });
  return keys;
}

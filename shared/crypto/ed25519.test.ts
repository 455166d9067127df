import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../encoding/base64';
import { hexToBytesStrict } from '../encoding/hex';
import { checkPublicKey, generateSeed, publicKeyFromSeed, signEd25519, verifyEd25519Strict } from './ed25519';
import { SMALL_ORDER_POINTS } from './ed25519-test-vectors';

const hex = (text: string) => hexToBytesStrict(text, 'test vector');
const utf8 = (text: string) => new TextEncoder().encode(text);
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

// RFC 8032 §7.1, TEST 1 (empty message).
const RFC_SEED = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const RFC_PUBLIC_KEY = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const RFC_SIGNATURE = hex(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);


function scalarToBytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return bytes;
}

function scalarFromBytes(bytes: Uint8Array): bigint {
  return bytes.reduceRight((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

describe('Ed25519 signing and strict verification', () => {
  it('reproduces RFC 8032 test vector 1', () => {
    expect(publicKeyFromSeed(RFC_SEED)).toEqual(RFC_PUBLIC_KEY);
    expect(signEd25519(new Uint8Array(), RFC_SEED)).toEqual(RFC_SIGNATURE);
    expect(verifyEd25519Strict(RFC_SIGNATURE, new Uint8Array(), RFC_PUBLIC_KEY)).toBe(true);
  });

  it('fails when one bit of the message, signature or key flips', () => {
    const message = utf8('release fraud-detector m92');
    const signature = signEd25519(message, RFC_SEED);
    expect(verifyEd25519Strict(signature, message, RFC_PUBLIC_KEY)).toBe(true);

    const flippedMessage = message.slice();
    flippedMessage[3]! ^= 0x01;
    expect(verifyEd25519Strict(signature, flippedMessage, RFC_PUBLIC_KEY)).toBe(false);
    for (const byteIndex of [0, 40]) {
      const flippedSignature = signature.slice();
      flippedSignature[byteIndex]! ^= 0x01;
      expect(verifyEd25519Strict(flippedSignature, message, RFC_PUBLIC_KEY)).toBe(false);
    }
    expect(verifyEd25519Strict(signature, message, publicKeyFromSeed(generateSeed()))).toBe(false);
  });

  it('returns false, without throwing, for wrong lengths', () => {
    expect(verifyEd25519Strict(RFC_SIGNATURE.slice(0, 63), new Uint8Array(), RFC_PUBLIC_KEY)).toBe(false);
    expect(verifyEd25519Strict(new Uint8Array([...RFC_SIGNATURE, 0]), new Uint8Array(), RFC_PUBLIC_KEY)).toBe(false);
    expect(verifyEd25519Strict(RFC_SIGNATURE, new Uint8Array(), RFC_PUBLIC_KEY.slice(0, 31))).toBe(false);
  });

  it('rejects S ≥ L (the malleated twin S + L of a valid signature)', () => {
    const S = scalarFromBytes(RFC_SIGNATURE.subarray(32));
    const malleated = new Uint8Array([...RFC_SIGNATURE.subarray(0, 32), ...scalarToBytes(S + L)]);
    expect(verifyEd25519Strict(malleated, new Uint8Array(), RFC_PUBLIC_KEY)).toBe(false);
  });

  it('rejects a signature that only the cofactored equation accepts (R with a torsion component)', () => {
    // Sign by hand with R' = [r]B + T, T of order 8: [8][S]B = [8]R' + [8][k]A holds, [S]B = R' + [k]A does not.
    const { scalar: a, pointBytes: publicKey } = ed.utils.getExtendedPublicKey(RFC_SEED);
    const message = utf8('co-signature');
    const r = 123456789n;
    const torsion = ed.Point.fromBytes(hex(SMALL_ORDER_POINTS['order 8']));
    const R = ed.Point.BASE.multiply(r).add(torsion).toBytes();
    const k = scalarFromBytes(sha512(new Uint8Array([...R, ...publicKey, ...message]))) % L;
    const signature = new Uint8Array([...R, ...scalarToBytes((r + k * a) % L)]);

    expect(ed.verify(signature, message, publicKey, { zip215: false })).toBe(true);
    expect(verifyEd25519Strict(signature, message, publicKey)).toBe(false);
  });

  it.each(Object.entries(SMALL_ORDER_POINTS))('refuses the %s point as a key, and the forgery it allows', (_name, pointHex) => {
    const publicKey = hex(pointHex);
    expect(checkPublicKey(publicKey)).toMatch(/small-order/);

    // R = the identity, S = 0. For a small-order A, [8][k]A is the identity whatever k is, so the
    // cofactored equation holds for every message: ZIP-215 verifiers accept this "signature".
    const forgery = new Uint8Array(64);
    forgery[0] = 1;
    for (const message of ['approve', 'reject', 'anything at all'].map(utf8)) {
      expect(ed.verify(forgery, message, publicKey, { zip215: true })).toBe(true);
      expect(verifyEd25519Strict(forgery, message, publicKey)).toBe(false);
    }
  });
});

describe('checkPublicKey', () => {
  it('accepts honest keys', () => {
    expect(checkPublicKey(RFC_PUBLIC_KEY)).toBeNull();
    expect(checkPublicKey(publicKeyFromSeed(generateSeed()))).toBeNull();
  });

  it('refuses wrong lengths', () => {
    expect(checkPublicKey(new Uint8Array(31))).toMatch(/wrong length: 31 bytes/);
    expect(checkPublicKey(new Uint8Array(33))).toMatch(/wrong length: 33 bytes/);
  });

  it('refuses a y ≥ p encoding, even of a valid point (y = p + 3 spells the point y = 3)', () => {
    const nonCanonical = hex('f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    expect(checkPublicKey(nonCanonical)).toMatch(/not a canonical point encoding/);
    expect(checkPublicKey(hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toMatch(/not a canonical/);
  });

  it('refuses x = 0 with the sign bit set', () => {
    expect(checkPublicKey(hex('0100000000000000000000000000000000000000000000000000000000000080'))).toMatch(/sign bit set for x = 0/);
  });

  it('refuses a y that is not on the curve', () => {
    expect(checkPublicKey(hex('0200000000000000000000000000000000000000000000000000000000000000'))).toMatch(/not a point on the curve/);
  });

  it('refuses a key with a small-order component (honest key + point of order 2)', () => {
    const mixed = ed.Point.fromBytes(RFC_PUBLIC_KEY).add(ed.Point.fromBytes(hex(SMALL_ORDER_POINTS['order 2']))).toBytes();
    expect(checkPublicKey(mixed)).toMatch(/not in the prime-order subgroup/);
  });
});

describe('interoperability with Node (OpenSSL)', () => {
  it('derives the same public key from a seed', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const seed = decodeBase64Strict(jwk.d ?? '', 'JWK d');
    const expected = decodeBase64Strict(publicKey.export({ format: 'jwk' }).x ?? '', 'JWK x');
    expect(publicKeyFromSeed(seed)).toEqual(expected);
  });

  it('verifies what OpenSSL signs, and OpenSSL verifies what we sign', () => {
    const seed = generateSeed();
    const publicKey = publicKeyFromSeed(seed);
    const privateKeyObject = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    const publicKeyObject = createPublicKey(privateKeyObject);
    const message = utf8('DSSEv1 4 test 5 hello');

    expect(verifyEd25519Strict(nodeSign(null, message, privateKeyObject), message, publicKey)).toBe(true);
    expect(nodeVerify(null, message, publicKeyObject, signEd25519(message, seed))).toBe(true);
  });
});

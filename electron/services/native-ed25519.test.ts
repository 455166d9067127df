import { afterEach, describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { useEd25519Verifier, VerifyingKey } from '../../shared/crypto/ed25519';
import { adversarialKeys, adversarialSignatureVectors } from '../../shared/crypto/ed25519-test-vectors';
import { installNativeEd25519 } from './native-ed25519';

afterEach(() => useEd25519Verifier(null));

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const seed = randomBytes(32);
const vectors = adversarialSignatureVectors(seed);

function verifyWith(verifier: 'portable' | 'native', publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): boolean {
  if (verifier === 'native') installNativeEd25519();
  else useEd25519Verifier(null);
  const key = VerifyingKey.fromBytes(publicKey);
  if (typeof key === 'string') throw new Error(key);
  return key.verify(signature, message);
}

describe('native Ed25519 verification behind the strict checks', () => {
  it.each(vectors.map((vector) => [vector.name, vector] as const))('answers as the portable verifier for %s', (_name, vector) => {
    const portable = verifyWith('portable', vector.publicKey, vector.signature, vector.message);
    const native = verifyWith('native', vector.publicKey, vector.signature, vector.message);
    expect(portable).toBe(vector.strictlyValid);
    expect(native).toBe(vector.strictlyValid);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('answers alike off the main thread (verifyAsync) for %s', async (_name, vector) => {
    installNativeEd25519();
    const key = VerifyingKey.fromBytes(vector.publicKey);
    if (typeof key === 'string') throw new Error(key);
    await expect(key.verifyAsync(vector.signature, vector.message)).resolves.toBe(vector.strictlyValid);
  });

  it('is needed: OpenSSL alone accepts a small-order R, and checks S < L itself', () => {
    // Why the byte checks run before node:crypto: this is what OpenSSL answers without them.
    const keyObject = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, vectors[0]!.publicKey]), format: 'der', type: 'spki' });
    const raw = (name: string) => {
      const vector = vectors.find((candidate) => candidate.name.startsWith(name))!;
      return verify(null, vector.message, keyObject, vector.signature);
    };
    expect(raw('small-order R')).toBe(true);
    expect(raw('S + L')).toBe(false);
    expect(raw('non-canonical R')).toBe(false);
  });

  it.each(adversarialKeys(seed).map((key) => [key.name, key.publicKey] as const))('refuses the %s once, before any verifier sees it', (_name, publicKey) => {
    expect(typeof VerifyingKey.fromBytes(publicKey)).toBe('string');
  });

  it('verifies what OpenSSL signs, for many keys and message lengths, as the portable verifier does', () => {
    for (let i = 0; i < 20; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
      const message = randomBytes(i * 37);
      const signature = sign(null, message, privateKey);
      const tampered = Buffer.from(signature);
      tampered[i % 64]! ^= 1 << i % 8;
      for (const verifier of ['portable', 'native'] as const) {
        expect(verifyWith(verifier, raw, signature, message)).toBe(true);
        expect(verifyWith(verifier, raw, tampered, message)).toBe(false);
      }
    }
  });

  it('keeps one prepared key per verifier: a key made before installing verifies natively after', () => {
    const vector = vectors[0]!;
    const key = VerifyingKey.fromBytes(vector.publicKey);
    if (typeof key === 'string') throw new Error(key);
    expect(key.verify(vector.signature, vector.message)).toBe(true);
    installNativeEd25519();
    expect(key.verify(vector.signature, vector.message)).toBe(true);
    expect(key.verify(vectors[1]!.signature, vector.message)).toBe(false);
  });
});

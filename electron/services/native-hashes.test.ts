import { describe, it, expect, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sha256 as portableSha256, sha512 as portableSha512 } from '@noble/hashes/sha2.js';
import { sha256, sha512, useNativeHashes } from '../../shared/crypto/hash';
import { publicKeyFromSeed, signEd25519, verifyEd25519Strict } from '../../shared/crypto/ed25519';
import { installNativeHashes } from './native-hashes';

afterAll(() => useNativeHashes({ sha256: portableSha256, sha512: portableSha512 }));

describe('native hashes', () => {
  it('give the same digests and signatures as the portable implementation', () => {
    const seed = randomBytes(32);
    const messages = [new Uint8Array(0), randomBytes(1), randomBytes(127), randomBytes(128), randomBytes(1 << 20)];
    const portable = messages.map((m) => ({ a: sha256(m), b: sha512(m), sig: signEd25519(m, seed) }));
    installNativeHashes();
    messages.forEach((message, i) => {
      expect(sha256(message)).toEqual(portable[i]!.a);
      expect(sha512(message)).toEqual(portable[i]!.b);
      expect(signEd25519(message, seed)).toEqual(portable[i]!.sig);
      expect(verifyEd25519Strict(portable[i]!.sig, message, publicKeyFromSeed(seed))).toBe(true);
    });
  });
});

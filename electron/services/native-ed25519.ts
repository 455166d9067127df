import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { useEd25519Verifier } from '../../shared/crypto/ed25519';

/** DER of SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING (32 bytes) }, less the key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Gives shared/ OpenSSL's Ed25519 verification through node:crypto, one KeyObject per key. Only
 * the group equation is OpenSSL's: shared/ has already checked the key once (canonical, not small
 * order, [L]A = identity) and checks each signature's bytes (S < L, R canonical and not of small
 * order) before calling it, so the answers are the portable verifier's. Call once at start-up.
 */
export function installNativeEd25519(): void {
  useEd25519Verifier({
    prepareKey: (publicKey) => createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }),
    verify: (preparedKey, signature, message) => verify(null, message, preparedKey as KeyObject, signature),
    // With a callback, node:crypto verifies on the libuv thread pool: several approvals at once.
    verifyAsync: (preparedKey, signature, message) =>
      new Promise((resolve, reject) => verify(null, message, preparedKey as KeyObject, signature, (error, valid) => (error ? reject(error) : resolve(valid)))),
  });
}

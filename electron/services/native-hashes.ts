import { createHash } from 'node:crypto';
import { useNativeHashes } from '../../shared/crypto/hash';

const digest = (algorithm: 'sha256' | 'sha512') => (bytes: Uint8Array) => new Uint8Array(createHash(algorithm).update(bytes).digest());

/** Gives shared/ Node's native SHA-256 and SHA-512 (OpenSSL) in place of the portable ones. Call once at start-up. */
export function installNativeHashes(): void {
  useNativeHashes({ sha256: digest('sha256'), sha512: digest('sha512') });
}

import { createHash } from 'node:crypto';
import { useNativeHashes } from '../../shared/crypto/hash';
import { installNativeBytes } from './native-bytes';
import { installNativeEd25519 } from './native-ed25519';
import { installNativeUtf8Decoder } from './native-utf8';

const digest = (algorithm: 'sha256' | 'sha512') => (bytes: Uint8Array) => new Uint8Array(createHash(algorithm).update(bytes).digest());

/**
 * Gives shared/ Node's native SHA-256 and SHA-512 (OpenSSL) in place of the portable ones, and
 * its native Ed25519 verification behind the strict checks (native-ed25519.ts), and its UTF-8
 * decoding for large JSON documents (native-utf8.ts), and its byte search and base64 decoding for
 * a large envelope's payload (native-bytes.ts). Call once at start-up.
 */
export function installNativeHashes(): void {
  useNativeHashes({ sha256: digest('sha256'), sha512: digest('sha512') });
  installNativeEd25519();
  installNativeUtf8Decoder();
  installNativeBytes();
}

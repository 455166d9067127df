import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../encoding/hex';

export function sha256(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes);
}

/** Lowercase hex, the form digest sets use (FORMATS §1). */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

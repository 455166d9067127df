import { sha256 as portableSha256, sha512 as portableSha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../encoding/hex';

export interface HashFunctions {
  sha256(bytes: Uint8Array): Uint8Array<ArrayBuffer>;
  sha512(bytes: Uint8Array): Uint8Array<ArrayBuffer>;
}

const portable: HashFunctions = { sha256: portableSha256, sha512: portableSha512 };
let active: HashFunctions = portable;

/**
 * Lets a runtime with native hashing (Node, Electron's main process) supply it. The results are
 * the same bytes; only the speed differs: a 100,000-subject manifest is tens of megabytes, and
 * its digest and signature check (SHA-512 over the whole payload) are ~20× faster natively.
 */
export function useNativeHashes(functions: HashFunctions): void {
  active = functions;
}

export function sha256(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return active.sha256(bytes);
}

export function sha512(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return active.sha512(bytes);
}

/** Lowercase hex, the form digest sets use (FORMATS §1). */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

import { decodeBase64CanonicalBytes } from '../../shared/encoding/base64';
import { useNativeBytes, type NativeBytes } from '../../shared/encoding/native-bytes';

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Characters decoded natively at a time: a multiple of 4, small enough to stay in V8's young generation. */
const CHUNK_CHARACTERS = 64 * 1024;
const STANDARD = 1;
const URL_SAFE = 2;

/**
 * Node decodes base64 leniently (it skips what is not base64 and takes both alphabets mixed), so
 * its answer is trusted only when it encodes back to exactly the text read: that text is then the
 * one canonical spelling of those bytes, in the standard alphabet, the URL-safe one, or both (no
 * character that tells them apart). The chunks must agree on an alphabet. The last quantum, with
 * its padding and spare bits, is left to the portable decoder.
 */
export function decodeBase64CanonicalNatively(source: Uint8Array, start: number, end: number, headroom: number): Uint8Array | null {
  const length = end - start;
  const lastLength = length % 4 === 0 ? Math.min(4, length) : length % 4;
  const bulkEnd = end - lastLength;
  const last = decodeBase64CanonicalBytes(source, bulkEnd, end);
  if (last === null) return null;
  const bulkBytes = ((bulkEnd - start) / 4) * 3;
  const output = new Uint8Array(headroom + bulkBytes + last.length);
  const target = asBuffer(output);
  const input = asBuffer(source);
  let alphabets = STANDARD | URL_SAFE;
  let written = headroom;
  for (let pos = start; pos < bulkEnd; pos += CHUNK_CHARACTERS) {
    const chunkEnd = Math.min(bulkEnd, pos + CHUNK_CHARACTERS);
    const text = input.toString('latin1', pos, chunkEnd);
    const size = ((chunkEnd - pos) / 4) * 3;
    if (target.write(text, written, size, 'base64') !== size) return null;
    if ((alphabets & STANDARD) !== 0 && target.toString('base64', written, written + size) !== text) alphabets &= ~STANDARD;
    if ((alphabets & URL_SAFE) !== 0 && target.toString('base64url', written, written + size) !== text) alphabets &= ~URL_SAFE;
    if (alphabets === 0) return null;
    written += size;
  }
  for (let i = bulkEnd; i < end; i++) {
    const code = source[i];
    if ((code === 0x2b || code === 0x2f) && (alphabets & STANDARD) === 0) return null;
    if ((code === 0x2d || code === 0x5f) && (alphabets & URL_SAFE) === 0) return null;
  }
  output.set(last, written);
  return output.subarray(headroom);
}

export const nodeBytes: NativeBytes = {
  indexOf: (bytes, value, from) => asBuffer(bytes).indexOf(value, from),
  decodeBase64Canonical: decodeBase64CanonicalNatively,
};

/** Call once at start-up (installNativeHashes does). */
export function installNativeBytes(): void {
  useNativeBytes(nodeBytes);
}

import { EncodingError } from './encoding-error';
import { nativeBytes } from './native-bytes';

const STANDARD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Sextet value of each character code in either alphabet; -1 for anything else. */
const SEXTET_OF_CHAR = buildDecodeTable();

function buildDecodeTable(): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) {
    table[STANDARD_ALPHABET.charCodeAt(i)] = i;
    table[URL_SAFE_ALPHABET.charCodeAt(i)] = i;
  }
  return table;
}

/**
 * Decodes base64 as DSSE allows it (FORMATS §1): the standard or the URL-safe alphabet, padded
 * or unpadded. Only the one canonical spelling of each byte string is accepted, so two different
 * texts never decode to the same bytes: no whitespace, no mixed alphabets, no stray or misplaced
 * '=', and the unused low bits of the last character must be zero.
 * @param what names the value being decoded in error messages, e.g. "signature 0".
 * @param headroom bytes left free before the decoded bytes in the same buffer, for a caller that
 *   will put a header there (the DSSE PAE), so that the bytes are not copied again.
 */
export function decodeBase64Strict(text: string, what: string, headroom = 0): Uint8Array {
  const fast = decodeCanonicalFast(text, headroom);
  if (fast !== null) return fast;
  const bytes = decodeOrExplain(text, what);
  if (headroom === 0) return bytes;
  const withHeadroom = new Uint8Array(headroom + bytes.length);
  withHeadroom.set(bytes, headroom);
  return withHeadroom.subarray(headroom);
}

/** Per character code below 128: its sextet, plus a flag for the standard-only, URL-safe-only and invalid characters. */
const STANDARD_ONLY = 0x100;
const URL_SAFE_ONLY = 0x200;
const NOT_BASE64 = 0x400;
const SEXTET_AND_FLAGS = buildFlaggedTable();

function buildFlaggedTable(): Uint16Array {
  const table = new Uint16Array(128).fill(NOT_BASE64);
  for (let i = 0; i < 64; i++) {
    table[STANDARD_ALPHABET.charCodeAt(i)] = i;
    table[URL_SAFE_ALPHABET.charCodeAt(i)] = i;
  }
  for (const char of '+/') table[char.charCodeAt(0)]! |= STANDARD_ONLY;
  for (const char of '-_') table[char.charCodeAt(0)]! |= URL_SAFE_ONLY;
  return table;
}

/**
 * The common case in one pass, four characters at a time: canonical text decodes, anything else
 * gives null and is decoded again by decodeOrExplain, which says exactly what is wrong. A DSSE
 * payload of a large manifest is tens of megabytes of base64, so this loop is worth its size.
 */
function decodeCanonicalFast(text: string, headroom: number): Uint8Array | null {
  const length = text.length;
  let padding = 0;
  if (length > 0 && text.charCodeAt(length - 1) === 0x3d) padding = length > 1 && text.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  if (padding > 0 && length % 4 !== 0) return null;
  const bodyLength = length - padding;
  const tail = bodyLength % 4;
  if (tail === 1) return null;
  const bytes = new Uint8Array(headroom + Math.floor((bodyLength * 3) / 4)).subarray(headroom);
  const table = SEXTET_AND_FLAGS;
  let codes = 0;
  let flags = 0;
  let out = 0;
  const wholeEnd = bodyLength - tail;
  for (let i = 0; i < wholeEnd; i += 4) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const c = text.charCodeAt(i + 2);
    const d = text.charCodeAt(i + 3);
    codes |= a | b | c | d;
    const ta = table[a & 0x7f]!;
    const tb = table[b & 0x7f]!;
    const tc = table[c & 0x7f]!;
    const td = table[d & 0x7f]!;
    flags |= ta | tb | tc | td;
    const value = ((ta & 0x3f) << 18) | ((tb & 0x3f) << 12) | ((tc & 0x3f) << 6) | (td & 0x3f);
    bytes[out] = value >> 16;
    bytes[out + 1] = (value >> 8) & 0xff;
    bytes[out + 2] = value & 0xff;
    out += 3;
  }
  if (tail > 0) {
    let value = 0;
    for (let i = wholeEnd; i < bodyLength; i++) {
      const code = text.charCodeAt(i);
      codes |= code;
      const entry = table[code & 0x7f]!;
      flags |= entry;
      value = (value << 6) | (entry & 0x3f);
    }
    // Two characters hold one byte and 4 spare bits; three hold two bytes and 2 spare bits.
    const spareBits = tail === 2 ? 4 : 2;
    if ((value & ((1 << spareBits) - 1)) !== 0) return null;
    value >>= spareBits;
    if (tail === 3) bytes[out++] = value >> 8;
    bytes[out] = value & 0xff;
  }
  if (codes > 0x7f || (flags & NOT_BASE64) !== 0 || (flags & (STANDARD_ONLY | URL_SAFE_ONLY)) === (STANDARD_ONLY | URL_SAFE_ONLY)) return null;
  return bytes;
}

/**
 * Per byte value, at each of the four places of a quantum read as one little-endian 32-bit word:
 * the sextet shifted to its place, bit 24 for a standard-only character, bit 25 for a URL-safe-only
 * one, bit 31 for anything that is not base64. OR-ing the four entries gives the quantum's 24 bits
 * and its flags at once.
 */
const QUANTUM_STANDARD_ONLY = 1 << 24;
const QUANTUM_URL_SAFE_ONLY = 1 << 25;
const QUANTUM_TABLES = [18, 12, 6, 0].map(buildQuantumTable) as [Int32Array, Int32Array, Int32Array, Int32Array];

function buildQuantumTable(shift: number): Int32Array {
  const table = new Int32Array(256).fill(1 << 31);
  for (let i = 0; i < 64; i++) {
    table[STANDARD_ALPHABET.charCodeAt(i)] = i << shift;
    table[URL_SAFE_ALPHABET.charCodeAt(i)] = i << shift;
  }
  for (const char of '+/') table[char.charCodeAt(0)]! |= QUANTUM_STANDARD_ONLY;
  for (const char of '-_') table[char.charCodeAt(0)]! |= QUANTUM_URL_SAFE_ONLY;
  return table;
}

/** Below this, the portable loop is as fast as a call into the runtime. */
const NATIVE_BASE64_MIN_CHARACTERS = 64 * 1024;

/**
 * decodeBase64Strict over `source[start, end)`, bytes holding ASCII text (a value inside a JSON
 * document that was never decoded to a string). Null for anything but a canonical spelling: the
 * caller then decodes the text with decodeBase64Strict, which explains the refusal. A manifest's
 * payload is tens of megabytes of it, so each quantum is read as one word and written as one.
 */
export function decodeBase64CanonicalBytes(source: Uint8Array, start: number, end: number, headroom = 0): Uint8Array | null {
  const length = end - start;
  const native = length >= NATIVE_BASE64_MIN_CHARACTERS ? nativeBytes() : null;
  if (native !== null) return native.decodeBase64Canonical(source, start, end, headroom);
  let padding = 0;
  if (length > 0 && source[end - 1] === 0x3d) padding = length > 1 && source[end - 2] === 0x3d ? 2 : 1;
  if (padding > 0 && length % 4 !== 0) return null;
  const bodyLength = length - padding;
  const tail = bodyLength % 4;
  if (tail === 1) return null;
  const decodedLength = Math.floor((bodyLength * 3) / 4);
  const buffer = new Uint8Array(headroom + decodedLength);
  const bytes = buffer.subarray(headroom);
  const input = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const output = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const [first, second, third, fourth] = QUANTUM_TABLES;
  let flags = 0;
  let out = headroom;
  const wholeEnd = start + bodyLength - tail;
  // Each quantum is written as 4 bytes, the last of which the next one overwrites; a last quantum with no byte after it, bytewise.
  const wordsEnd = tail > 0 ? wholeEnd : wholeEnd - 4;
  let i = start;
  for (; i < wordsEnd; i += 4) {
    const word = input.getUint32(i, true);
    const quantum = first[word & 0xff]! | second[(word >>> 8) & 0xff]! | third[(word >>> 16) & 0xff]! | fourth[word >>> 24]!;
    flags |= quantum;
    output.setUint32(out, quantum << 8);
    out += 3;
  }
  for (; i < wholeEnd; i += 4) {
    const word = input.getUint32(i, true);
    const quantum = first[word & 0xff]! | second[(word >>> 8) & 0xff]! | third[(word >>> 16) & 0xff]! | fourth[word >>> 24]!;
    flags |= quantum;
    buffer[out] = quantum >> 16;
    buffer[out + 1] = quantum >> 8;
    buffer[out + 2] = quantum;
    out += 3;
  }
  let value = 0;
  for (; i < start + bodyLength; i++) {
    const entry = fourth[source[i]!]!;
    flags |= entry;
    value = (value << 6) | (entry & 0x3f);
  }
  if (flags < 0 || (flags & (QUANTUM_STANDARD_ONLY | QUANTUM_URL_SAFE_ONLY)) === (QUANTUM_STANDARD_ONLY | QUANTUM_URL_SAFE_ONLY)) return null;
  if (tail > 0) {
    // Two characters hold one byte and 4 spare bits; three hold two bytes and 2 spare bits.
    const spareBits = tail === 2 ? 4 : 2;
    if ((value & ((1 << spareBits) - 1)) !== 0) return null;
    value >>= spareBits;
    if (tail === 3) buffer[out++] = value >> 8;
    buffer[out] = value & 0xff;
  }
  return bytes;
}

/** The character-by-character decoder: the same answers, slower, with the reason for each refusal. */
function decodeOrExplain(text: string, what: string): Uint8Array {
  const fail = (problem: string): never => {
    throw new EncodingError(what, `not valid base64 (${problem})`);
  };

  let usesStandard = false;
  let usesUrlSafe = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x3d && (code >= 128 || SEXTET_OF_CHAR[code] === -1)) {
      fail(`unexpected character ${describeChar(text, i)} at offset ${i}`);
    }
    if (code === 0x2b || code === 0x2f) usesStandard = true; // '+' '/'
    if (code === 0x2d || code === 0x5f) usesUrlSafe = true; // '-' '_'
  }
  if (usesStandard && usesUrlSafe) fail("mixes the standard ('+', '/') and URL-safe ('-', '_') alphabets");

  const firstPad = text.indexOf('=');
  const body = firstPad === -1 ? text : text.slice(0, firstPad);
  const padding = text.length - body.length;
  if (/[^=]/.test(text.slice(body.length))) fail("'=' padding in the middle");
  if (padding > 2) fail('more than two padding characters');
  if (padding > 0 && text.length % 4 !== 0) fail(`wrong padding ('${'='.repeat(padding)}' after ${body.length} characters)`);
  if (body.length % 4 === 1) fail(`${body.length} characters cannot encode whole bytes`);

  const bytes = new Uint8Array(Math.floor((body.length * 3) / 4));
  let byteIndex = 0;
  let buffer = 0;
  let bufferedBits = 0;
  for (let i = 0; i < body.length; i++) {
    buffer = ((buffer << 6) | SEXTET_OF_CHAR[body.charCodeAt(i)]!) & 0xfff;
    bufferedBits += 6;
    if (bufferedBits >= 8) {
      bufferedBits -= 8;
      bytes[byteIndex++] = (buffer >> bufferedBits) & 0xff;
    }
  }
  // Leftover bits (2 or 4) belong to no byte; a canonical encoder writes them as zero.
  if ((buffer & ((1 << bufferedBits) - 1)) !== 0) fail('non-zero trailing bits in the last character');
  return bytes;
}

/** Standard alphabet, padded with '=' (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  const unpadded = encodeBase64Unpadded(bytes);
  return unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
}

/** Standard alphabet without padding, as in OpenSSH SHA256 fingerprints. */
export function encodeBase64Unpadded(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bufferedBits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bufferedBits += 8;
    while (bufferedBits >= 6) {
      bufferedBits -= 6;
      text += STANDARD_ALPHABET[(buffer >> bufferedBits) & 0x3f];
    }
  }
  if (bufferedBits > 0) text += STANDARD_ALPHABET[(buffer << (6 - bufferedBits)) & 0x3f];
  return text;
}

function describeChar(text: string, index: number): string {
  const codePoint = text.codePointAt(index) ?? 0;
  const printable = codePoint > 0x20 && codePoint < 0x7f;
  return printable ? `'${String.fromCodePoint(codePoint)}'` : `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

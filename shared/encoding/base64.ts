import { EncodingError } from './encoding-error';

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
 */
export function decodeBase64Strict(text: string, what: string): Uint8Array {
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

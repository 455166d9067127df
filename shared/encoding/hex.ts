import { EncodingError } from './encoding-error';

const HEX_DIGITS = '0123456789abcdef';

/** Lowercase hex, two digits per byte. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 0x0f]!;
  return hex;
}

/**
 * Decodes lowercase hex of even length. Uppercase, prefixes and whitespace are rejected rather
 * than normalised (FORMATS §1), so each byte string has exactly one accepted spelling.
 * @param what names the value being decoded in error messages.
 */
export function hexToBytesStrict(hex: string, what: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new EncodingError(what, `not valid hex (odd length ${hex.length})`);
  const badIndex = hex.search(/[^0-9a-f]/);
  if (badIndex !== -1) {
    throw new EncodingError(what, `not valid hex (unexpected character ${JSON.stringify(hex[badIndex])} at offset ${badIndex}; lowercase 0-9a-f only)`);
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

import type { JsonValue } from '../json/strict-json';
import { FormatError } from './format-error';
import { expectString } from './json-fields';

/**
 * Key IDs (FORMATS §2) are OpenSSH SHA-256 fingerprints, as `ssh-keygen -lf` prints them:
 * `SHA256:` + unpadded standard base64 of 32 bytes, which is 43 characters.
 */

const KEY_ID = /^SHA256:[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/;

export function isKeyId(value: string): boolean {
  // 43 characters carry 258 bits for 256: the last character must leave the 2 spare bits zero,
  // so each fingerprint has exactly one spelling.
  return KEY_ID.test(value);
}

export function parseKeyId(value: JsonValue, path: string): string {
  const text = expectString(value, path);
  if (!isKeyId(text)) {
    const expected = 'a key ID ("SHA256:" followed by 43 base64 characters, as ssh-keygen -l prints)';
    throw new FormatError(path, `expected ${expected}, got ${JSON.stringify(abbreviate(text))}`);
  }
  return text;
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

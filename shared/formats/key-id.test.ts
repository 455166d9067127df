import { describe, expect, it } from 'vitest';
import { isKeyId, parseKeyId } from './key-id';

// What `ssh-keygen -lf` prints for an Ed25519 key.
const KEY_ID = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

describe('key IDs', () => {
  it('accepts an OpenSSH SHA-256 fingerprint', () => {
    expect(parseKeyId(KEY_ID, '$.createdBy')).toBe(KEY_ID);
  });

  it.each([
    ['without the SHA256: prefix', KEY_ID.slice(7)],
    ['with a lowercase prefix', KEY_ID.replace('SHA256', 'sha256')],
    ['with padding', `${KEY_ID}=`],
    ['one character short', KEY_ID.slice(0, -1)],
    ['in the URL-safe alphabet', 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD-s'],
    ['with non-zero spare bits', 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2t'],
    ['with surrounding space', ` ${KEY_ID}`],
    ['as an MD5 fingerprint', 'MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48'],
  ])('rejects a key ID %s', (_name, keyId) => {
    expect(isKeyId(keyId)).toBe(false);
    expect(() => parseKeyId(keyId, '$.predicate.createdBy')).toThrow(/^\$\.predicate\.createdBy: expected a key ID/);
  });

  it('rejects a value that is not a string', () => {
    expect(() => parseKeyId(null, '$.revokedKeys[0]')).toThrow('$.revokedKeys[0]: expected a string, got null');
  });
});

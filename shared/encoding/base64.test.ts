import { describe, expect, it } from 'vitest';
import { decodeBase64CanonicalBytes, decodeBase64Strict, encodeBase64, encodeBase64Unpadded } from './base64';
import { EncodingError } from './encoding-error';

const utf8 = (text: string) => new TextEncoder().encode(text);
// Encodes to "++++/w==" in the standard alphabet and "----_w==" in the URL-safe one.
const ALPHABET_SPECIFIC = new Uint8Array([0xfb, 0xef, 0xbe, 0xff]);

describe('encodeBase64', () => {
  it('matches the RFC 4648 test vectors, padded and unpadded', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase64(utf8(plain))).toBe(encoded);
      expect(encodeBase64Unpadded(utf8(plain))).toBe(encoded.replace(/=+$/, ''));
    }
  });

  it('uses the standard alphabet', () => {
    expect(encodeBase64(ALPHABET_SPECIFIC)).toBe('++++/w==');
  });
});

describe('decodeBase64Strict', () => {
  it('accepts the standard and URL-safe alphabets, padded or not', () => {
    for (const text of ['++++/w==', '++++/w', '----_w==', '----_w']) {
      expect(decodeBase64Strict(text, 'test')).toEqual(ALPHABET_SPECIFIC);
    }
    expect(decodeBase64Strict('Zm9vYmE=', 'test')).toEqual(utf8('fooba'));
    expect(decodeBase64Strict('Zm9vYg', 'test')).toEqual(utf8('foob'));
    expect(decodeBase64Strict('', 'test')).toEqual(new Uint8Array());
  });

  it('round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let length = 0; length <= 5; length++) {
      const slice = bytes.slice(0, 251 + length);
      expect(decodeBase64Strict(encodeBase64(slice), 'test')).toEqual(slice);
      expect(decodeBase64Strict(encodeBase64Unpadded(slice), 'test')).toEqual(slice);
    }
  });

  it.each([
    ['a space', 'Zm9v YmFy', /unexpected character U\+0020 at offset 4/],
    ['a trailing newline', 'Zm9vYmFy\n', /unexpected character U\+000A/],
    ['a leading space', ' Zm9v', /unexpected character/],
    ['junk', 'Zm9v!mFy', /unexpected character '!' at offset 4/],
    ['a non-ASCII character', 'Zm9vYmF\u00e9', /unexpected character U\+00E9/],
    ['mixed alphabets', '+-++/w==', /mixes the standard/],
    ['padding in the middle', 'Zg==Zm8=', /padding in the middle/],
    ['too much padding', 'Zm8==', /wrong padding/],
    ['padding where none belongs', 'Zm9v====', /more than two padding/],
    ['too little padding', 'Zg=', /wrong padding/],
    ['a length of 1 mod 4', 'Zm9vY', /5 characters cannot encode whole bytes/],
    ['a lone padded character', 'Z===', /more than two padding/],
    ['non-zero trailing bits (4 spare bits)', 'Zh==', /non-zero trailing bits/],
    ['non-zero trailing bits (2 spare bits)', 'Zm9=', /non-zero trailing bits/],
    ['non-zero trailing bits, unpadded', 'Zh', /non-zero trailing bits/],
  ])('rejects %s', (_label, text, reason) => {
    expect(() => decodeBase64Strict(text, 'signature 0')).toThrow(reason);
  });

  it('accepts only canonical spellings, over many generated near-miss strings (the fast and the explaining decoder agree)', () => {
    const characters = 'AQgw/+_-=Zz09\u00e9\u0141 ';
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let accepted = 0;
    for (let round = 0; round < 20000; round++) {
      const text = Array.from({ length: random(13) }, () => characters[random(characters.length)]).join('');
      let bytes: Uint8Array | null = null;
      try {
        bytes = decodeBase64Strict(text, 'generated');
      } catch (error) {
        expect(error).toBeInstanceOf(EncodingError);
      }
      if (bytes === null) continue;
      accepted++;
      let canonical = encodeBase64(bytes);
      if (/[-_]/.test(text)) canonical = canonical.replace(/\+/g, '-').replace(/\//g, '_');
      if (!text.endsWith('=')) canonical = canonical.replace(/=+$/, '');
      expect(text).toBe(canonical);
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('says what was being decoded', () => {
    let caught: unknown;
    try {
      decodeBase64Strict('Zh==', 'signature 0');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EncodingError);
    expect((caught as EncodingError).message).toMatch(/^signature 0 is not valid base64/);
    expect((caught as EncodingError).what).toBe('signature 0');
  });
});

describe('decodeBase64CanonicalBytes', () => {
  let seed = 987654;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const latin1Bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);

  /** The text inside a larger buffer at an odd offset, so that no quantum is word-aligned, with bytes either side. */
  const decodeFromBytes = (text: string, headroom: number): Uint8Array | null => {
    const before = 1 + random(7);
    const source = new Uint8Array(before + text.length + 3).fill(0x22);
    source.set(latin1Bytes(text), before);
    const decoded = decodeBase64CanonicalBytes(source, before, before + text.length, headroom);
    if (decoded !== null) {
      expect(decoded.byteOffset).toBe(headroom);
      expect(decoded.buffer.byteLength).toBe(headroom + decoded.length);
    }
    return decoded;
  };
  const strictOrNull = (text: string): Uint8Array | null => {
    try {
      return decodeBase64Strict(text, 'generated');
    } catch {
      return null;
    }
  };

  it('decodes exactly what decodeBase64Strict decodes and refuses what it refuses, on generated texts and one-character changes of them', () => {
    const characters = 'AQgw/+_-=Zz09\u00e9 \u00ff"\\';
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = Uint8Array.from({ length: random(40) }, () => random(256));
      const alphabetSwapped = (text: string) => (random(2) === 0 ? text : text.replace(/\+/g, '-').replace(/\//g, '_'));
      const canonical = alphabetSwapped(random(2) === 0 ? encodeBase64(bytes) : encodeBase64Unpadded(bytes));
      const changed = canonical.length === 0 ? 'A' : canonical.slice(0, random(canonical.length)) + characters[random(characters.length)] + canonical.slice(random(canonical.length + 1));
      for (const text of [canonical, changed]) {
        const expected = strictOrNull(text);
        const decoded = decodeFromBytes(text, random(3) * 17);
        expect(decoded === null ? null : Array.from(decoded)).toEqual(expected === null ? null : Array.from(expected));
        if (decoded !== null) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(3000);
  });

  it.each([
    ['non-zero trailing bits after whole quanta', 'Zm9vZh=='],
    ['non-zero trailing bits, unpadded', 'Zm9vZm9='],
    ['mixed alphabets in different quanta', 'Zm9v+++++-w='],
    ['a non-ASCII byte in the last whole quantum', 'Zm9vYm\u00e9y'],
    ['a quote in a quantum', 'Zm9"YmFy'],
    ['padding in the middle', 'Zg==Zm8='],
  ])('refuses %s', (_label, text) => {
    expect(decodeFromBytes(text, 0)).toBeNull();
  });
});

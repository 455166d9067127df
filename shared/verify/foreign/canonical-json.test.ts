import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, encodeCanonicalJson } from './canonical-json';

const text = (value: Parameters<typeof encodeCanonicalJson>[0]) => new TextDecoder().decode(encodeCanonicalJson(value));

describe('OLPC canonical JSON (securesystemslib encode_canonical)', () => {
  it('sorts keys, drops whitespace, escapes only backslash and quote', () => {
    expect(text({ b: [1, true, null], a: 'x"y\\z\n\u00e9' })).toBe('{"a":"x\\"y\\\\z\n\u00e9","b":[1,true,null]}');
  });

  it('orders keys by code point, as Python sorts them, not by UTF-16 unit', () => {
    // U+1F600 is one code point above U+FFFF but its first UTF-16 unit (0xD83D) sorts below U+FF5E.
    expect(text({ '\uff5e': 1, '\u{1f600}': 2 })).toBe('{"\uff5e":1,"\u{1f600}":2}');
  });

  it('refuses numbers that are not integers', () => {
    expect(() => encodeCanonicalJson({ a: 1.5 })).toThrow(CanonicalJsonError);
    expect(() => encodeCanonicalJson([2 ** 60])).toThrow(/integers only/);
  });
});

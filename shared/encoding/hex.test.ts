import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytesStrict } from './hex';

describe('hex', () => {
  it('round-trips every byte value as lowercase hex', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = bytesToHex(bytes);
    expect(hex).toMatch(/^[0-9a-f]{512}$/);
    expect(hex.slice(0, 8)).toBe('00010203');
    expect(hex.slice(-4)).toBe('feff');
    expect(hexToBytesStrict(hex, 'test')).toEqual(bytes);
  });

  it.each([
    ['uppercase', 'ABCD', /unexpected character "A" at offset 0/],
    ['odd length', 'abc', /odd length 3/],
    ['a prefix', '0xab', /unexpected character "x" at offset 1/],
    ['whitespace', 'ab cd', /odd length/],
    ['inner whitespace', 'ab c', /unexpected character " " at offset 2/],
  ])('rejects %s', (_label, text, reason) => {
    expect(() => hexToBytesStrict(text, 'digest')).toThrow(reason);
    expect(() => hexToBytesStrict(text, 'digest')).toThrow(/^digest is not valid hex/);
  });
});

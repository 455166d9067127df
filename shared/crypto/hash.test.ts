import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from './hash';

describe('sha256', () => {
  it('matches the FIPS 180-2 "abc" vector', () => {
    const abc = new TextEncoder().encode('abc');
    expect(sha256Hex(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(abc)).toHaveLength(32);
  });
});

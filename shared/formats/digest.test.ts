import { describe, expect, it } from 'vitest';
import { parseDigestSet, isKnownDigestAlgorithm, isSha256Hex } from './digest';
import { FormatError } from './format-error';
import type { JsonValue } from '../json/strict-json';

const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const PATH = '$.subject[2].digest';

function rejection(value: JsonValue): FormatError {
  try {
    parseDigestSet(value, PATH);
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return error as FormatError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('parseDigestSet', () => {
  it('accepts each known algorithm at its exact length', () => {
    const digests = {
      sha256: SHA256,
      sha384: 'a'.repeat(96),
      sha512: '0'.repeat(128),
      gitCommit: '1234abcd'.repeat(5),
    };
    expect(parseDigestSet(digests, PATH)).toEqual(digests);
    expect(parseDigestSet({ gitCommit: 'f'.repeat(64) }, PATH)).toEqual({ gitCommit: 'f'.repeat(64) });
  });

  it('says the expected and actual lengths, with the path of the digest', () => {
    expect(rejection({ sha256: SHA256.slice(1) }).message).toBe(
      '$.subject[2].digest.sha256: expected 64 lowercase hex characters, got 63',
    );
    expect(rejection({ gitCommit: 'a'.repeat(41) }).message).toBe(
      '$.subject[2].digest.gitCommit: expected 40 or 64 lowercase hex characters, got 41',
    );
    expect(rejection({ sha512: 'a'.repeat(64) }).reason).toBe('expected 128 lowercase hex characters, got 64');
    expect(rejection({ sha384: '' }).reason).toBe('expected 96 lowercase hex characters, got 0');
  });

  it('rejects uppercase hex instead of normalising it', () => {
    expect(rejection({ sha256: SHA256.toUpperCase() }).reason).toContain('got uppercase hex');
    expect(rejection({ sha256: `A${SHA256.slice(1)}` }).path).toBe(`${PATH}.sha256`);
  });

  it('rejects a "sha256:" prefix', () => {
    const error = rejection({ sha256: `sha256:${SHA256}` });
    expect(error.path).toBe(`${PATH}.sha256`);
    expect(error.reason).toContain('prefix "sha256:"');
  });

  it('rejects whitespace anywhere in the value', () => {
    expect(rejection({ sha256: ` ${SHA256}` }).reason).toContain('whitespace');
    expect(rejection({ sha256: `${SHA256}\n` }).reason).toContain('whitespace');
    expect(rejection({ sha256: `${SHA256.slice(0, 32)} ${SHA256.slice(32)}` }).reason).toContain('whitespace');
  });

  it('rejects characters that are not hex', () => {
    expect(rejection({ sha256: `${SHA256.slice(1)}g` }).reason).toContain('not hex');
  });

  it('rejects a digest set that is not an object, or is empty', () => {
    expect(rejection(SHA256).message).toBe('$.subject[2].digest: expected an object, got a string');
    expect(rejection([SHA256]).reason).toBe('expected an object, got an array');
    expect(rejection({}).reason).toContain('at least one digest');
  });

  it('rejects a digest value that is not a string', () => {
    expect(rejection({ sha256: 12 }).message).toBe('$.subject[2].digest.sha256: expected a string, got the number 12');
    expect(rejection({ blake3: null }).path).toBe(`${PATH}.blake3`);
  });

  it('keeps unknown algorithms as given, without checking or trusting them', () => {
    const digest = parseDigestSet({ sha256: SHA256, blake3: 'Anything At All' }, PATH);
    expect(digest).toEqual({ sha256: SHA256, blake3: 'Anything At All' });
    expect(isKnownDigestAlgorithm('blake3')).toBe(false);
    expect(isKnownDigestAlgorithm('sha256')).toBe(true);
    expect(isKnownDigestAlgorithm('toString')).toBe(false);
  });

  it('keeps a "__proto__" algorithm as an own property', () => {
    const digest = parseDigestSet(Object.defineProperty({ sha256: SHA256 }, '__proto__', { value: 'x', enumerable: true }), PATH);
    expect(Object.keys(digest)).toEqual(['sha256', '__proto__']);
    expect(Object.getPrototypeOf(digest)).toBe(Object.prototype);
  });
});

describe('isSha256Hex', () => {
  it('accepts exactly 64 lowercase hex characters', () => {
    expect(isSha256Hex(SHA256)).toBe(true);
    expect(isSha256Hex(SHA256.toUpperCase())).toBe(false);
    expect(isSha256Hex(SHA256.slice(1))).toBe(false);
    expect(isSha256Hex(`${SHA256}\n`)).toBe(false);
    expect(isSha256Hex(`sha256:${SHA256}`)).toBe(false);
  });
});

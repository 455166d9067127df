import { afterEach, describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../shared/json/strict-json';
import { useNativeUtf8Decoder } from '../../shared/json/native-utf8';
import { decodeUtf8Natively } from './native-utf8';

afterEach(() => useNativeUtf8Decoder(null));

/** What parseStrictJson answers: the value, or the error's message. */
function outcome(bytes: Uint8Array): unknown {
  try {
    return { value: parseStrictJson(bytes, { maxBytes: 1 << 24 }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A document past the native decoder's threshold, with `inner` bytes inside a string in the middle. */
function largeDocument(inner: readonly number[]): Uint8Array {
  const filler = 'x'.repeat(40_000);
  const head = new TextEncoder().encode(`{"a":"${filler}","b":"`);
  const tail = new TextEncoder().encode(`","c":"${filler}"}`);
  const bytes = new Uint8Array(head.length + inner.length + tail.length);
  bytes.set(head);
  bytes.set(inner, head.length);
  bytes.set(tail, head.length + inner.length);
  return bytes;
}

describe('native UTF-8 decoding', () => {
  // Valid multi-byte characters, and what the WHATWG decoder refuses: overlong forms, encoded
  // surrogates, code points past U+10FFFF, stray continuation bytes, truncated sequences, bytes never used.
  const sequences: number[][] = [
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xef, 0xbb, 0xbf],
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xed, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80],
    [0x80],
    [0xbf],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
    [0xff],
    [0xfe],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  ];

  it('gives parseStrictJson the same answers as the portable decoder, for every sequence alone and in generated mixtures', () => {
    let seed = 4242;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const documents = sequences.map((sequence) => largeDocument(sequence));
    for (let round = 0; round < 60; round++) {
      documents.push(largeDocument(Array.from({ length: 1 + random(6) }, () => sequences[random(sequences.length)]!).flat()));
    }
    documents.push(largeDocument([]));
    let refused = 0;
    for (const document of documents) {
      const portable = outcome(document);
      useNativeUtf8Decoder(decodeUtf8Natively);
      const native = outcome(document);
      useNativeUtf8Decoder(null);
      expect(native).toEqual(portable);
      if ('error' in (portable as object)) refused++;
    }
    expect(refused).toBeGreaterThan(20);
    expect(refused).toBeLessThan(documents.length - 3);
  });

  it('answers null for bytes that are not UTF-8, and the text of those that are', () => {
    expect(decodeUtf8Natively(new Uint8Array([0x61, 0xed, 0xa0, 0x80]))).toBeNull();
    expect(decodeUtf8Natively(new Uint8Array([0x61, 0xc3, 0xa9]))).toBe('a\u00e9');
    expect(decodeUtf8Natively(new Uint8Array([0x7b, 0x7d]))).toBe('{}');
  });
});

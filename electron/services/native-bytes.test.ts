import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { serializeEnvelope, readEnvelope } from '../../shared/crypto/dsse';
import { decodeBase64CanonicalBytes, encodeBase64 } from '../../shared/encoding/base64';
import { useNativeBytes } from '../../shared/encoding/native-bytes';
import { decodeBase64CanonicalNatively, nodeBytes } from './native-bytes';

afterEach(() => useNativeBytes(null));


/** The text between two quotes at an odd offset of a larger buffer, as it lies in an envelope. */
function inBuffer(text: string): { source: Uint8Array; start: number; end: number } {
  const source = new Uint8Array(text.length + 12).fill(0x22);
  source.set(Buffer.from(text, 'latin1'), 7);
  return { source, start: 7, end: 7 + text.length };
}

function portable(text: string, headroom: number): Uint8Array | null {
  const { source, start, end } = inBuffer(text);
  return decodeBase64CanonicalBytes(source, start, end, headroom);
}

function native(text: string, headroom: number): Uint8Array | null {
  const { source, start, end } = inBuffer(text);
  const decoded = decodeBase64CanonicalNatively(source, start, end, headroom);
  if (decoded !== null) {
    expect(decoded.byteOffset).toBe(headroom);
    expect(decoded.buffer.byteLength).toBe(headroom + decoded.length);
  }
  return decoded;
}

/** Both refused, or both the same bytes (compared natively: element-wise matching of large arrays is slow). */
function expectSameAnswer(actual: Uint8Array | null, expected: Uint8Array | null): void {
  expect(actual === null).toBe(expected === null);
  if (actual !== null && expected !== null) expect(Buffer.from(actual).equals(expected)).toBe(true);
}

describe('native base64 decoding', () => {
  let seed = 31337;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const urlSafe = (text: string) => text.replaceAll('+', '-').replaceAll('/', '_');
  const unpadded = (text: string) => text.replace(/=+$/, '');

  it('decodes what the portable decoder decodes and refuses what it refuses, short texts of every length and alphabet', () => {
    const characters = 'AQgw/+_-=Zz09\u00e9 "\\\n';
    for (let round = 0; round < 4000; round++) {
      const text = Array.from({ length: random(14) }, () => characters[random(characters.length)]).join('');
      expectSameAnswer(native(text, round % 5), portable(text, round % 5));
    }
    for (let length = 0; length < 40; length++) {
      const encoded = encodeBase64(randomBytes(length));
      for (const text of [encoded, unpadded(encoded), urlSafe(encoded), unpadded(urlSafe(encoded))]) {
        expectSameAnswer(native(text, 3), portable(text, 3));
        expect(native(text, 3)).not.toBeNull();
      }
    }
  });

  it('agrees on long texts across its chunks, and on every kind of one-character change anywhere in them', () => {
    // Past several 64 KiB chunks, with a length that leaves a tail of each size.
    const texts = [0, 1, 2].map((extra) => encodeBase64(randomBytes(3 * 70_000 + extra)));
    const variants = texts.flatMap((text) => [text, unpadded(text), urlSafe(text), unpadded(urlSafe(text))]);
    const replacements = ['=', ' ', '\n', '!', '"', '\u00e9', '-', '_', '+', '/', 'A', '\u00ff'];
    for (const text of variants) {
      expectSameAnswer(native(text, 40), portable(text, 40));
      expect(native(text, 40)).not.toBeNull();
      for (let change = 0; change < 16; change++) {
        // Chunk edges, the last quantum and anywhere else.
        const at = [0, 65_535, 65_536, 131_072, text.length - 1, text.length - 2, text.length - 4, random(text.length)][change % 8]!;
        const changed = text.slice(0, at) + replacements[random(replacements.length)] + text.slice(at + 1);
        expectSameAnswer(native(changed, 40), portable(changed, 40));
      }
    }
  });

  it('refuses one alphabet in one chunk and the other in a later chunk or in the last quantum', () => {
    const text = encodeBase64(randomBytes(3 * 60_000));
    const plain = text.replace(/[+/]/g, 'A');
    const mixedAcrossChunks = `${plain.slice(0, 10)}+${plain.slice(11, 150_000)}-${plain.slice(150_001)}`;
    const mixedWithTail = `${plain.slice(0, 10)}_${plain.slice(11, -2)}/A`;
    for (const mixed of [mixedAcrossChunks, mixedWithTail]) {
      expect(portable(mixed, 0)).toBeNull();
      expect(native(mixed, 0)).toBeNull();
    }
  });

  it('finds a byte where Uint8Array.indexOf finds it', () => {
    const bytes = randomBytes(5000);
    for (let round = 0; round < 200; round++) {
      const value = random(256);
      const from = random(5200);
      expect(nodeBytes.indexOf(bytes.subarray(3), value, from)).toBe(bytes.subarray(3).indexOf(value, from));
    }
  });

  it('reads a large envelope exactly as the portable code does', () => {
    const payload = randomBytes(400_000);
    const envelope = serializeEnvelope({ payloadType: 'application/vnd.in-toto+json', payload, signatures: [{ keyid: 'k', sig: new Uint8Array(64).fill(7) }] });
    const bytes = new TextEncoder().encode(envelope);
    const portableEnvelope = readEnvelope(bytes, 1 << 24);
    useNativeBytes(nodeBytes);
    const nativeEnvelope = readEnvelope(bytes, 1 << 24);
    expect({ ...nativeEnvelope, payload: null }).toEqual({ ...portableEnvelope, payload: null });
    expect(Buffer.from(nativeEnvelope.payload).equals(payload)).toBe(true);
    expect(Buffer.from(portableEnvelope.payload).equals(payload)).toBe(true);
    const broken = new TextEncoder().encode(envelope.replace(/(.{200000})./s, '$1*'));
    expect(() => readEnvelope(broken, 1 << 24)).toThrow(/payload.*not valid base64/);
  });
});

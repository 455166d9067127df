import { describe, expect, it } from 'vitest';
import { parseStrictJson, StrictJsonError, type JsonValue } from './strict-json';
import { passesUnescapedScan } from './unescaped-scan';

const utf8 = (text: string) => new TextEncoder().encode(text);

function refusal(input: Uint8Array | string, maxDepth?: number): StrictJsonError {
  try {
    parseStrictJson(input, maxDepth === undefined ? {} : { maxDepth });
  } catch (error) {
    expect(error).toBeInstanceOf(StrictJsonError);
    return error as StrictJsonError;
  }
  throw new Error(`expected ${typeof input === 'string' ? input.slice(0, 80) : 'the bytes'} to be refused`);
}

/** An object of `count` members k0, k1, …, each holding `value`. */
function manyMembers(count: number, value = '1'): string {
  return `{${Array.from({ length: count }, (_, i) => `"k${i}": ${value}`).join(', ')}}`;
}

describe('passesUnescapedScan', () => {
  it.each([
    ['a key repeated at the top level', '{"a": 1, "b": 2, "a": 3}'],
    ['a key repeated in a nested object', '{"x": [{"name": "n", "digest": {"sha256": "aa", "sha256": "bb"}}]}'],
    ['a key repeated between the first members of a large object and its later ones', manyMembers(12).replace('"k11"', '"k2"')],
    ['a key repeated among the later members of a large object', manyMembers(30).replace('"k29"', '"k17"')],
    ['a key repeated in a large object after nested objects closed', `{"a": {"b": 1, "b2": 2}, ${manyMembers(20, '{"c": [1, {"d": 2}]}').slice(1, -1)}, "k19": 0}`],
    ['the repeated "__proto__" key', '{"__proto__": 1, "__proto__": 2}'],
    ['an integer beyond 2^53-1', '{"size": 9007199254740993}'],
    ['a negative integer beyond -(2^53-1)', '[-9007199254740992]'],
    ['a number too large for a double', '{"x": 1e400}'],
    ['a long non-integer too large for a double', '[123456789012345678901234567890.5e300]'],
    ['nesting one level deeper than the limit', '['.repeat(65) + ']'.repeat(65)],
  ])('refuses %s, and the strict parser names the same problem from bytes as from text', (_label, text) => {
    expect(passesUnescapedScan(text, 64)).toBe(false);
    const fromBytes = refusal(utf8(text));
    expect(fromBytes.message).toBe(refusal(text).message);
  });

  it.each([
    ['leading zeros', '{"a": 01}'],
    ['a trailing comma', '{"a": 1,}'],
    ['NaN', '[NaN]'],
    ['a single-quoted string', "{'a': 1}"],
    ['a comment', '{"a": 1 /* c */}'],
    ['a raw control character in a string', '["a\u0001b"]'],
    ['an unterminated string', '{"a": "b}'],
    ['a missing colon', '{"a" 1}'],
    ['two values at the top level', '{} {}'],
  ])('leaves %s to JSON.parse and the strict parser, which refuse it', (_label, text) => {
    const fromBytes = refusal(utf8(text));
    expect(fromBytes.message).toBe(refusal(text).message);
  });

  it.each([
    ['an overlong encoding', [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]],
    ['an encoded surrogate (CESU-8)', [0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]],
    ['a byte-order mark', [0xef, 0xbb, 0xbf, 0x7b, 0x7d]],
  ])('never sees %s: the bytes are refused before any scan', (_label, bytes) => {
    expect(refusal(new Uint8Array(bytes)).path).toBe('$');
  });

  it('leaves a document with a backslash to the other readers', () => {
    const text = '{"a": "b\\n\\u0041", "a\\u0062": 1}';
    expect(passesUnescapedScan(text, 64)).toBe(false);
    expect(parseStrictJson(utf8(text))).toEqual({ a: 'b\nA', ab: 1 });
    expect(refusal(utf8('{"ab": 1, "a\\u0062": 2}')).reason).toContain('duplicate key "ab"');
  });

  it('takes a smaller depth limit', () => {
    const text = '{"a": [[{"b": 1}]]}';
    expect(passesUnescapedScan(text, 4)).toBe(true);
    expect(passesUnescapedScan(text, 3)).toBe(false);
    expect(refusal(utf8(text), 3).reason).toContain('nesting is deeper than 3 levels');
  });

  it('accepts equal keys in different objects, keys that share a prefix and large objects of distinct keys', () => {
    const texts = [
      '{"a": {"a": {"a": 1}}, "b": {"a": 2}}',
      '{"k": 1, "kk": 2, "k1": 3, "": 4, " k": 5}',
      manyMembers(200, '{"kind": "dataset", "size": 12}'),
      `[${manyMembers(9)}, ${manyMembers(9)}]`,
      '{"n": -0, "m": 9007199254740991, "o": -9007199254740991, "p": 1.5e300, "q": 123456789012345678901234567890.5}',
      '{"name": "é€😀", "é": "€"}',
    ];
    for (const text of texts) {
      expect(passesUnescapedScan(text, 64)).toBe(true);
      // eslint-disable-next-line no-restricted-syntax -- the value the strict reader must agree with
      expect(parseStrictJson(utf8(text))).toEqual(JSON.parse(text));
    }
  });

  it('agrees with the strict parser on generated documents, and refuses every key repeated in them', () => {
    let state = 20261202;
    const random = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const keyOf = () => ['name', 'digest', 'sha256', 'kind', 'size', 'a', 'ab', 'é', '__proto__', 'data/part-1.bin'][random(10)]! + String(random(40));
    const value = (depth: number): JsonValue => {
      const choice = random(10);
      if (depth > 4 || choice < 4) return [null, true, 'text', random(1000), -random(1000) / 8, 'x'.repeat(random(20))][random(6)]!;
      if (choice < 6) return Array.from({ length: random(4) }, () => value(depth + 1));
      const object: Record<string, JsonValue> = {};
      for (let i = random(depth === 0 ? 30 : 14); i > 0; i--) Object.defineProperty(object, keyOf(), { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
      return object;
    };
    let refused = 0;
    for (let round = 0; round < 1500; round++) {
      const document = value(0);
      const text = JSON.stringify(document, null, round % 3);
      expect(passesUnescapedScan(text, 64)).toBe(true);
      expect(JSON.stringify(parseStrictJson(utf8(text)))).toBe(JSON.stringify(document));
      // Every key written twice in its object: the second spelling replaces a later key of the same object.
      const keys = [...text.matchAll(/"([^"]*)":/g)];
      if (keys.length < 2) continue;
      const first = random(keys.length - 1);
      const original = keys[first]!;
      const siblings = keys.slice(first + 1).filter((match) => sameObject(text, original.index, match.index));
      const later = siblings[random(siblings.length)];
      if (later === undefined) continue;
      const repeated = text.slice(0, later.index) + `"${original[1]}":` + text.slice(later.index + later[0].length);
      expect(passesUnescapedScan(repeated, 64)).toBe(false);
      expect(refusal(utf8(repeated)).reason).toContain(`duplicate key ${JSON.stringify(original[1])}`);
      refused++;
    }
    expect(refused).toBeGreaterThan(300);
  });
});

/** Whether the keys at `first` and `second` of a document without escapes belong to the same object. */
function sameObject(text: string, first: number, second: number): boolean {
  let depth = 0;
  let inString = false;
  for (let pos = first; pos < second; pos++) {
    const char = text[pos];
    if (char === '"') inString = !inString;
    else if (inString) continue;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      if (--depth < 0) return false;
    }
  }
  return depth === 0;
}

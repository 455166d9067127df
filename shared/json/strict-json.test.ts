import { describe, expect, it } from 'vitest';
import { FormatError } from '../formats/format-error';
import { DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_JSON_DEPTH, parseStrictJson, StrictJsonError, type JsonValue } from './strict-json';

function parseError(input: Uint8Array | string, options?: Parameters<typeof parseStrictJson>[1]): StrictJsonError {
  try {
    parseStrictJson(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(StrictJsonError);
    return error as StrictJsonError;
  }
  throw new Error(`expected ${typeof input === 'string' ? JSON.stringify(input) : 'the bytes'} to be rejected`);
}

function expectRejected(input: Uint8Array | string, path: string, reason: RegExp | string): void {
  const error = parseError(input);
  expect(error.path).toBe(path);
  expect(error.message).toContain(`${path}: `);
  if (typeof reason === 'string') expect(error.reason).toContain(reason);
  else expect(error.reason).toMatch(reason);
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('parseStrictJson: valid documents', () => {
  it('reads every kind of value, from a string or from UTF-8 bytes', () => {
    const text = ' {"a": [1, -2.5e3, 0, -0.25, true, false, null], "b": {"c": "d\\n\\u00e9\\ud83d\\ude00 é😀"}}\r\n\t';
    const expected = { a: [1, -2500, 0, -0.25, true, false, null], b: { c: 'd\né😀 é😀' } };
    expect(parseStrictJson(text)).toEqual(expected);
    expect(parseStrictJson(utf8(text))).toEqual(expected);
  });

  it('reads scalars at the top level', () => {
    expect(parseStrictJson('"x"')).toBe('x');
    expect(parseStrictJson('12')).toBe(12);
    expect(parseStrictJson('null')).toBeNull();
  });

  it('decodes every escape', () => {
    expect(parseStrictJson('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00FF"')).toBe('"\\/\b\f\n\r\tAÿ');
  });

  it('keeps the key order of the document', () => {
    const value = parseStrictJson('{"z": 1, "a": 2, "m": {"y": 1, "b": 2}}') as Record<string, Record<string, number>>;
    expect(Object.keys(value)).toEqual(['z', 'a', 'm']);
    expect(Object.keys(value.m ?? {})).toEqual(['y', 'b']);
  });

  it('makes a "__proto__" key an ordinary own property without touching any prototype', () => {
    const value = parseStrictJson('{"a": 1, "__proto__": {"polluted": true}, "b": 2}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['a', '__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('accepts integers up to ±(2^53-1) and non-integer literals beyond them', () => {
    expect(parseStrictJson('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseStrictJson('-9007199254740991')).toBe(Number.MIN_SAFE_INTEGER);
    expect(parseStrictJson('1e300')).toBe(1e300);
    expect(parseStrictJson('9007199254740993.5')).toBe(9007199254740993.5);
  });

  it(`accepts nesting of exactly ${DEFAULT_MAX_JSON_DEPTH} levels`, () => {
    expect(() => parseStrictJson(nested(DEFAULT_MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseStrictJson(`{"a":${nested(DEFAULT_MAX_JSON_DEPTH - 1)}}`)).not.toThrow();
  });

  it('accepts a document of exactly maxBytes bytes, counting UTF-8 bytes', () => {
    expect(parseStrictJson('"é"', { maxBytes: 4 })).toBe('é');
    expect(parseStrictJson(utf8('"é"'), { maxBytes: 4 })).toBe('é');
  });
});

describe('parseStrictJson: grammar', () => {
  it.each([
    ['[1, 2,]', '$[2]', 'trailing commas are not allowed'],
    ['{"a": 1,}', '$', 'trailing commas are not allowed'],
    ['[1 2]', '$', 'expected "," or "]"'],
    ['{"a": 1 "b": 2}', '$', 'expected "," or "}"'],
    ['{"a" 1}', '$.a', 'expected ":"'],
    ['{a: 1}', '$', 'expected a string key, found "a"'],
    ["{'a': 1}", '$', 'strings take double quotes'],
    ['[1, // note\n 2]', '$[1]', 'comments are not allowed'],
    ['/* c */ 1', '$', 'comments are not allowed'],
    ['{"n": 01}', '$.n', 'leading zeros'],
    ['-01', '$', 'leading zeros'],
    ['NaN', '$', 'found "NaN"'],
    ['[Infinity]', '$[0]', 'found "Infinity"'],
    ['-Infinity', '$', 'expected a digit after "-"'],
    ['+1', '$', 'expected a value'],
    ['.5', '$', 'expected a value'],
    ['1.', '$', 'expected a digit after "."'],
    ['1e', '$', 'expected a digit in the exponent'],
    ['1e+', '$', 'expected a digit in the exponent'],
    ['0x10', '$', 'unexpected "x10" after the end'],
    ['tru', '$', 'found "tru"'],
    ['nul', '$', 'found "nul"'],
    ['{"a": 1} {"b": 2}', '$', 'after the end of the JSON value'],
    ['', '$', 'found the end of the document'],
    ['   ', '$', 'found the end of the document'],
    ['[1, [2, {"x": ', '$[1][1].x', 'found the end of the document'],
    ['"abc', '$', 'unterminated string'],
    ['{"k": "a\tb"}', '$.k', 'control character U+0009 must be escaped'],
    ['["\u0000"]', '$[0]', 'control character U+0000'],
    ['"\\x41"', '$', 'invalid escape: "\\" followed by "x"'],
    ["\"\\'\"", '$', 'invalid escape'],
    ['"\\u12"', '$', '4 hex digits'],
    ['"\\u12G4"', '$', '4 hex digits'],
    ['\u00a01', '$', 'U+00A0 (only space, tab, CR and LF are JSON whitespace)'],
    ['[1,\u000b2]', '$[1]', 'U+000B'],
    ['\f1', '$', 'U+000C'],
  ])('rejects %j at %s', (input, path, reason) => {
    expectRejected(input, path, reason);
  });

  it('says where the problem is by line and column', () => {
    expect(parseError('{\n  "a": [1,\n        2,]\n}').message).toBe(
      '$.a[2]: expected a value, found "]" (trailing commas are not allowed) (line 3, column 11)',
    );
  });

  it('is a FormatError', () => {
    expect(parseError('[')).toBeInstanceOf(FormatError);
  });
});

describe('parseStrictJson: duplicate keys', () => {
  it('rejects a duplicate key at the top level', () => {
    expectRejected('{"a": 1, "a": 2}', '$.a', 'duplicate key "a"');
  });

  it('rejects a duplicate key deep inside and names its path', () => {
    const document = JSON.stringify({
      predicate: { artifacts: { 'model/fraud.onnx': { kind: 'model' } } },
    }).replace('{"kind":"model"}', '{"kind":"model","size":1,"kind":"dataset"}');
    expectRejected(document, '$.predicate.artifacts["model/fraud.onnx"].kind', 'duplicate key "kind"');
  });

  it('rejects a duplicate subject key inside an array element', () => {
    expectRejected('{"subject": [{}, {"name": "x", "name": "y"}]}', '$.subject[1].name', 'duplicate key "name"');
  });

  it('compares keys after unescaping', () => {
    expectRejected('{"a": 1, "\\u0061": 2}', '$.a', 'duplicate key "a", written "\\u0061"');
    expectRejected('{"é": 1, "\\u00e9": 2}', '$["é"]', 'duplicate key "é"');
    expectRejected('{"a/b": 1, "a\\/b": 2}', '$["a/b"]', 'duplicate key');
  });

  it('rejects a repeated "__proto__" key', () => {
    expectRejected('{"__proto__": 1, "__proto__": 2}', '$.__proto__', 'duplicate key "__proto__"');
  });

  it('accepts equal keys in different objects', () => {
    expect(parseStrictJson('{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}')).toEqual({ a: { a: 1 }, b: [{ a: 2 }, { a: 3 }] });
  });
});

describe('parseStrictJson: surrogates', () => {
  it('accepts an escaped surrogate pair and a raw astral character', () => {
    expect(parseStrictJson('"\\uD83D\\uDE00"')).toBe('😀');
    expect(parseStrictJson(utf8('"😀"'))).toBe('😀');
  });

  it.each([
    ['{"k": "\\ud800"}', '$.k'],
    ['["ok", "\\ud800x"]', '$[1]'],
    ['"\\ud800\\u0041"', '$'],
    ['"\\ud800\\ud800"', '$'],
    ['"\\udc00"', '$'],
    ['"x\\ude00\\ud83d"', '$'],
  ])('rejects the lone surrogate in %s at %s', (input, path) => {
    expectRejected(input, path, 'lone UTF-16 surrogate');
  });

  it('rejects a lone surrogate in a key', () => {
    expectRejected('{"a": {"\\udfff": 1}}', '$.a', 'lone UTF-16 surrogate \\udfff');
  });

  it('rejects raw lone surrogates in string input', () => {
    expectRejected('["\ud800"]', '$[0]', 'lone UTF-16 surrogate U+D800');
    expectRejected('"\udc00"', '$', 'lone UTF-16 surrogate U+DC00');
  });
});

describe('parseStrictJson: numbers', () => {
  it.each([
    ['9007199254740992', '$'],
    ['-9007199254740992', '$'],
    ['{"size": 18446744073709551616}', '$.size'],
    ['[0, 9007199254740993]', '$[1]'],
  ])('rejects the integer in %s at %s', (input, path) => {
    expectRejected(input, path, /^integer -?\d+ is outside the exact range ±\(2\^53-1\)/);
  });

  it('shortens a very long integer in the message', () => {
    const error = parseError('1'.repeat(500));
    expect(error.reason).toContain('(500 characters)');
    expect(error.reason.length).toBeLessThan(150);
  });

  it('rejects a number too large for a double', () => {
    expectRejected('{"x": [1e400]}', '$.x[0]', 'number 1e400 is too large');
  });
});

describe('parseStrictJson: depth, size and encoding', () => {
  it(`rejects nesting deeper than ${DEFAULT_MAX_JSON_DEPTH} and names where`, () => {
    expectRejected(nested(DEFAULT_MAX_JSON_DEPTH + 1), `$${'[0]'.repeat(DEFAULT_MAX_JSON_DEPTH)}`, 'nesting is deeper than 64 levels');
    expectRejected(`{"a": {"b": ${nested(DEFAULT_MAX_JSON_DEPTH - 1)}}}`, `$.a.b${'[0]'.repeat(DEFAULT_MAX_JSON_DEPTH - 2)}`, 'deeper than 64');
  });

  it('takes a smaller depth limit', () => {
    expect(() => parseStrictJson('[[1]]', { maxDepth: 2 })).not.toThrow();
    expect(parseError('[[[1]]]', { maxDepth: 2 }).path).toBe('$[0][0]');
  });

  it('rejects a document larger than maxBytes before reading it', () => {
    const error = parseError(utf8('[1, 2]'), { maxBytes: 5 });
    expect(error.message).toBe('$: the document is 6 bytes, more than the limit of 5 bytes');
    // Invalid UTF-8 past the cap is not even decoded: the size is the reported problem.
    expect(parseError(new Uint8Array(6).fill(0xff), { maxBytes: 5 }).reason).toContain('more than the limit');
  });

  it('counts the UTF-8 bytes of string input against maxBytes', () => {
    expect(parseError('"é"', { maxBytes: 3 }).reason).toBe('the document is 4 bytes, more than the limit of 3 bytes');
    expect(parseError('"😀"', { maxBytes: 5 }).reason).toBe('the document is 6 bytes, more than the limit of 5 bytes');
  });

  it('has a 16 MiB default cap', () => {
    expect(DEFAULT_MAX_JSON_BYTES).toBe(16 * 1024 * 1024);
    const oversized = new Uint8Array(DEFAULT_MAX_JSON_BYTES + 1).fill(0x20);
    oversized[0] = 0x31;
    expect(parseError(oversized).reason).toContain(`limit of ${DEFAULT_MAX_JSON_BYTES} bytes`);
  });

  it('rejects a byte-order mark in bytes and in text', () => {
    expectRejected(new Uint8Array([0xef, 0xbb, 0xbf, 0x31]), '$', 'byte-order mark');
    expectRejected('\ufeff1', '$', 'byte-order mark');
  });

  it.each([
    ['a stray continuation byte', [0x22, 0x80, 0x22]],
    ['an invalid byte', [0x22, 0xff, 0x22]],
    ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
    ['an encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a truncated sequence', [0x22, 0xe2, 0x82]],
  ])('rejects invalid UTF-8: %s', (_name, bytes) => {
    expectRejected(new Uint8Array(bytes), '$', 'not valid UTF-8');
  });
});

/** A small deterministic generator, so that a failing case can be reproduced. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRING_PIECES = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', 'é', '€', '\u2028', '😀', '\uffff', 'key', '__proto__'];

function randomDocument(random: () => number): JsonValue {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const randomString = () => Array.from({ length: Math.floor(random() * 6) }, () => pick(STRING_PIECES)).join('');
  // JSON.stringify writes whole numbers below 1e21 without an exponent: keep those exact (FORMATS §1).
  const validNumber = (n: number) => (Math.abs(n) > Number.MAX_SAFE_INTEGER && Math.abs(n) < 1e21 ? n / 1e6 : n);
  const randomNumber = () =>
    validNumber(pick([
      () => Math.floor((random() - 0.5) * 2 * Number.MAX_SAFE_INTEGER),
      () => Math.floor((random() - 0.5) * 1000),
      () => (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20),
      () => random() * 1e300,
    ])());
  const value = (depth: number): JsonValue => {
    const choice = random();
    if (depth > 5 || choice < 0.4) return pick([null, true, false, randomString(), randomNumber(), randomNumber()]);
    if (choice < 0.7) return Array.from({ length: Math.floor(random() * 5) }, () => value(depth + 1));
    const object: Record<string, JsonValue> = {};
    for (let i = Math.floor(random() * 5); i > 0; i--) {
      Object.defineProperty(object, randomString(), { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return object;
  };
  return value(0);
}

/** Rewrites a string token with every character but letters and digits as a \u escape. */
function escapeEverything(token: string): string {
  // eslint-disable-next-line no-restricted-syntax
  const text = JSON.parse(token) as string;
  return `"${text.replace(/[^A-Za-z0-9]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

describe('parseStrictJson: agrees with JSON.parse on valid documents', () => {
  it('returns the same values, in the same key order, for random documents', () => {
    const random = randomSource(20261101);
    for (let round = 0; round < 2000; round++) {
      const indent = [0, 1, 2, '\t', '\r\n '][round % 5] as number | string;
      const document = JSON.stringify(randomDocument(random), null, indent);
      const variants = [document, utf8(document)];
      // Only inside strings: escaping the syntax characters between tokens would change the document.
      if (round % 3 === 0) variants.push(document.replace(/"(?:[^"\\]|\\.)*"/g, escapeEverything));
      for (const variant of variants) {
        const text = typeof variant === 'string' ? variant : document;
        // eslint-disable-next-line no-restricted-syntax
        const expected: unknown = JSON.parse(text);
        const actual = parseStrictJson(variant);
        expect(actual).toEqual(expected);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }
    }
  });

  it('reads a manifest of 100,000 subjects exactly as JSON.parse does', () => {
    const subjects = Array.from({ length: 100_000 }, (_, i) => ({
      name: `data/shard-${i}.parquet`,
      digest: { sha256: (i.toString(16) + 'a'.repeat(64)).slice(0, 64) },
    }));
    const document = JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: subjects });
    const bytes = utf8(document);
    expect(bytes.length).toBeGreaterThan(9_000_000);
    // eslint-disable-next-line no-restricted-syntax
    expect(parseStrictJson(bytes)).toEqual(JSON.parse(document));
  });
});

/** Every object in `value`, depth first. */
function objectsIn(value: JsonValue): Record<string, JsonValue>[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  return [value, ...Object.values(value).flatMap(objectsIn)];
}

describe('parseStrictJson: hostile variants of valid documents', () => {
  // JSON.parse keeps the last of two equal keys, and a value overwritten so may hold further
  // objects and members: every such document must still be refused, wherever the repeat is.
  it('refuses a key repeated in any object of a random document, whatever the repeated value holds', () => {
    const random = randomSource(20261201);
    const marker = '\u0000repeat';
    let refused = 0;
    for (let round = 0; round < 1500; round++) {
      const document = randomDocument(random);
      const candidates = objectsIn(document).filter((object) => Object.keys(object).length > 0);
      const target = candidates[Math.floor(random() * candidates.length)];
      if (target === undefined) continue;
      const keys = Object.keys(target);
      const repeated = keys[Math.floor(random() * keys.length)]!;
      target[marker] = randomDocument(random);
      const text = JSON.stringify(document, null, round % 2).replace(JSON.stringify(marker), JSON.stringify(repeated));
      const error = parseError(round % 3 === 0 ? utf8(text) : text);
      expect(error.reason).toContain(`duplicate key ${JSON.stringify(repeated)}`);
      refused++;
    }
    expect(refused).toBeGreaterThan(500);
  });

  it('refuses an out-of-range integer, an infinite number or an escaped lone surrogate put anywhere a value goes', () => {
    const random = randomSource(20261202);
    const hostile = ['9007199254740993', '-9007199254740992', '1e400', '-1E+999', '123456789012345678901234567890.5e300', '"\\ud800"', '"x\\uDC00y"', '"\\uDBFFa"'];
    for (let round = 0; round < 600; round++) {
      const document = randomDocument(random);
      const holders = objectsIn(document);
      const holder = holders[Math.floor(random() * holders.length)];
      const bad = hostile[round % hostile.length]!;
      const marker = '\u0000hostile';
      let text: string;
      if (holder === undefined) text = JSON.stringify([document, marker]);
      else {
        holder[`k${round}`] = marker;
        text = JSON.stringify(document);
      }
      text = text.replace(JSON.stringify(marker), bad);
      expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
    }
  });
});

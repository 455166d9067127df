import { FormatError } from '../formats/format-error';
import { formatJsonPath } from './json-path';
import { nativeUtf8Decoder } from './native-utf8';
import { passesUnescapedScan } from './unescaped-scan';
import { QUOTE, BACKSLASH, COMMA, COLON, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, MINUS, PLUS, DOT, DIGIT_0, DIGIT_9 } from './json-chars';

/**
 * The JSON parser for every untrusted document (FORMATS §1). Strict RFC 8259 grammar, plus
 * what `JSON.parse` does not check: byte-order marks, invalid UTF-8, size and depth caps,
 * duplicate keys (compared after unescaping), lone surrogates and integers that a JS number
 * cannot hold exactly. Every error names the JSON path where it was found.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface StrictJsonOptions {
  /** Largest accepted document, in UTF-8 bytes. */
  maxBytes?: number;
  /** Deepest accepted nesting of arrays and objects; the outermost one is level 1. */
  maxDepth?: number;
}

export class StrictJsonError extends FormatError {}

/**
 * Sets `object[key]` as an own data property, even for the key "__proto__", where plain
 * assignment would call the prototype setter instead (prototype pollution).
 */
export function setOwnMember<T>(object: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    // Plain assignment for every other key keeps objects in V8's fast mode.
    object[key] = value;
  }
}

export function parseStrictJson(input: Uint8Array | string, options: StrictJsonOptions = {}): JsonValue {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_JSON_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  if (typeof input === 'string') {
    const text = checkText(input, maxBytes);
    return parseWithNativeParser(text, maxDepth) ?? new Parser(text, maxDepth).parseDocument();
  }
  const text = decodeUtf8(input, maxBytes);
  // Text decoded from UTF-8 holds no lone surrogate: without a backslash, nothing is escaped either.
  const nativeParse = text.indexOf('\\') === -1 ? parseUnescapedWithNativeParser : parseWithNativeParser;
  return nativeParse(text, maxDepth) ?? new Parser(text, maxDepth).parseDocument();
}

/**
 * A document without escapes at native speed: one scan (passesUnescapedScan) checks every strict
 * rule `JSON.parse` does not, and nothing is walked after it. Null when the scan or `JSON.parse`
 * refuses: the strict parser then names the problem.
 */
function parseUnescapedWithNativeParser(text: string, maxDepth: number): JsonValue | null {
  if (!passesUnescapedScan(text, maxDepth)) return null;
  try {
    // eslint-disable-next-line no-restricted-syntax -- only after the strict scan above; any doubt goes to the strict parser
    return JSON.parse(text) as JsonValue;
  } catch {
    return null;
  }
}

/**
 * The common case at native speed: `JSON.parse` checks the grammar exactly as RFC 8259 writes it,
 * and a scan without building values checks what it does not (depth, lone surrogates, integer
 * range, finite numbers). Duplicate keys are found by counting: every member has one colon
 * outside strings, and an object read by `JSON.parse` keeps one key per distinct name, so the
 * keys of the result are fewer than the colons exactly when some object repeats a key. Null when
 * anything is wrong or unusual: the strict parser then parses again and names the problem.
 */
function parseWithNativeParser(text: string, maxDepth: number): JsonValue | null {
  const members = scanForNativeParse(text, maxDepth);
  if (members === null) return null;
  let value: JsonValue;
  try {
    // eslint-disable-next-line no-restricted-syntax -- only after the strict scan above; any doubt goes to the strict parser
    value = JSON.parse(text) as JsonValue;
  } catch {
    return null;
  }
  return countMembers(value) === members ? value : null;
}

/** Object members in `text`, or null when it needs the strict parser: too deep, a lone or escaped surrogate, a control character, an inexact number. */
function scanForNativeParse(text: string, maxDepth: number): number | null {
  const length = text.length;
  let depth = 0;
  let members = 0;
  let pos = 0;
  while (pos < length) {
    const code = text.charCodeAt(pos);
    if (code === QUOTE) {
      pos++;
      for (;;) {
        PLAIN_STRING_RUN.lastIndex = pos;
        PLAIN_STRING_RUN.test(text);
        pos = PLAIN_STRING_RUN.lastIndex;
        if (pos >= length) return null;
        const stop = text.charCodeAt(pos);
        if (stop === QUOTE) {
          pos++;
          break;
        }
        if (stop === BACKSLASH) {
          // `\uD800`-`\uDFFF` may pair or not: the strict parser decides. Other escapes are two characters, the hex digits of `\u` plain ones.
          if (text.charCodeAt(pos + 1) === 0x75 && (text.charCodeAt(pos + 2) | 0x20) === 0x64 && isSurrogateHexDigit(text.charCodeAt(pos + 3))) return null;
          pos += 2;
        } else if (isHighSurrogate(stop) && isLowSurrogate(text.charCodeAt(pos + 1))) {
          pos += 2;
        } else {
          return null;
        }
      }
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) return null;
      pos++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      pos++;
    } else if (code === COLON) {
      members++;
      pos++;
    } else if (code === MINUS || isDigit(code)) {
      const start = pos;
      let isIntegerLiteral = true;
      for (pos++; pos < length; pos++) {
        const next = text.charCodeAt(pos);
        if (isDigit(next)) continue;
        if (next === DOT || next === 0x65 || next === 0x45 || next === PLUS || next === MINUS) isIntegerLiteral = false;
        else break;
      }
      // Fifteen characters hold neither an integer beyond 2^53-1 nor an infinite number without an exponent.
      if (pos - start > 15 || !isIntegerLiteral) {
        const number = Number(text.slice(start, pos));
        if (isIntegerLiteral ? !Number.isSafeInteger(number) : !Number.isFinite(number)) return null;
      }
    } else {
      pos++;
    }
  }
  return members;
}

/** 8, 9, a-f or A-F: the third hex digit of an escaped UTF-16 surrogate (after `\uD`). */
function isSurrogateHexDigit(code: number): boolean {
  const lower = code | 0x20;
  return code === 0x38 || code === 0x39 || (lower >= 0x61 && lower <= 0x66);
}

function countMembers(value: JsonValue): number {
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const element = value[i]!;
      if (typeof element === 'object' && element !== null) count += countMembers(element);
    }
    return count;
  }
  if (typeof value !== 'object' || value === null) return 0;
  // for-in also walks inherited enumerable keys: were there any, the count would only disagree and send the text to the strict parser.
  for (const key in value) {
    count++;
    const member = value[key]!;
    if (typeof member === 'object' && member !== null) count += countMembers(member);
  }
  return count;
}

const NATIVE_UTF8_MIN_BYTES = 64 * 1024;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array, maxBytes: number): string {
  // The cap is checked before decoding so that an oversized document costs nothing.
  checkSize(bytes.length, maxBytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) throw byteOrderMarkError();
  // A native refusal is decoded again below, which says so; small documents are not worth the call.
  const decoded = bytes.length >= NATIVE_UTF8_MIN_BYTES ? nativeUtf8Decoder()?.(bytes) : undefined;
  if (typeof decoded === 'string') return decoded;
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new StrictJsonError('$', 'the document is not valid UTF-8');
  }
}

function checkText(text: string, maxBytes: number): string {
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes: count exactly only when the bounds disagree.
  if (text.length * 3 > maxBytes) checkSize(utf8Length(text), maxBytes);
  if (text.charCodeAt(0) === 0xfeff) throw byteOrderMarkError();
  return text;
}

function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

function checkSize(byteLength: number, maxBytes: number): void {
  if (byteLength > maxBytes) {
    throw new StrictJsonError('$', `the document is ${byteLength} bytes, more than the limit of ${maxBytes} bytes`);
  }
}

function byteOrderMarkError(): StrictJsonError {
  return new StrictJsonError('$', 'the document starts with a byte-order mark; JSON documents must be UTF-8 without one');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}


const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** A run of string characters other than the quote, the backslash, control characters and UTF-16 surrogates. */
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f\ud800-\udfff]*/y;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** Keys and indexes from the root to the value being parsed: the path in errors. */
  private readonly segments: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      throw this.error(`unexpected ${this.describeHere()} after the end of the JSON value`);
    }
    return value;
  }

  private parseValue(): JsonValue {
    const code = this.text.charCodeAt(this.pos);
    switch (code) {
      case OPEN_BRACE:
        return this.parseObject();
      case OPEN_BRACKET:
        return this.parseArray();
      case QUOTE:
        return this.parseString();
      case 0x74: // t
        return this.parseKeyword('true', true);
      case 0x66: // f
        return this.parseKeyword('false', false);
      case 0x6e: // n
        return this.parseKeyword('null', null);
      default:
        if (code === MINUS || isDigit(code)) return this.parseNumber();
        throw this.error(`expected a value, found ${this.describeHere()}`);
    }
  }

  private parseObject(): JsonObject {
    this.enterContainer();
    this.pos++;
    const object: JsonObject = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      this.depth--;
      return object;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== QUOTE) {
        const hint = this.text.charCodeAt(this.pos) === CLOSE_BRACE ? ' (trailing commas are not allowed)' : '';
        throw this.error(`expected a string key, found ${this.describeHere()}${hint}`);
      }
      const keyStart = this.pos;
      const key = this.parseString();
      this.segments.push(key);
      if (Object.hasOwn(object, key)) {
        const written = this.text.slice(keyStart, this.pos);
        const spelling = written === JSON.stringify(key) ? '' : `, written ${written}`;
        throw this.errorAt(keyStart, `duplicate key ${JSON.stringify(key)}${spelling}`);
      }
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== COLON) throw this.error(`expected ":" after the key, found ${this.describeHere()}`);
      this.pos++;
      this.skipWhitespace();
      setOwnMember(object, key, this.parseValue());
      this.segments.pop();
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (next === CLOSE_BRACE) {
        this.pos++;
        this.depth--;
        return object;
      } else {
        throw this.error(`expected "," or "}" after an object member, found ${this.describeHere()}`);
      }
    }
  }

  private parseArray(): JsonValue[] {
    this.enterContainer();
    this.pos++;
    const array: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      this.depth--;
      return array;
    }
    for (;;) {
      this.segments.push(array.length);
      if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
        throw this.error(`expected a value, found "]" (trailing commas are not allowed)`);
      }
      array.push(this.parseValue());
      this.segments.pop();
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (next === CLOSE_BRACKET) {
        this.pos++;
        this.depth--;
        return array;
      } else {
        throw this.error(`expected "," or "]" after an array element, found ${this.describeHere()}`);
      }
    }
  }

  private enterContainer(): void {
    this.depth++;
    if (this.depth > this.maxDepth) throw this.error(`nesting is deeper than ${this.maxDepth} levels`);
  }

  /** Parses the string starting at the opening quote; unescaped runs are sliced, not copied per character. */
  private parseString(): string {
    const text = this.text;
    let pos = this.pos + 1;
    let runStart = pos;
    let result = '';
    for (;;) {
      // Skip the characters that need no attention in one native regex step: most strings are
      // one such run, and a manifest's base64 payload is tens of megabytes of it.
      PLAIN_STRING_RUN.lastIndex = pos;
      PLAIN_STRING_RUN.test(text);
      pos = PLAIN_STRING_RUN.lastIndex;
      if (pos >= text.length) throw this.errorAt(this.pos, 'unterminated string');
      const code = text.charCodeAt(pos);
      if (code === QUOTE) {
        result += text.slice(runStart, pos);
        this.pos = pos + 1;
        return result;
      }
      if (code === BACKSLASH) {
        const [decoded, end] = this.parseEscape(pos);
        result += text.slice(runStart, pos) + decoded;
        pos = runStart = end;
      } else if (code < 0x20) {
        throw this.errorAt(pos, `control character ${unicodeName(code)} must be escaped in a string`);
      } else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(pos + 1))) {
        pos += 2;
      } else if (isHighSurrogate(code) || isLowSurrogate(code)) {
        throw this.errorAt(pos, `lone UTF-16 surrogate ${unicodeName(code)} in a string`);
      } else {
        pos++;
      }
    }
  }

  /** Decodes the escape at `backslashPos`; returns its text and the position after it. */
  private parseEscape(backslashPos: number): [decoded: string, end: number] {
    const letter = this.text.charAt(backslashPos + 1);
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) {
      return [simple, backslashPos + 2];
    }
    if (letter !== 'u') {
      const found = letter === '' ? 'the end of the document' : JSON.stringify(letter);
      throw this.errorAt(backslashPos, `invalid escape: "\\" followed by ${found}`);
    }
    const code = this.readHex4(backslashPos);
    if (isLowSurrogate(code)) {
      throw this.errorAt(backslashPos, `lone UTF-16 surrogate \\u${hex4(code)} in a string`);
    }
    if (!isHighSurrogate(code)) {
      return [String.fromCharCode(code), backslashPos + 6];
    }
    const lowPos = backslashPos + 6;
    const low = this.text.startsWith('\\u', lowPos) ? this.readHex4(lowPos) : -1;
    if (!isLowSurrogate(low)) {
      throw this.errorAt(backslashPos, `lone UTF-16 surrogate \\u${hex4(code)} in a string (not followed by a low surrogate escape)`);
    }
    return [String.fromCharCode(code, low), lowPos + 6];
  }

  private readHex4(backslashPos: number): number {
    const digits = this.text.slice(backslashPos + 2, backslashPos + 6);
    if (!/^[0-9A-Fa-f]{4}$/.test(digits)) {
      throw this.errorAt(backslashPos, `invalid escape: "\\u" must be followed by 4 hex digits`);
    }
    return parseInt(digits, 16);
  }

  private parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === MINUS) pos++;
    const firstDigit = text.charCodeAt(pos);
    if (firstDigit === DIGIT_0) {
      pos++;
      if (isDigit(text.charCodeAt(pos))) throw this.errorAt(start, 'numbers must not have leading zeros');
    } else if (isDigit(firstDigit)) {
      while (isDigit(text.charCodeAt(pos))) pos++;
    } else {
      throw this.errorAt(pos, `expected a digit after "-", found ${this.describeAt(pos)}`);
    }
    let isIntegerLiteral = true;
    if (text.charCodeAt(pos) === DOT) {
      isIntegerLiteral = false;
      pos++;
      if (!isDigit(text.charCodeAt(pos))) throw this.errorAt(pos, `expected a digit after ".", found ${this.describeAt(pos)}`);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const exponentMark = text.charCodeAt(pos);
    if (exponentMark === 0x65 || exponentMark === 0x45) {
      isIntegerLiteral = false;
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === PLUS || sign === MINUS) pos++;
      if (!isDigit(text.charCodeAt(pos))) throw this.errorAt(pos, `expected a digit in the exponent, found ${this.describeAt(pos)}`);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const literal = text.slice(start, pos);
    const value = Number(literal);
    // Beyond 2^53-1 a JS number no longer holds every integer: two different literals
    // would read as the same value.
    if (isIntegerLiteral && !Number.isSafeInteger(value)) {
      throw this.errorAt(start, `integer ${abbreviate(literal)} is outside the exact range ±(2^53-1)`);
    }
    if (!Number.isFinite(value)) throw this.errorAt(start, `number ${abbreviate(literal)} is too large`);
    this.pos = pos;
    return value;
  }

  private parseKeyword<T extends boolean | null>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.error(`expected a value, found ${this.describeHere()}`);
    this.pos += word.length;
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private describeHere(): string {
    return this.describeAt(this.pos);
  }

  /** What the reader sees at `pos`: a word such as `NaN` whole, otherwise one character. */
  private describeAt(pos: number): string {
    if (pos >= this.text.length) return 'the end of the document';
    const word = /^[A-Za-z_][A-Za-z0-9_]{0,19}/.exec(this.text.slice(pos, pos + 20));
    if (word) return JSON.stringify(word[0]);
    const codePoint = this.text.codePointAt(pos) ?? 0;
    const shown = JSON.stringify(String.fromCodePoint(codePoint));
    if (codePoint === 0x2f) return `${shown} (comments are not allowed)`;
    if (codePoint === 0x27) return `${shown} (strings take double quotes)`;
    if (codePoint < 0x20 || codePoint === 0xa0 || codePoint === 0xfeff || (codePoint >= 0x2000 && codePoint <= 0x200b)) {
      return `${unicodeName(codePoint)} (only space, tab, CR and LF are JSON whitespace)`;
    }
    return shown;
  }

  private error(reason: string): StrictJsonError {
    return this.errorAt(this.pos, reason);
  }

  private errorAt(pos: number, reason: string): StrictJsonError {
    return new StrictJsonError(formatJsonPath(this.segments), `${reason} (${this.lineAndColumn(pos)})`);
  }

  private lineAndColumn(pos: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < pos; i = this.text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return `line ${line}, column ${pos - lineStart + 1}`;
  }
}

function hex4(code: number): string {
  return code.toString(16).padStart(4, '0');
}

function unicodeName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function abbreviate(literal: string): string {
  return literal.length > 40 ? `${literal.slice(0, 20)}…${literal.slice(-10)} (${literal.length} characters)` : literal;
}

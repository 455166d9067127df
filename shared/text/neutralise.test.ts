import { describe, expect, it } from 'vitest';
import { parseStrictJson } from '../json/strict-json';
import { fields, hasHazard, jsonText, neutraliseField, neutraliseLines, textSegments, visibleForm } from './neutralise';

const ESC = '\u001b';
const CSI = '\u009b';
const RLO = '\u202e';
/** Every character the neutraliser must never pass on raw. */
const HAZARDS = [
  ...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)),
  '\u007f',
  ...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(0x80 + c)),
  '\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029',
];
const RAW_HAZARD = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('neutraliseField', () => {
  it('shows a terminal escape sequence instead of passing it on', () => {
    const keyId = `${ESC}[2J${ESC}[H VERIFIED`;
    expect(neutraliseField(keyId)).toBe('\\x1b[2J\\x1b[H VERIFIED');
  });

  it('shows tab, carriage return and line feed inside a field, so no fake line can start', () => {
    expect(neutraliseField('a\tb\r\nVERIFIED')).toBe('a\\x09b\\x0d\\x0aVERIFIED');
  });

  it('shows DEL and C1 controls, the 8-bit CSI included', () => {
    expect(neutraliseField(`x\u007f${CSI}2J\u0085`)).toBe('x\\x7f\\u009b2J\\u0085');
  });

  it('shows bidi controls as their code point rather than obeying them', () => {
    expect(neutraliseField(`invoice${RLO}fdp.exe`)).toBe('invoice<U+202E>fdp.exe');
    expect(neutraliseField('\u2066a\u2069\u200e\u200f\u061c')).toBe('<U+2066>a<U+2069><U+200E><U+200F><U+061C>');
  });

  it('leaves ordinary text, other scripts and emoji as they are', () => {
    const text = 'model-v2 · Ünïcödé · מודל · نموذج · 模型 · 🙂 \\x1b';
    expect(neutraliseField(text)).toBe(text);
    expect(hasHazard(text)).toBe(false);
  });

  it('never passes a hazardous character through, whichever it is', () => {
    for (const character of HAZARDS) {
      const out = neutraliseField(`a${character}b`);
      expect(RAW_HAZARD.test(out), `U+${character.codePointAt(0)!.toString(16)}`).toBe(false);
      expect(out).toBe(`a${visibleForm(character)}b`);
      expect(hasHazard(`a${character}b`)).toBe(true);
    }
  });
});

describe('neutraliseLines', () => {
  it('keeps line feeds and shows every other hazard', () => {
    expect(neutraliseLines(`one\ntwo${ESC}[31m\r${RLO}`)).toBe('one\ntwo\\x1b[31m\\x0d<U+202E>');
  });

  it('keeps a CRLF line end but shows a lone carriage return, which would overwrite the line', () => {
    expect(neutraliseLines('a,b\r\nc\rFAKE\r\n')).toBe('a,b\r\nc\\x0dFAKE\r\n');
  });
});

describe('fields', () => {
  it('neutralises the interpolated values and keeps the template text', () => {
    const name = `evil\n  ✓ valid${ESC}[0m`;
    expect(fields`  subject ${name}\n  count ${3}`).toBe('  subject evil\\x0a  ✓ valid\\x1b[0m\n  count 3');
  });
});

describe('jsonText', () => {
  it('escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { keyid: `${ESC}[2J${RLO}x${CSI}\u007f\u2028`, n: 1 };
    const text = jsonText(value);
    expect(RAW_HAZARD.test(text.replaceAll('\n', ''))).toBe(false);
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u009b');
    expect(text).toContain('\\u007f');
    expect(parseStrictJson(new TextEncoder().encode(text))).toEqual(value);
  });
});

describe('textSegments', () => {
  it('splits the text into plain runs and markers', () => {
    expect(textSegments(`a${RLO}bc${ESC}`)).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'marker', text: '<U+202E>', codePoint: 0x202e },
      { kind: 'text', text: 'bc' },
      { kind: 'marker', text: '\\x1b', codePoint: 0x1b },
    ]);
  });

  it('keeps line feeds in text runs when asked', () => {
    expect(textSegments('a\nb', { keepLineFeeds: true })).toEqual([{ kind: 'text', text: 'a\nb' }]);
    expect(textSegments('a\nb')).toHaveLength(3);
  });

  it('gives one text run for clean text and none for empty text', () => {
    expect(textSegments('clean')).toEqual([{ kind: 'text', text: 'clean' }]);
    expect(textSegments('')).toEqual([]);
  });
});

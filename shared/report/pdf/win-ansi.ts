import { visibleForm } from '../../text/neutralise';

/**
 * Text for the PDF's standard fonts, which can only show WinAnsiEncoding (Windows-1252). Every
 * character is written as one byte of that encoding; a character it cannot show, or one that
 * would be obeyed rather than shown (controls, bidi overrides), becomes a visible marker such
 * as `<U+4E2D>` or `\x1b`, never dropped, so the reader sees that something is there.
 */

/** Windows-1252's codes 0x80 to 0x9F, by the Unicode character they show. */
const HIGH_CODES = new Map<number, number>([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86],
  [0x2021, 0x87], [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c],
  [0x017d, 0x8e], [0x2018, 0x91], [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95],
  [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98], [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b],
  [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

const OBEYED = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** The WinAnsi code of one character, or null when WinAnsi cannot show it. */
function codeOf(character: string): number | null {
  const codePoint = character.codePointAt(0) ?? 0;
  if (OBEYED.test(character)) return null;
  if (codePoint >= 0x20 && codePoint <= 0x7e) return codePoint;
  if (codePoint >= 0xa0 && codePoint <= 0xff) return codePoint;
  return HIGH_CODES.get(codePoint) ?? null;
}

/** The marker standing for a character WinAnsi cannot show: `<U+4E2D>`, or the control's visible form. */
function markerFor(character: string): string {
  if (OBEYED.test(character)) return visibleForm(character);
  return `<U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The text as WinAnsi bytes, every character it cannot show replaced by its ASCII marker. */
export function toWinAnsi(text: string): Uint8Array {
  if (PRINTABLE_ASCII.test(text)) {
    const ascii = new Uint8Array(text.length);
    for (let index = 0; index < text.length; index++) ascii[index] = text.charCodeAt(index);
    return ascii;
  }
  const bytes: number[] = [];
  for (const character of text) {
    const code = codeOf(character);
    if (code !== null) {
      bytes.push(code);
      continue;
    }
    for (const marker of markerFor(character)) bytes.push(marker.charCodeAt(0));
  }
  return Uint8Array.from(bytes);
}

/**
 * Bytes as the body of a PDF literal string: `(`, `)` and `\` escaped so that a hostile name can
 * never end the string and write PDF operators of its own; bytes outside printable ASCII as octal.
 */
export function pdfStringBody(bytes: Uint8Array): string {
  let out = '';
  let plainStart = 0;
  const flush = (end: number) => {
    for (let start = plainStart; start < end; start += 8192) out += String.fromCharCode(...bytes.subarray(start, Math.min(end, start + 8192)));
  };
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (byte >= 0x20 && byte <= 0x7e && byte !== 0x28 && byte !== 0x29 && byte !== 0x5c) continue;
    flush(index);
    out += byte === 0x28 || byte === 0x29 || byte === 0x5c ? '\\' + String.fromCharCode(byte) : '\\' + byte.toString(8).padStart(3, '0');
    plainStart = index + 1;
  }
  flush(bytes.length);
  return out;
}

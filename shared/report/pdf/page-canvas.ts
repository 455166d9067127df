import { FONT_RESOURCES, pdfNumber, type PaperSize } from './pdf-file';
import { glyphWidth, textWidth, WIDTH_TABLES, type StandardFont } from './font-metrics';
import { pdfStringBody, toWinAnsi } from './win-ansi';

/** A colour as red, green, blue from 0 to 1. */
export type Rgb = readonly [number, number, number];

/**
 * Drawing on one page, in points measured from the page's top-left corner (the PDF's own origin
 * is bottom-left). Text is WinAnsi bytes, already encoded and wrapped by the caller.
 */
export class PageCanvas {
  private readonly ops: string[] = [];

  constructor(readonly paper: PaperSize) {}

  text(x: number, top: number, font: StandardFont, size: number, bytes: Uint8Array, colour: Rgb = [0, 0, 0]): void {
    const baseline = this.paper.height - top - size * 0.8;
    this.ops.push(`${rgb(colour)} rg BT /${FONT_RESOURCES[font]} ${pdfNumber(size)} Tf ${pdfNumber(x)} ${pdfNumber(baseline)} Td (${pdfStringBody(bytes)}) Tj ET`);
  }

  /** Outside or our own text, encoded for the standard fonts. */
  plainText(x: number, top: number, font: StandardFont, size: number, text: string, colour: Rgb = [0, 0, 0]): void {
    this.text(x, top, font, size, toWinAnsi(text), colour);
  }

  rect(x: number, top: number, width: number, height: number, style: { fill?: Rgb; stroke?: Rgb; lineWidth?: number }): void {
    const y = this.paper.height - top - height;
    const paint = style.fill && style.stroke ? 'B' : style.fill ? 'f' : 'S';
    this.ops.push(
      `q ${style.fill ? `${rgb(style.fill)} rg ` : ''}${style.stroke ? `${rgb(style.stroke)} RG ` : ''}${pdfNumber(style.lineWidth ?? 0.5)} w ` +
        `${pdfNumber(x)} ${pdfNumber(y)} ${pdfNumber(width)} ${pdfNumber(height)} re ${paint} Q`,
    );
  }

  line(x1: number, top1: number, x2: number, top2: number, colour: Rgb, lineWidth = 0.6): void {
    this.ops.push(
      `q ${rgb(colour)} RG ${pdfNumber(lineWidth)} w ${pdfNumber(x1)} ${pdfNumber(this.paper.height - top1)} m ${pdfNumber(x2)} ${pdfNumber(this.paper.height - top2)} l S Q`,
    );
  }

  content(): string {
    return this.ops.join('\n');
  }
}

function rgb([red, green, blue]: Rgb): string {
  return `${pdfNumber(red)} ${pdfNumber(green)} ${pdfNumber(blue)}`;
}

/** Characters after which a line may break besides a space: paths, lists, digests' separators. */
const BREAK_AFTER = new Uint8Array(256);
for (const code of [0x20, 0x2f, 0x2c, 0x3b, 0x2d, 0x3a, 0x2e, 0x5f]) BREAK_AFTER[code] = 1;

/**
 * `bytes` broken into lines no wider than `maxWidth`: at a space or a separator where one is
 * near, inside a word (a digest, a long path) where none is. Nothing is dropped.
 */
export function wrapBytes(bytes: Uint8Array, font: StandardFont, size: number, maxWidth: number): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  let lastBreak = -1;
  let width = 0;
  const widths = WIDTH_TABLES[font];
  const scale = size / 1000;
  for (let index = 0; index < bytes.length; index++) {
    const glyph = widths[bytes[index]!]! * scale;
    if (width + glyph > maxWidth && index > start) {
      const end = lastBreak >= start ? lastBreak + 1 : index;
      lines.push(trimSpaces(bytes.subarray(start, end)));
      start = end;
      while (start < bytes.length && bytes[start] === 0x20 && start < index) start++;
      width = textWidth(font, bytes.subarray(start, index), size);
      lastBreak = -1;
    }
    width += glyph;
    if (BREAK_AFTER[bytes[index]!] === 1) lastBreak = index;
  }
  if (start < bytes.length || lines.length === 0) lines.push(trimSpaces(bytes.subarray(start)));
  return lines;
}

function trimSpaces(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0x20) end--;
  return bytes.subarray(0, end);
}

/** `text` cut to fit `maxWidth`, ending in "..." when cut. */
export function fitBytes(bytes: Uint8Array, font: StandardFont, size: number, maxWidth: number): Uint8Array {
  if (textWidth(font, bytes, size) <= maxWidth) return bytes;
  const ellipsis = toWinAnsi('...');
  const room = maxWidth - textWidth(font, ellipsis, size);
  let end = 0;
  let width = 0;
  while (end < bytes.length) {
    const glyph = (glyphWidth(font, bytes[end]!) * size) / 1000;
    if (width + glyph > room) break;
    width += glyph;
    end++;
  }
  const out = new Uint8Array(end + ellipsis.length);
  out.set(bytes.subarray(0, end));
  out.set(ellipsis, end);
  return out;
}

/**
 * Advance widths (in 1/1000 em) of the standard 14 fonts the report's PDF uses, for the
 * WinAnsiEncoding codes 32 to 255 in order: index = code - 32. A code WinAnsi leaves unassigned
 * (127, 0x81, 0x8D, 0x8F, 0x90, 0x9D) has width 0 and is never written (see win-ansi.ts).
 * Taken from the Helvetica metrics (identical to those of URW's metric-compatible Nimbus Sans);
 * Courier is monospaced at 600.
 */

export type StandardFont = 'Helvetica' | 'Helvetica-Bold' | 'Courier';

const COURIER_WIDTH = 600;

export const HELVETICA_WIDTHS: readonly number[] = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
  556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
  0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
  278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
  400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
  667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
  722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
  556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];
export const HELVETICA_BOLD_WIDTHS: readonly number[] = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
  975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
  333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
  611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
  556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
  0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
  278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
  400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
  722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
  722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
  556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
  611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];


/** Width in 1/1000 em of every byte 0 to 255 in each font: a flat table for the wrapping loop. */
export const WIDTH_TABLES: Record<StandardFont, Uint16Array> = {
  Helvetica: tableOf(HELVETICA_WIDTHS),
  'Helvetica-Bold': tableOf(HELVETICA_BOLD_WIDTHS),
  Courier: new Uint16Array(256).fill(COURIER_WIDTH),
};

function tableOf(widths: readonly number[]): Uint16Array {
  const table = new Uint16Array(256);
  widths.forEach((width, index) => (table[index + 32] = width));
  return table;
}

/** Width in 1/1000 em of one WinAnsi byte in `font`. */
export function glyphWidth(font: StandardFont, code: number): number {
  if (font === 'Courier') return COURIER_WIDTH;
  const table = font === 'Helvetica' ? HELVETICA_WIDTHS : HELVETICA_BOLD_WIDTHS;
  return table[code - 32] ?? 0;
}

/** Width in points of WinAnsi bytes set in `font` at `size` points. */
export function textWidth(font: StandardFont, bytes: Uint8Array, size: number): number {
  const widths = WIDTH_TABLES[font];
  let total = 0;
  for (let index = 0; index < bytes.length; index++) total += widths[bytes[index]!]!;
  return (total * size) / 1000;
}

/**
 * Colour for the CLI's human output. On when stdout is a terminal, off when it is not (a pipe, a
 * file, a CI log) and whenever NO_COLOR is set to anything non-empty (https://no-color.org).
 * FORCE_COLOR=1 turns it on where the output is not a terminal (a pager that shows colour, a
 * test); NO_COLOR wins over it. JSON output is never coloured.
 */

/** The SGR codes the CLI uses, and nothing else: `output.ts` lets exactly these through. */
const STYLE_CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

export type Style = keyof typeof STYLE_CODES;
export type Paint = Readonly<Record<Style, (text: string) => string>> & { readonly enabled: boolean };

/** The escape sequences a painter can write, for the output's last line of defence to keep. */
export const STYLE_SEQUENCE = new RegExp(`\\x1b\\[(?:${[...new Set(Object.values(STYLE_CODES).flat())].join('|')})m`, 'g');

export function colourWanted(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return stream.isTTY === true;
}

export function painter(enabled: boolean): Paint {
  const style = (name: Style) => {
    const [on, off] = STYLE_CODES[name];
    return enabled ? (text: string) => (text === '' ? text : `\x1b[${on}m${text}\x1b[${off}m`) : (text: string) => text;
  };
  return {
    enabled,
    bold: style('bold'),
    dim: style('dim'),
    red: style('red'),
    green: style('green'),
    yellow: style('yellow'),
    cyan: style('cyan'),
  };
}

export const PLAIN: Paint = painter(false);

/** The painter for stdout under this process's environment. */
export function stdoutPaint(): Paint {
  return painter(colourWanted(process.stdout, process.env));
}

/**
 * Rows of cells as aligned columns: each column as wide as its widest cell (by code points, so a
 * "✓" counts as one), separated by two spaces, the last column never padded. `paintCell` colours a
 * cell after it is padded, so escape sequences never count towards the width.
 */
export function alignColumns(rows: readonly (readonly string[])[], options: { indent?: string; paintCell?: (row: number, column: number, padded: string) => string } = {}): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, displayWidth(cell))));
  return rows.map((row, rowIndex) =>
    (options.indent ?? '') +
    row
      .map((cell, column) => {
        const padded = column === row.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - displayWidth(cell));
        return options.paintCell ? options.paintCell(rowIndex, column, padded) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

function displayWidth(text: string): number {
  return [...text].length;
}

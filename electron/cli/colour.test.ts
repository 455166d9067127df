import { describe, expect, it } from 'vitest';
import { alignColumns, colourWanted, painter } from './colour';
import { neutraliseKeepingStyle } from './output';

describe('colourWanted', () => {
  it('follows the terminal unless NO_COLOR or FORCE_COLOR says otherwise, NO_COLOR winning', () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({}, {})).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

describe('painter', () => {
  it('wraps text in SGR codes when on and leaves it alone when off', () => {
    expect(painter(true).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(painter(false).red('x')).toBe('x');
    expect(painter(true).bold('')).toBe('');
  });
});

describe('neutraliseKeepingStyle', () => {
  it("keeps the painter's colour codes and shows every other escape sequence", () => {
    const hostile = 'name\x1b[2J\x1b]0;title\x07\x1b[31m';
    const out = neutraliseKeepingStyle(`${painter(true).green('OK')} ${hostile}`);
    expect(out.startsWith('\x1b[32mOK\x1b[39m ')).toBe(true);
    expect(out).toContain('name\\x1b[2J\\x1b]0;title\\x07');
    // Only the painter's own sequences remain as escapes.
    expect(out.match(/\x1b/g)).toHaveLength(3);
  });
});

describe('alignColumns', () => {
  it('pads every column but the last to its widest cell, counting code points, and colours after padding', () => {
    const rows = [
      ['✓', 'counted', 'Ada Byron'],
      ['✗', 'rejection-long', 'Grace'],
    ];
    expect(alignColumns(rows, { indent: '  ' })).toEqual(['  ✓  counted         Ada Byron', '  ✗  rejection-long  Grace']);
    const painted = alignColumns(rows, { paintCell: (row, column, text) => (column === 1 && row === 0 ? painter(true).green(text) : text) });
    expect(painted[0]).toBe('✓  \x1b[32mcounted       \x1b[39m  Ada Byron');
  });
});

import { describe, it, expect } from 'vitest';
import { listHeight, rowTop, visibleRowRange } from './windowing';

const base = { rowHeight: 40, rowCount: 100_000, overscan: 5, viewportHeight: 400 };

describe('visibleRowRange', () => {
  it('renders the first screen plus overscan below at the top', () => {
    expect(visibleRowRange({ ...base, scrollTop: 0 })).toEqual({ start: 0, end: 15 });
  });

  it('renders only the rows around the viewport in the middle of a long list', () => {
    const range = visibleRowRange({ ...base, scrollTop: 40 * 50_000 + 20 });
    expect(range).toEqual({ start: 49_995, end: 50_016 });
    expect(range.end - range.start).toBeLessThan(30);
  });

  it('stops at the last row', () => {
    const range = visibleRowRange({ ...base, scrollTop: listHeight(100_000, 40) - 400 });
    expect(range.end).toBe(100_000);
    expect(range.start).toBe(99_985);
  });

  it('stays within the list when scrolled past either end (elastic scrolling)', () => {
    expect(visibleRowRange({ ...base, scrollTop: -300 }).start).toBe(0);
    const beyond = visibleRowRange({ ...base, scrollTop: listHeight(100_000, 40) + 1000 });
    expect(beyond.end).toBe(100_000);
    expect(beyond.start).toBeLessThanOrEqual(beyond.end);
  });

  it('renders at least one row while the viewport is not measured yet', () => {
    expect(visibleRowRange({ ...base, overscan: 0, viewportHeight: 0, scrollTop: 0 })).toEqual({ start: 0, end: 1 });
  });

  it('renders nothing for an empty list', () => {
    expect(visibleRowRange({ ...base, rowCount: 0, scrollTop: 0 })).toEqual({ start: 0, end: 0 });
  });

  it('lists fewer rows than a screen in full', () => {
    expect(visibleRowRange({ ...base, rowCount: 3, scrollTop: 0 })).toEqual({ start: 0, end: 3 });
  });
});

describe('list geometry', () => {
  it('places row i at i row heights and sizes the list to hold every row', () => {
    expect(rowTop(7, 40)).toBe(280);
    expect(listHeight(100_000, 40)).toBe(4_000_000);
  });
});

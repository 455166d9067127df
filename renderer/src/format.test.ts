import { describe, it, expect } from 'vitest';
import { formatBytes, formatCount, formatNumber, formatPercent, formatProgress, formatRelativeTime, formatTimeLeft } from './format';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('formatBytes', () => {
  it('prints small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('keeps one decimal below ten and none above', () => {
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(9.5 * KiB)).toBe('9.5 KiB');
    expect(formatBytes(412 * MiB)).toBe('412 MiB');
    expect(formatBytes(2 * GiB)).toBe('2.0 GiB');
  });

  it('moves to the next unit instead of printing 1024 of a unit', () => {
    expect(formatBytes(1023.7 * MiB)).toBe('1.0 GiB');
    expect(formatBytes(9.97 * MiB)).toBe('10 MiB');
  });

  it('says the size is unknown for impossible values', () => {
    expect(formatBytes(-1)).toBe('unknown size');
    expect(formatBytes(Number.NaN)).toBe('unknown size');
  });
});

describe('formatPercent', () => {
  it('rounds down so that 100 % means done', () => {
    expect(formatPercent(38.9, 100)).toBe('38 %');
    expect(formatPercent(999, 1000)).toBe('99 %');
    expect(formatPercent(1000, 1000)).toBe('100 %');
  });

  it('treats an empty job as done', () => {
    expect(formatPercent(0, 0)).toBe('100 %');
  });
});

describe('formatTimeLeft', () => {
  it('is empty while the time is unknown', () => {
    expect(formatTimeLeft(null)).toBe('');
  });

  it('uses seconds, minutes, then hours and minutes', () => {
    expect(formatTimeLeft(0.4)).toBe('almost done');
    expect(formatTimeLeft(5.2)).toBe('about 6 s left');
    expect(formatTimeLeft(150)).toBe('about 3 min left');
    expect(formatTimeLeft(3900)).toBe('about 1 h 5 min left');
    expect(formatTimeLeft(7200)).toBe('about 2 h left');
  });
});

describe('formatProgress', () => {
  it('reads like the progress line of the bundle view', () => {
    expect(formatProgress(412 * MiB, 2 * GiB, 5.5)).toBe('412 MiB of 2.0 GiB · 20 % · about 6 s left');
  });

  it('leaves the time out while it is unknown', () => {
    expect(formatProgress(0, 2 * GiB, null)).toBe('0 B of 2.0 GiB · 0 %');
  });
});

describe('formatRelativeTime', () => {
  const now = new Date(2025, 5, 15, 12, 0, 0);
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it('says how long ago in plain words', () => {
    expect(formatRelativeTime(ago(10), now)).toBe('just now');
    expect(formatRelativeTime(ago(5 * 60), now)).toBe('5 min ago');
    expect(formatRelativeTime(ago(3 * 3600), now)).toBe('3 h ago');
    expect(formatRelativeTime(ago(30 * 3600), now)).toBe('yesterday');
  });

  it('falls back to the date for older or future times', () => {
    expect(formatRelativeTime(new Date(2025, 0, 2, 9, 0).toISOString(), now)).toBe('2025-01-02');
    expect(formatRelativeTime(new Date(2025, 6, 1).toISOString(), now)).toBe('2025-07-01');
  });

  it('shows text that is not a date as it is', () => {
    expect(formatRelativeTime('not a date', now)).toBe('not a date');
  });
});

describe('formatNumber', () => {
  it('groups thousands', () => {
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(99_998)).toBe('99,998');
    expect(formatNumber(1_234_567)).toBe('1,234,567');
  });
});

describe('formatCount', () => {
  it('groups thousands and picks the plural', () => {
    expect(formatCount(1, 'file')).toBe('1 file');
    expect(formatCount(100000, 'file')).toBe('100,000 files');
    expect(formatCount(2, 'key', 'keys')).toBe('2 keys');
  });
});

import { describe, it, expect } from 'vitest';
import { MIN_SAMPLE_MS, SMOOTHING, secondsLeft, startRate, updateRate } from './eta';

const MiB = 1024 * 1024;

describe('hashing rate and time left', () => {
  it('knows no time left before a second sample', () => {
    const estimate = startRate(0, 0);
    expect(secondsLeft(estimate, 0, 100 * MiB)).toBeNull();
  });

  it('takes the first interval as the rate', () => {
    const estimate = updateRate(startRate(0, 0), 100 * MiB, 1000);
    expect(estimate.bytesPerSecond).toBe(100 * MiB);
    expect(secondsLeft(estimate, 100 * MiB, 700 * MiB)).toBe(6);
  });

  it('smooths a burst instead of jumping to it', () => {
    let estimate = updateRate(startRate(0, 0), 100 * MiB, 1000);
    estimate = updateRate(estimate, 1100 * MiB, 2000);
    const expected = SMOOTHING * 1000 * MiB + (1 - SMOOTHING) * 100 * MiB;
    expect(estimate.bytesPerSecond).toBeCloseTo(expected);
    expect(estimate.bytesPerSecond).toBeLessThan(1000 * MiB);
  });

  it('folds samples that arrive too close together into the next one', () => {
    const first = updateRate(startRate(0, 0), 100 * MiB, 1000);
    const tooSoon = updateRate(first, 900 * MiB, 1000 + MIN_SAMPLE_MS - 1);
    expect(tooSoon).toBe(first);
    const later = updateRate(tooSoon, 200 * MiB, 2000);
    expect(later.bytesPerSecond).toBeCloseTo(100 * MiB);
  });

  it('has no time left once everything is hashed and none while stalled at zero', () => {
    const estimate = updateRate(startRate(0, 0), 50 * MiB, 1000);
    expect(secondsLeft(estimate, 100 * MiB, 100 * MiB)).toBe(0);
    const stalled = updateRate(startRate(0, 0), 0, 1000);
    expect(secondsLeft(stalled, 0, 100 * MiB)).toBeNull();
  });
});

// Estimates the hashing rate from progress events and the time left from that rate.
// Progress arrives in bursts (several files finish at once, or the disk stalls), so the rate is an
// exponential moving average over samples at least MIN_SAMPLE_MS apart, not the last interval.

export interface RateEstimate {
  /** Smoothed bytes per second; null until two samples far enough apart have been seen. */
  bytesPerSecond: number | null;
  /** The sample the next interval is measured from. */
  sinceBytes: number;
  sinceMs: number;
}

/** Samples closer together than this are folded into the next one. */
export const MIN_SAMPLE_MS = 250;

/** Weight of the newest interval in the average: higher follows changes faster, lower is steadier. */
export const SMOOTHING = 0.3;

export function startRate(bytesDone: number, nowMs: number): RateEstimate {
  return { bytesPerSecond: null, sinceBytes: bytesDone, sinceMs: nowMs };
}

export function updateRate(estimate: RateEstimate, bytesDone: number, nowMs: number): RateEstimate {
  const elapsedMs = nowMs - estimate.sinceMs;
  if (elapsedMs < MIN_SAMPLE_MS) return estimate;
  const interval = (Math.max(0, bytesDone - estimate.sinceBytes) * 1000) / elapsedMs;
  const bytesPerSecond =
    estimate.bytesPerSecond === null ? interval : SMOOTHING * interval + (1 - SMOOTHING) * estimate.bytesPerSecond;
  return { bytesPerSecond, sinceBytes: bytesDone, sinceMs: nowMs };
}

/** Seconds until `bytesTotal` at the estimated rate; null while the rate is unknown or zero. */
export function secondsLeft(estimate: RateEstimate, bytesDone: number, bytesTotal: number): number | null {
  const rate = estimate.bytesPerSecond;
  if (rate === null || rate <= 0) return null;
  return Math.max(0, bytesTotal - bytesDone) / rate;
}

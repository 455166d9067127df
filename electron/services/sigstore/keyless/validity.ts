// Validity windows of the trusted root's logs and authorities.
import type { ValidityWindow } from './keyless-types';

export function isWithin(window: ValidityWindow, time: Date): boolean {
  return time >= window.start && (window.end === null || time <= window.end);
}

export function describeWindow(window: ValidityWindow): string {
  return `valid from ${window.start.toISOString()}${window.end === null ? '' : ` to ${window.end.toISOString()}`}`;
}

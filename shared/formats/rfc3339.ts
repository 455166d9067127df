import type { JsonValue } from '../json/strict-json';
import { FormatError } from './format-error';
import { expectString } from './json-fields';

/** Times (FORMATS §1): RFC 3339 in UTC, written with `T` and `Z`, e.g. `2026-11-01T12:00:00Z`. */

const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

/** Returns the time as written, after checking its syntax and that the date exists (no Feb 30). */
export function parseRfc3339Utc(value: JsonValue, path: string): string {
  const text = expectString(value, path);
  const match = RFC3339_UTC.exec(text);
  if (!match) {
    throw new FormatError(path, `expected an RFC 3339 UTC time such as "2026-11-01T12:00:00Z", got ${JSON.stringify(text)}`);
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) throw new FormatError(path, `month ${month} does not exist in ${JSON.stringify(text)}`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new FormatError(path, `day ${day} does not exist in month ${month} of ${year} in ${JSON.stringify(text)}`);
  }
  // Leap seconds (:60) are refused: JS dates cannot represent them.
  if (hour > 23 || minute > 59 || second > 59) {
    throw new FormatError(path, `time of day out of range in ${JSON.stringify(text)}`);
  }
  return text;
}

/** Milliseconds since the epoch of a time already checked by parseRfc3339Utc. */
export function rfc3339ToEpochMillis(time: string): number {
  return Date.parse(time);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

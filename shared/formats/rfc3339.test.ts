import { describe, expect, it } from 'vitest';
import { parseRfc3339Utc, rfc3339ToEpochMillis } from './rfc3339';

describe('parseRfc3339Utc', () => {
  it.each(['2026-11-01T12:00:00Z', '2024-02-29T23:59:59Z', '2000-02-29T00:00:00.5Z', '2026-12-31T00:00:00.123456789Z'])(
    'accepts %s as written',
    (time) => {
      expect(parseRfc3339Utc(time, '$.predicate.createdAt')).toBe(time);
    },
  );

  it.each([
    ['an offset instead of Z', '2026-11-01T12:00:00+00:00', 'expected an RFC 3339 UTC time'],
    ['a lowercase z', '2026-11-01T12:00:00z', 'expected an RFC 3339 UTC time'],
    ['a space instead of T', '2026-11-01 12:00:00Z', 'expected an RFC 3339 UTC time'],
    ['no seconds', '2026-11-01T12:00Z', 'expected an RFC 3339 UTC time'],
    ['a date alone', '2026-11-01', 'expected an RFC 3339 UTC time'],
    ['an empty fraction', '2026-11-01T12:00:00.Z', 'expected an RFC 3339 UTC time'],
    ['February 30', '2026-02-30T00:00:00Z', 'day 30 does not exist in month 2 of 2026'],
    ['February 29 of a common year', '2026-02-29T00:00:00Z', 'day 29 does not exist'],
    ['February 29 of 1900', '1900-02-29T00:00:00Z', 'day 29 does not exist'],
    ['April 31', '2026-04-31T00:00:00Z', 'day 31 does not exist'],
    ['day 0', '2026-04-00T00:00:00Z', 'day 0 does not exist'],
    ['month 13', '2026-13-01T00:00:00Z', 'month 13 does not exist'],
    ['hour 24', '2026-11-01T24:00:00Z', 'time of day out of range'],
    ['minute 60', '2026-11-01T12:60:00Z', 'time of day out of range'],
    ['a leap second', '2016-12-31T23:59:60Z', 'time of day out of range'],
  ])('rejects %s', (_name, time, reason) => {
    expect(() => parseRfc3339Utc(time, '$.predicate.createdAt')).toThrow(`$.predicate.createdAt: ${reason}`);
  });

  it('rejects a value that is not a string', () => {
    expect(() => parseRfc3339Utc(1730462400, '$.t')).toThrow('$.t: expected a string, got the number 1730462400');
  });

  it('converts a checked time to epoch milliseconds', () => {
    expect(rfc3339ToEpochMillis('2026-11-01T12:00:00Z')).toBe(Date.UTC(2026, 10, 1, 12));
    expect(rfc3339ToEpochMillis('2026-11-01T12:00:00.250Z')).toBe(Date.UTC(2026, 10, 1, 12, 0, 0, 250));
  });
});

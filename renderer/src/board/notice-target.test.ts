import { describe, expect, it } from 'vitest';
import { readNoticeTarget } from './notice-target';

const HEX = 'ab'.repeat(32);

describe('the target of a notice, as typed', () => {
  it('reads sha256:<hex> as a subject digest, lowercased', () => {
    expect(readNoticeTarget(` sha256:${HEX.toUpperCase()} `)).toEqual({ target: { subject: HEX } });
  });

  it('reads anything else as a lineage node ID', () => {
    expect(readNoticeTarget('dataset:transactions-q1')).toEqual({ target: { node: 'dataset:transactions-q1' } });
  });

  it.each([
    ['', /lineage node ID or a sha256/],
    [`sha256:${HEX.slice(1)}`, /64 hex digits/],
    [`sha256:${HEX.slice(1)}z`, /not hex/],
    [HEX, /sha256:<64 hex digits>/],
    ['n'.repeat(501), /at most 500/],
  ])('refuses %j in plain words', (text, problem) => {
    const read = readNoticeTarget(text);
    expect(read).toEqual({ problem: expect.stringMatching(problem) });
  });
});

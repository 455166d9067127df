import { describe, it, expect } from 'vitest';
import { actionWords, chainSummary, detailText, keyNames, shortDigest } from './audit-words';

const ADA = 'SHA256:Kn+oQZuGHKH70rClUV1wdIVPS/eE0IEUWjYdkvfpDZi';
const CI = 'SHA256:cmDSKbJGS656/+ZCnF1hLX15RhHeoyiRQopsOEMhAcQ';

describe('keyNames', () => {
  it('prefers the name you gave your own key, then the board, then pinned keys', () => {
    const names = keyNames({
      ownKeys: [{ keyId: ADA, name: 'my laptop key' }],
      board: { members: [{ name: 'Ada Byron', roles: ['risk'], keyIds: [ADA] }], producers: [{ name: 'training CI', keyIds: [CI] }] },
      pinned: [{ keyId: CI, name: 'CI (pinned)' }],
    });
    expect(names.get(ADA)).toBe('my laptop key');
    expect(names.get(CI)).toBe('training CI');
  });

  it('knows nobody without sources', () => {
    expect(keyNames({ board: null }).size).toBe(0);
  });
});

describe('chainSummary', () => {
  it('says how many entries an intact chain holds', () => {
    expect(chainSummary({ ok: true, entries: 1, head: 'ab' })).toBe('Intact: 1 entry');
    expect(chainSummary({ ok: true, entries: 12, head: 'ab' })).toBe('Intact: 12 entries');
  });

  it('points at the first broken entry and says why', () => {
    expect(chainSummary({ ok: false, entries: 9, firstBrokenId: 7, reason: 'its hash does not match its content' })).toBe(
      'Broken at entry #7: its hash does not match its content',
    );
  });
});

describe('shortDigest', () => {
  it('keeps the first 12 hex digits', () => {
    expect(shortDigest('0123456789abcdef0123')).toBe('0123456789ab…');
    expect(shortDigest('abc')).toBe('abc');
  });
});

describe('actionWords', () => {
  it('says what happened in words, and shows an unknown action as stored', () => {
    expect(actionWords('approval.refused')).toBe('Approval refused');
    expect(actionWords('board.imported')).toBe('Board policy imported');
    expect(actionWords('row.edited-by-hand')).toBe('row.edited-by-hand');
    expect(actionWords('toString')).toBe('toString');
  });
});

describe('detailText', () => {
  it('lists each detail as its name in words and its value, never a field name', () => {
    expect(detailText({ decision: 'approve', role: 'risk', conditions: ['re-review in May', 'no EU traffic'], saved: true })).toBe(
      'Decision: approve · Role: risk · Conditions: re-review in May, no EU traffic · Saved: true',
    );
    expect(detailText({ policy: { version: 2 }, expiresAt: null })).toBe('Policy: {"version":2} · Expires: —');
    expect(detailText({ keptAs: 'a.json', previousDigest: null, some_newField: 1 })).toBe('Kept as: a.json · Replaced policy digest: — · Some new field: 1');
    expect(detailText({})).toBe('');
  });
});

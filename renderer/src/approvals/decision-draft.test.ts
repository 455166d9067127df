import { describe, it, expect } from 'vitest';
import { approveInput, conditionLines, expiryTime, rolesOfKey, suggestKey, suggestRole } from './decision-draft';
import type { DecisionDraft } from './decision-draft';

const ADA = 'SHA256:Kn+oQZuGHKH70rClUV1wdIVPS/eE0IEUWjYdkvfpDZi';
const GRACE = 'SHA256:grace00000000000000000000000000000000000000';
const STRANGER = 'SHA256:stranger000000000000000000000000000000000000';
const SESSION = '0f8c2b8e-1c5a-4c7e-9a53-3d2b6f1e7a40';
const board = {
  members: [
    { name: 'Ada Byron', roles: ['risk'], keyIds: [ADA] },
    { name: 'Grace Hopper', roles: ['risk', 'privacy'], keyIds: [GRACE] },
  ],
};

const draft: DecisionDraft = { decision: 'approve', keyId: ADA, role: ' risk ', comment: '', conditions: '', expiresOn: '', saveToBundle: true };

describe('roles and keys', () => {
  it("offers the roles the key's member holds, and none for a stranger's key", () => {
    expect(rolesOfKey(board, GRACE)).toEqual(['risk', 'privacy']);
    expect(rolesOfKey(board, STRANGER)).toEqual([]);
    expect(rolesOfKey(null, ADA)).toEqual([]);
  });

  it('suggests a role whose seat is still empty', () => {
    const seats = [
      { role: 'risk', filledBy: 'Ada Byron' },
      { role: 'privacy', filledBy: null },
    ];
    expect(suggestRole(['risk', 'privacy'], seats)).toBe('privacy');
    expect(suggestRole(['risk'], seats)).toBe('risk');
    expect(suggestRole([], seats)).toBe('');
  });

  it("suggests a board member's key first", () => {
    expect(suggestKey([{ keyId: STRANGER }, { keyId: GRACE }], board)).toBe(GRACE);
    expect(suggestKey([{ keyId: STRANGER }], board)).toBe(STRANGER);
    expect(suggestKey([], board)).toBe('');
  });
});

describe('approveInput', () => {
  it('leaves out empty optional fields and trims the role', () => {
    expect(approveInput(SESSION, draft, true)).toEqual({ sessionId: SESSION, keyId: ADA, decision: 'approve', role: 'risk', saveToBundle: true });
  });

  it('takes one condition per line and the expiry at the end of the chosen day (UTC)', () => {
    const input = approveInput(SESSION, { ...draft, comment: ' Looks fine. ', conditions: 're-review in May\n\n  no EU traffic \r\n', expiresOn: '2027-01-31' }, true);
    expect(input.comment).toBe('Looks fine.');
    expect(input.conditions).toEqual(['re-review in May', 'no EU traffic']);
    expect(input.expiresAt).toBe('2027-02-01T00:00:00Z');
  });

  it('never asks to save into an archive bundle', () => {
    expect(approveInput(SESSION, draft, false).saveToBundle).toBe(false);
  });
});

describe('expiryTime and conditionLines', () => {
  it('refuses dates that do not exist', () => {
    expect(expiryTime('2027-02-30')).toBeNull();
    expect(expiryTime('tomorrow')).toBeNull();
    expect(expiryTime('2026-12-31')).toBe('2027-01-01T00:00:00Z');
  });

  it('ignores blank lines', () => {
    expect(conditionLines('\n \n')).toEqual([]);
  });
});

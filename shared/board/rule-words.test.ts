import { describe, expect, it } from 'vitest';
import type { BoardRules } from '../formats/board-policy';
import { ruleChanges, ruleSentences, seatsText } from './rule-words';

const rules: BoardRules = { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 2 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 };

describe('ruleSentences', () => {
  it('says every rule in words, with singular and plural right and no field names', () => {
    expect(ruleSentences(rules)).toEqual([
      '2 approvals from distinct members are required.',
      'Role seats to fill, each by a different member: 1 risk seat, 2 privacy seats.',
      'The author of a release may not approve it.',
      "A member's rejection blocks the release.",
      'Approvals older than 90 days no longer count.',
    ]);
    const lenient = ruleSentences({ approvalsRequired: 1, rolesRequired: { risk: 0 }, authorMayApprove: true, rejectionBlocks: false, maxApprovalAgeDays: 1 });
    expect(lenient).toEqual([
      '1 approval from distinct members is required.',
      'No role seats are required.',
      'The author of a release may approve it.',
      "A member's rejection does not block the release.",
      'Approvals older than 1 day no longer count.',
    ]);
    for (const sentence of [...ruleSentences(rules), ...lenient]) expect(sentence).not.toMatch(/[a-z][A-Z]|rolesRequired|\{/);
  });
});

describe('ruleChanges', () => {
  it('lists exactly the rules that differ', () => {
    expect(ruleChanges(rules, rules)).toEqual([]);
    expect(ruleChanges(rules, { ...rules, approvalsRequired: 3, rolesRequired: { risk: 1 }, rejectionBlocks: false })).toEqual([
      'Approvals required: 2 → 3.',
      'Role seats: 1 risk seat, 2 privacy seats → 1 risk seat.',
      "A member's rejection no longer blocks the release.",
    ]);
    expect(seatsText({})).toBe('no role seats');
  });
});

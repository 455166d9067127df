import { describe, it, expect } from 'vitest';
import type { BoardEvaluation } from '../../../shared/approvals/evaluation';
import { boardVerdict, quorumLine } from './approval-words';

type Rules = BoardEvaluation['rules'];

const rules = (counted: number, rejection: string | null): Rules => [
  { id: 'approvals-required', met: counted >= 2, summary: `${counted} of 2 required approvals by distinct members.`, details: [] },
  { id: 'no-blocking-rejection', met: rejection === null, summary: rejection ?? 'No member rejects this release.', details: [] },
];

describe('quorumLine', () => {
  it('names the count and who fills each seat', () => {
    const line = quorumLine({
      rules: rules(1, null),
      counted: [{ member: 'Ada Byron', keyId: 'SHA256:a', role: 'risk' }],
      seats: [
        { role: 'risk', seat: 1, filledBy: 'Ada Byron', keyId: 'SHA256:a' },
        { role: 'privacy', seat: 1, filledBy: null, keyId: null },
      ],
    });
    expect(line).toBe('1 of 2 approvals · risk seat: Ada Byron ✓ · privacy seat: empty');
  });

  it('numbers the seats of a role that has several', () => {
    const line = quorumLine({
      rules: rules(0, null),
      counted: [],
      seats: [
        { role: 'risk', seat: 1, filledBy: null, keyId: null },
        { role: 'risk', seat: 2, filledBy: null, keyId: null },
      ],
    });
    expect(line).toBe('0 of 2 approvals · risk seat 1: empty · risk seat 2: empty');
  });

  it('still counts when the rule does not say how many are required', () => {
    expect(quorumLine({ rules: [], counted: [], seats: [] })).toBe('0 counted approvals');
  });
});

describe('boardVerdict', () => {
  it('is Approved only when the evaluation says so', () => {
    expect(boardVerdict({ approved: true, rules: rules(2, null) })).toBe('approved');
    expect(boardVerdict({ approved: false, rules: rules(1, null) })).toBe('pending');
  });

  it('is Blocked while a member rejection stands, even with the quorum reached', () => {
    expect(boardVerdict({ approved: false, rules: rules(2, 'Rejected by Alan Turing: a member’s rejection blocks the release.') })).toBe('blocked');
  });
});

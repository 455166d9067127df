import { describe, expect, it } from 'vitest';
import type { EvaluatedApproval } from '../../../shared/approvals/evaluation';
import { myCurrentDecisions, myDecisionLine } from './my-decisions';

const MINE = 'SHA256:mine';
const OTHER = 'SHA256:other';

function approval(overrides: Partial<EvaluatedApproval>): EvaluatedApproval {
  return {
    file: 'approvals/x.dsse.json',
    reviewerKeyId: MINE,
    reviewerName: 'Alan Turing',
    role: 'privacy',
    decision: 'approve',
    reviewedAt: '2026-12-01T09:00:00Z',
    expiresAt: null,
    comment: null,
    conditions: [],
    signatureStatus: 'valid',
    unknownFields: [],
    outcome: 'counted',
    reason: 'Counts for Alan Turing.',
    ...overrides,
  };
}

describe('myCurrentDecisions', () => {
  it('keeps only my valid decisions that stand, newest first: superseded, forged and others are not mine to show', () => {
    const decisions = myCurrentDecisions(
      [
        approval({ outcome: 'duplicate', reviewedAt: '2026-11-30T09:00:00Z' }),
        approval({ decision: 'reject', outcome: 'rejection', reviewedAt: '2026-12-01T10:00:00Z' }),
        approval({ reviewerKeyId: OTHER, reviewedAt: '2026-12-02T10:00:00Z' }),
        approval({ signatureStatus: 'invalid', outcome: 'invalid', reviewedAt: '2026-12-03T10:00:00Z' }),
      ],
      [MINE],
    );
    expect(decisions.map((decision) => decision.decision)).toEqual(['reject']);
  });

  it('has no decision when I hold no key', () => {
    expect(myCurrentDecisions([approval({})], [])).toEqual([]);
  });
});

describe('myDecisionLine', () => {
  it('says what I decided, on which UTC day, in which role', () => {
    expect(myDecisionLine({ decision: 'approve', reviewedAt: '2026-12-01T23:30:00Z', role: 'privacy' })).toBe('You approved on 1 Dec 2026 as privacy');
    expect(myDecisionLine({ decision: 'abstain', reviewedAt: '2026-12-02T00:10:00Z', role: 'risk' })).toBe('You abstained on 2 Dec 2026 as risk');
  });
});

import type { EvaluatedApproval } from '../../../shared/approvals/evaluation';

type Decision = NonNullable<EvaluatedApproval['decision']>;

/** One of my decisions that stands: signed by one of my keys, valid, and not superseded by a later one of mine. */
export interface MyDecision {
  decision: Decision;
  role: string;
  reviewedAt: string;
  keyId: string;
  outcome: EvaluatedApproval['outcome'];
  /** Why it does or does not count, in the evaluation's words. */
  reason: string;
}

/**
 * The decisions of mine the board sees now, newest first. A superseded decision (outcome
 * `duplicate`) is history, not my decision; an approval that does not verify is no decision at all.
 */
export function myCurrentDecisions(approvals: readonly EvaluatedApproval[], myKeyIds: readonly string[]): MyDecision[] {
  const mine = new Set(myKeyIds);
  return approvals
    .flatMap((approval): MyDecision[] => {
      const { reviewerKeyId, decision, role, reviewedAt } = approval;
      if (reviewerKeyId === null || !mine.has(reviewerKeyId) || approval.signatureStatus !== 'valid' || approval.outcome === 'duplicate') return [];
      if (decision === null || role === null || reviewedAt === null) return [];
      return [{ decision, role, reviewedAt, keyId: reviewerKeyId, outcome: approval.outcome, reason: approval.reason }];
    })
    .sort((a, b) => (a.reviewedAt < b.reviewedAt ? 1 : a.reviewedAt > b.reviewedAt ? -1 : 0));
}

const PAST_TENSE: Record<Decision, string> = { approve: 'approved', reject: 'rejected', abstain: 'abstained' };

/** "You approved on 1 Dec 2026 as privacy". The day is the UTC day the decision names. */
export function myDecisionLine(decision: Pick<MyDecision, 'decision' | 'reviewedAt' | 'role'>): string {
  return `You ${PAST_TENSE[decision.decision]} on ${dayOf(decision.reviewedAt)} as ${decision.role}`;
}

function dayOf(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(time);
}

/** What withdrawing signs: an abstention, which supersedes my approval or rejection and counts for neither. */
export const WITHDRAWAL_COMMENT = 'Withdrawn: this abstention replaces my earlier decision.';

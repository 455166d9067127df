import type { ApprovalStatus } from '../api/commands/approvals-commands';
import type { DeploymentDiff } from '../deployment/deployment-report';
import { boardAnswer, type BoardAnswerKind } from '../review/board-answer';
import type { VerificationReport } from '../verify/report';
import type { AnswerState, BoardAnswer } from './report-document';

/** The board's judgement, or why there is none (no board policy imported, a manifest that cannot be judged). */
export type ApprovalsSource = { available: true; status: ApprovalStatus } | { available: false; reason: string };

const STATES: Record<BoardAnswerKind, { state: AnswerState; word: string }> = {
  approved: { state: 'approved', word: 'APPROVED' },
  'needs-more': { state: 'needs-more', word: 'PENDING' },
  'not-approved': { state: 'not-approved', word: 'NOT APPROVED' },
  blocked: { state: 'blocked', word: 'BLOCKED' },
  'cannot-approve': { state: 'cannot-approve', word: 'REFUSED' },
  'not-judged': { state: 'no-board', word: 'UNKNOWN' },
};

/**
 * The board's answer as the review screen gives it (shared/review/board-answer.ts), so that the
 * record and the screen say the same words, with a word for the record's headline that reads
 * without colour. Integrity comes first: a tampered or untrusted release cannot be approved.
 */
export function boardAnswerOf(verification: VerificationReport, approvals: ApprovalsSource, deployment: DeploymentDiff | null): BoardAnswer {
  const answer = boardAnswer({
    verdict: verification.verdict,
    verdictReasons: verification.reasons,
    evaluation: approvals.available ? approvals.status.evaluation : null,
    deployment: deployment === null ? null : { verdict: deployment.verdict, reasons: deployment.reasons },
  });
  const { state, word } = STATES[answer.kind];
  // Without a judgement the record says why: no board policy here, or approvals that could not be judged.
  const reasons = answer.kind === 'not-judged' && !approvals.available ? [...answer.reasons.slice(0, 1), approvals.reason] : answer.reasons;
  return { state, word, headline: answer.headline, reasons };
}

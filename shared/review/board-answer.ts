import type { BoardEvaluation } from '../approvals/evaluation';
import type { Verdict } from '../verify/report';

/**
 * The board's answer to "may this release go to production?", in the words every surface uses:
 * the app's headline, the CLI's `status` and `diff` headers and the report. Pure: it reads the
 * verification verdict, the board's evaluation and (when known) the deployment's verdict.
 *
 * - approved: every rule of the board holds (and, when a deployment is known, whether it is deployable);
 * - blocked: a member's rejection stands;
 * - needs-more: approvals or role seats are missing;
 * - not-approved: the quorum is met, yet another rule fails (an approval too old, the author's own);
 * - cannot-approve: the bundle is tampered, untrusted or invalid: no decision can make it approved;
 * - not-judged: it verifies, but no board policy is imported, so there are no rules to judge it by.
 */
export type BoardAnswerKind = 'approved' | 'blocked' | 'needs-more' | 'not-approved' | 'cannot-approve' | 'not-judged';

export interface BoardAnswer {
  kind: BoardAnswerKind;
  /** One line: "Needs 1 more: privacy seat", "Blocked by Grace Hopper's rejection", "Cannot be approved: tampered". */
  headline: string;
  /** Why, most important first; the integrity of the bundle is always the first reason. */
  reasons: string[];
  /** Whether the known deployment may ship this release; null when no deployment was judged. */
  deployable: boolean | null;
}

export interface BoardAnswerInputs {
  verdict: Verdict;
  /** The verification report's reasons for its verdict. */
  verdictReasons: readonly string[];
  /** The board's evaluation of the approvals; null when no board policy is imported. */
  evaluation: Pick<BoardEvaluation, 'approved' | 'rules' | 'seats' | 'counted' | 'approvals'> | null;
  /** The deployment's verdict when one was diffed against this release; null or absent otherwise. */
  deployment?: { verdict: 'deployable' | 'blocked'; reasons: readonly string[] } | null;
}

/** The integrity verdict as a reason reads it. */
export const INTEGRITY_WORDS: Readonly<Record<Verdict, string>> = {
  verified: 'verified',
  tampered: 'tampered',
  untrusted: 'untrusted',
  invalid: 'invalid manifest',
};

export function boardAnswer({ verdict, verdictReasons, evaluation, deployment = null }: BoardAnswerInputs): BoardAnswer {
  const integrity = integrityReasons(verdict, verdictReasons);
  if (verdict !== 'verified') {
    return { kind: 'cannot-approve', headline: `Cannot be approved: ${INTEGRITY_WORDS[verdict]}`, reasons: integrity, deployable: null };
  }
  if (evaluation === null) {
    return { kind: 'not-judged', headline: 'Not judged: no board policy imported', reasons: [...integrity, 'Import the board policy to judge the approvals by its rules.'], deployable: null };
  }
  const unmet = evaluation.rules.filter((rule) => !rule.met).map((rule) => rule.summary);
  if (evaluation.approved) {
    const quorum = evaluation.rules.filter((rule) => rule.id === 'approvals-required' || rule.id === 'roles-required').map((rule) => rule.summary);
    if (deployment === null) return { kind: 'approved', headline: 'Approved', reasons: [...integrity, ...quorum], deployable: null };
    const deployable = deployment.verdict === 'deployable';
    return {
      kind: 'approved',
      headline: deployable ? 'Approved and deployable' : 'Approved, but the deployment is blocked',
      reasons: [...integrity, ...quorum, ...(deployable ? ['The deployment ships exactly the pinned artifacts.'] : deployment.reasons)],
      deployable,
    };
  }
  const rejection = evaluation.rules.find((rule) => rule.id === 'no-blocking-rejection');
  if (rejection !== undefined && !rejection.met) {
    const rejecters = [...new Set(evaluation.approvals.filter((approval) => approval.outcome === 'rejection').map((approval) => approval.reviewerName ?? approval.reviewerKeyId ?? 'a member'))];
    const headline =
      rejecters.length === 1 ? `Blocked by ${rejecters[0]!}'s rejection` : rejecters.length === 0 ? 'Blocked by a rejection' : `Blocked by the rejections of ${listWords(rejecters)}`;
    return { kind: 'blocked', headline, reasons: [...integrity, ...unmet], deployable: null };
  }
  const missing = missingApprovals(evaluation);
  if (missing !== null) return { kind: 'needs-more', headline: missing, reasons: [...integrity, ...unmet], deployable: null };
  return { kind: 'not-approved', headline: `Not approved: ${unmet[0] ?? 'a rule of the board is not met'}`, reasons: [...integrity, ...unmet], deployable: null };
}

function integrityReasons(verdict: Verdict, reasons: readonly string[]): string[] {
  const first = `Integrity: ${INTEGRITY_WORDS[verdict]}.`;
  if (reasons.length === 0) return [first];
  return [`${first} ${reasons[0]!}`, ...reasons.slice(1)];
}

/** "Needs 1 more: privacy seat", "Needs 2 more: risk and privacy seats", "Needs 1 more approval"; null when nothing is missing. */
function missingApprovals(evaluation: NonNullable<BoardAnswerInputs['evaluation']>): string | null {
  const emptySeats = evaluation.seats.filter((seat) => seat.filledBy === null);
  const required = requiredApprovals(evaluation.rules);
  const approvalsShort = required === null ? 0 : Math.max(required - evaluation.counted.length, 0);
  const needed = Math.max(approvalsShort, emptySeats.length);
  if (needed === 0) return null;
  if (emptySeats.length === 0) return `Needs ${needed} more ${needed === 1 ? 'approval' : 'approvals'}`;
  const seats = seatWords(emptySeats.map((seat) => seat.role));
  return needed > emptySeats.length ? `Needs ${needed} more approvals, including the ${seats}` : `Needs ${needed} more: ${seats}`;
}

/** "privacy seat", "risk and privacy seats", "2 privacy seats". */
function seatWords(roles: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const role of roles) counts.set(role, (counts.get(role) ?? 0) + 1);
  const parts = [...counts].map(([role, count]) => (count === 1 ? role : `${count} ${role}`));
  return `${listWords(parts)} ${roles.length === 1 ? 'seat' : 'seats'}`;
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}

/** The policy's approvalsRequired, as the approvals-required rule states it ("1 of 2 required approvals…"). */
function requiredApprovals(rules: NonNullable<BoardAnswerInputs['evaluation']>['rules']): number | null {
  const rule = rules.find((candidate) => candidate.id === 'approvals-required');
  const match = rule === undefined ? null : /\bof (\d+) required approvals?\b/.exec(rule.summary);
  return match === null ? null : Number(match[1]);
}

import type { ApprovalStatus } from '../api/commands/approvals-commands';
import type { DeploymentDiff } from '../deployment/deployment-report';
import type { VerificationReport } from '../verify/report';
import type { BoardAnswer } from './report-document';

/** The board's judgement, or why there is none (no board policy imported, approvals unreadable). */
export type ApprovalsSource = { available: true; status: ApprovalStatus; approvalsRequired: number | null } | { available: false; reason: string };

/**
 * The board's answer to "may this release go to production, and what must we do?". Integrity
 * comes first: a tampered or untrusted release cannot be approved whatever its approvals say.
 */
export function boardAnswerOf(verification: VerificationReport, approvals: ApprovalsSource, deployment: DeploymentDiff | null): BoardAnswer {
  const integrity = verification.reasons.length > 0 ? verification.reasons : [`Integrity: ${verification.verdict}.`];
  if (verification.verdict !== 'verified') {
    const what = verification.verdict === 'untrusted' ? 'untrusted' : verification.verdict === 'tampered' ? 'tampered' : 'invalid manifest';
    return { state: 'cannot-approve', word: 'REFUSED', headline: `Cannot be approved: ${what}`, reasons: integrity };
  }
  if (!approvals.available) {
    return { state: 'no-board', word: 'UNKNOWN', headline: 'No board answer', reasons: [approvals.reason, ...integrity] };
  }
  const { evaluation } = approvals.status;
  const unmet = evaluation.rules.filter((rule) => !rule.met).map((rule) => rule.summary);
  if (evaluation.approved) {
    const headline =
      deployment === null ? 'Approved' : deployment.verdict === 'deployable' ? 'Approved and deployable' : 'Approved, but the proposed deployment is blocked';
    const deploymentReasons = deployment === null || deployment.verdict === 'deployable' ? [] : deployment.reasons;
    return { state: 'approved', word: 'APPROVED', headline, reasons: [...integrity, ...deploymentReasons] };
  }
  const blocking = evaluation.rules.find((rule) => rule.id === 'no-blocking-rejection' && !rule.met);
  if (blocking !== undefined) {
    const names = unique(evaluation.approvals.filter((approval) => approval.outcome === 'rejection').map((approval) => approval.reviewerName ?? approval.reviewerKeyId ?? 'an unnamed reviewer'));
    const who = names.length > 0 ? names.join(' and ') : 'a member';
    return { state: 'blocked', word: 'BLOCKED', headline: `Blocked by ${who}'s rejection`, reasons: [...integrity, ...unmet] };
  }
  return { state: 'needs-more', word: 'PENDING', headline: needsMoreHeadline(approvals), reasons: [...integrity, ...unmet] };
}

function needsMoreHeadline(approvals: Extract<ApprovalsSource, { available: true }>): string {
  const { evaluation } = approvals.status;
  const emptyRoles = evaluation.seats.filter((seat) => seat.filledBy === null).map((seat) => seat.role);
  const quorumShort = approvals.approvalsRequired === null ? 0 : approvals.approvalsRequired - evaluation.counted.length;
  const needed = Math.max(emptyRoles.length, quorumShort);
  if (needed <= 0) return 'Not approved yet';
  if (emptyRoles.length === 0) return `Needs ${needed} more approval${needed === 1 ? '' : 's'}`;
  const seats = unique(emptyRoles);
  return `Needs ${needed} more: ${joinWords(seats)} seat${emptyRoles.length === 1 ? '' : 's'}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}

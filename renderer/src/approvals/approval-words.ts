// How the approvals panel words and marks each state: always a word and an icon, colour only repeats them.
import type { ApprovalOutcome, BoardEvaluation, EvaluatedApproval, RoleSeat } from '../../../shared/approvals/evaluation';
import type { StatusLook } from '../common/status-words';

type Decision = NonNullable<EvaluatedApproval['decision']>;
type SignatureStatus = EvaluatedApproval['signatureStatus'];

export const DECISION_LOOK: Record<Decision, StatusLook> = {
  approve: { word: 'Approve', icon: '✓', tone: 'good' },
  reject: { word: 'Reject', icon: '✗', tone: 'bad' },
  abstain: { word: 'Abstain', icon: '–', tone: 'neutral' },
};

export const APPROVAL_SIGNATURE_LOOK: Record<SignatureStatus, StatusLook> = {
  valid: { word: 'Signature valid', icon: '✓', tone: 'good' },
  invalid: { word: 'Signature invalid', icon: '✗', tone: 'bad' },
  'unknown-key': { word: 'Unknown key', icon: '?', tone: 'warn' },
  revoked: { word: 'Key revoked', icon: '⊘', tone: 'bad' },
  malformed: { word: 'Unreadable', icon: '⊘', tone: 'bad' },
};

/** What became of an approval, as a reviewer would say it. */
export const OUTCOME_LOOK: Record<ApprovalOutcome, StatusLook> = {
  counted: { word: 'Counted', icon: '✓', tone: 'good' },
  rejection: { word: 'Rejection', icon: '✗', tone: 'bad' },
  abstain: { word: 'Abstention', icon: '–', tone: 'neutral' },
  stale: { word: 'Ignored: another manifest', icon: '!', tone: 'warn' },
  'non-member': { word: 'Ignored: not a board member', icon: '!', tone: 'warn' },
  author: { word: "Ignored: the release's author", icon: '!', tone: 'warn' },
  expired: { word: 'Ignored: expired', icon: '!', tone: 'warn' },
  'too-old': { word: 'Ignored: too old', icon: '!', tone: 'warn' },
  revoked: { word: 'Ignored: revoked key', icon: '⊘', tone: 'bad' },
  invalid: { word: 'Ignored: invalid', icon: '✗', tone: 'bad' },
  duplicate: { word: 'Superseded', icon: '–', tone: 'neutral' },
  'role-not-held': { word: 'Ignored: role not held', icon: '!', tone: 'warn' },
  'policy-mismatch': { word: 'Ignored: another board policy', icon: '!', tone: 'warn' },
};

export const RULE_LOOK: Record<'met' | 'not-met', StatusLook> = {
  met: { word: 'Met', icon: '✓', tone: 'good' },
  'not-met': { word: 'Not met', icon: '✗', tone: 'bad' },
};

export type BoardVerdict = 'approved' | 'blocked' | 'pending';

export const BOARD_VERDICT_LOOK: Record<BoardVerdict, StatusLook> = {
  approved: { word: 'Approved', icon: '✓', tone: 'good' },
  blocked: { word: 'Blocked', icon: '✗', tone: 'bad' },
  pending: { word: 'Not approved yet', icon: '…', tone: 'warn' },
};

/** Approved when every rule holds; blocked when a member's rejection stands; otherwise still waiting. */
export function boardVerdict(evaluation: Pick<BoardEvaluation, 'approved' | 'rules'>): BoardVerdict {
  if (evaluation.approved) return 'approved';
  const rejection = evaluation.rules.find((rule) => rule.id === 'no-blocking-rejection');
  return rejection !== undefined && !rejection.met ? 'blocked' : 'pending';
}

/** "risk seat: Ada Byron ✓", "privacy seat 2: empty" (the seat number only where a role has several). */
export function seatLine(seat: RoleSeat, seatsOfRole: number): string {
  const name = seatsOfRole > 1 ? `${seat.role} seat ${seat.seat}` : `${seat.role} seat`;
  return seat.filledBy === null ? `${name}: empty` : `${name}: ${seat.filledBy} ✓`;
}

/**
 * The quorum at a glance: "1 of 2 approvals · risk seat: Ada Byron ✓ · privacy seat: empty". The
 * count comes from the approvals-required rule, which says how many the policy asks for.
 */
export function quorumLine(evaluation: Pick<BoardEvaluation, 'rules' | 'seats' | 'counted'>): string {
  const required = requiredApprovals(evaluation.rules);
  const count = required === null ? `${evaluation.counted.length} counted` : `${Math.min(evaluation.counted.length, required)} of ${required}`;
  const parts = [`${count} ${required === 1 ? 'approval' : 'approvals'}`];
  const perRole = new Map<string, number>();
  for (const seat of evaluation.seats) perRole.set(seat.role, (perRole.get(seat.role) ?? 0) + 1);
  for (const seat of evaluation.seats) parts.push(seatLine(seat, perRole.get(seat.role) ?? 1));
  return parts.join(' · ');
}

/** The policy's approvalsRequired, read from the rule's summary ("1 of 2 required approvals…"). */
function requiredApprovals(rules: BoardEvaluation['rules']): number | null {
  const rule = rules.find((candidate) => candidate.id === 'approvals-required');
  const match = rule === undefined ? null : /\bof (\d+) required approvals?\b/.exec(rule.summary);
  return match === null ? null : Number(match[1]);
}

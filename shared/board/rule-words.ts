import type { BoardRules } from '../formats/board-policy';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Role seats in plain words: "1 risk seat, 2 privacy seats". */
export function seatsText(rolesRequired: Readonly<Record<string, number>>): string {
  const seats = Object.entries(rolesRequired).filter(([, n]) => n > 0);
  if (seats.length === 0) return 'no role seats';
  return seats.map(([role, n]) => `${n} ${role} ${n === 1 ? 'seat' : 'seats'}`).join(', ');
}

/** A board's rules as the sentences a reviewer reads, one per rule, in the order FORMATS §6 gives them. */
export function ruleSentences(rules: BoardRules): string[] {
  return [
    `${count(rules.approvalsRequired, 'approval', 'approvals')} from distinct members ${rules.approvalsRequired === 1 ? 'is' : 'are'} required.`,
    Object.values(rules.rolesRequired).some((n) => n > 0) ? `Role seats to fill, each by a different member: ${seatsText(rules.rolesRequired)}.` : 'No role seats are required.',
    rules.authorMayApprove ? 'The author of a release may approve it.' : 'The author of a release may not approve it.',
    rules.rejectionBlocks ? "A member's rejection blocks the release." : "A member's rejection does not block the release.",
    `Approvals older than ${count(rules.maxApprovalAgeDays, 'day', 'days')} no longer count.`,
  ];
}

/** What changed between two sets of rules, one line per rule that differs. */
export function ruleChanges(before: BoardRules, after: BoardRules): string[] {
  const changes: string[] = [];
  if (before.approvalsRequired !== after.approvalsRequired) changes.push(`Approvals required: ${before.approvalsRequired} → ${after.approvalsRequired}.`);
  if (seatsText(before.rolesRequired) !== seatsText(after.rolesRequired)) changes.push(`Role seats: ${seatsText(before.rolesRequired)} → ${seatsText(after.rolesRequired)}.`);
  if (before.authorMayApprove !== after.authorMayApprove) changes.push(after.authorMayApprove ? 'The author of a release may now approve it.' : 'The author of a release may no longer approve it.');
  if (before.rejectionBlocks !== after.rejectionBlocks) changes.push(after.rejectionBlocks ? "A member's rejection now blocks the release." : "A member's rejection no longer blocks the release.");
  if (before.maxApprovalAgeDays !== after.maxApprovalAgeDays) changes.push(`Approvals count for ${count(before.maxApprovalAgeDays, 'day', 'days')} → ${count(after.maxApprovalAgeDays, 'day', 'days')}.`);
  return changes;
}

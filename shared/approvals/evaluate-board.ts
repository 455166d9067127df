import type { BoardMember, BoardPolicy } from '../formats/board-policy';
import { rfc3339ToEpochMillis } from '../formats/rfc3339';
import type { ApprovalStatement, Decision } from './approval-statement';
import { indexBoardKeys, type BoardKeyOwners } from './board-keys';
import type { CheckedApproval } from './check-approval';
import type { ApprovalOutcome, BoardEvaluation, BoardRuleResult, CountedApproval, EvaluatedApproval, RoleSeat } from './evaluation';
import { matchSeats } from './seat-matching';

/**
 * Evaluates FORMATS §6 for one manifest. Decisions the format leaves open, taken here:
 *
 * - Members, not keys, are counted: a member's approvals are grouped by member, and the latest
 *   `reviewedAt` wins (ties: reject, then abstain, then approve). Earlier or identical decisions
 *   are `duplicate`. A later abstain or reject therefore withdraws an approval.
 * - An approval counts only under the current board policy: one made under another policy digest
 *   is `policy-mismatch`, and the member must re-approve, because the rules they agreed to (the
 *   members, the seats, the revoked keys) may have changed.
 * - A member's current reject blocks (when `rejectionBlocks`) whatever its age, expiry or policy
 *   digest, until the same member records a newer decision: failing closed. The author's
 *   rejection blocks too: exclusion applies to approvals only.
 * - The role an approval names must be one the member holds (`role-not-held` otherwise). Seats
 *   are then filled, as FORMATS §6 says, by members who hold the seat's role: a counted member
 *   may take any required role they hold, the named role preferred when several matchings exist.
 * - Expired and too-old approvals do not count, and the approval-age rule fails while a member's
 *   current approval is expired or too old (FORMATS §6: "no approval is older ... or past its
 *   expiresAt"): the member renews it, or abstains.
 * - An approval dated more than five minutes after `now` does not count: a future date would
 *   stretch the maximum age.
 * - Keys pinned on this machine and producer keys never approve: only members' keys do. A key
 *   listed for several members identifies none of them, and its approvals are `invalid`.
 * - author-excluded is always met: it is enforced by not counting the author's approvals, and
 *   says whose approvals it excluded.
 */

export interface BoardManifestFacts {
  /** sha256 hex of the manifest payload bytes. */
  digest: string;
  releaseName: string | null;
  releaseVersion: string | null;
  createdBy: string | null;
  /** Key IDs of the manifest's valid signatures under trusted, unrevoked keys. */
  signerKeyIds: string[];
  /**
   * Why the release's files do not hold (a blob differs from its subject), in words; null when
   * every blob checked matches. Kept apart from the signatures, so that a tampered blob is never
   * reported as a missing signature.
   */
  contentProblem?: string | null;
}

export interface BoardEvaluationInput {
  policy: BoardPolicy;
  /** sha256 hex of the board policy file's bytes. */
  policyDigest: string;
  manifest: BoardManifestFacts;
  approvals: CheckedApproval[];
  now: Date;
}

const MS_PER_DAY = 24 * 60 * 60 * 1000;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const DECISION_PRECEDENCE: Record<Decision, number> = { reject: 0, abstain: 1, approve: 2 };

/** An approval that is a member's signed decision on this manifest, before the latest one is chosen. */
interface MemberDecision {
  index: number;
  member: BoardMember;
  keyId: string;
  statement: ApprovalStatement;
}

type Verdict = { outcome: ApprovalOutcome; reason: string };

export function evaluateBoard(input: BoardEvaluationInput): BoardEvaluation {
  const { policy, manifest, approvals, now } = input;
  const keys = indexBoardKeys(policy);
  const revoked = new Set(policy.revokedKeys);
  const authorMember = manifest.createdBy === null ? null : (soleMember(keys.get(manifest.createdBy)) ?? null);
  const excludedAuthor = policy.rules.authorMayApprove ? null : authorMember;

  const verdicts: (Verdict | null)[] = approvals.map(() => null);
  const decisionsByMember = new Map<BoardMember, MemberDecision[]>();
  approvals.forEach((approval, index) => {
    const screened = screenApproval(approval, index, { keys, revoked, manifestDigest: manifest.digest });
    if ('outcome' in screened) {
      verdicts[index] = screened;
      return;
    }
    const decisions = decisionsByMember.get(screened.member) ?? [];
    decisions.push(screened);
    decisionsByMember.set(screened.member, decisions);
  });

  const current: MemberDecision[] = [];
  for (const decisions of decisionsByMember.values()) {
    const [latest, ...older] = [...decisions].sort(byLatestDecision);
    if (latest === undefined) continue;
    current.push(latest);
    for (const decision of older) verdicts[decision.index] = { outcome: 'duplicate', reason: describeSuperseded(decision, latest, approvals) };
  }
  for (const decision of current) {
    verdicts[decision.index] = judgeDecision(decision, { input, excludedAuthor });
  }

  const countedDecisions = current.filter((decision) => verdicts[decision.index]?.outcome === 'counted').sort((a, b) => a.index - b.index);
  const seats = fillSeats(policy, countedDecisions);
  for (const seat of seats) {
    const decision = countedDecisions.find((candidate) => candidate.member.name === seat.filledBy);
    if (decision !== undefined) verdicts[decision.index] = { outcome: 'counted', reason: `Counts for ${decision.member.name}, who fills ${seat.role} seat ${seat.seat}.` };
  }

  const evaluated = approvals.map((approval, index) => describeApproval(approval, verdicts[index] ?? invalidVerdict('not evaluated'), keys));
  const counted: CountedApproval[] = countedDecisions.map((decision) => ({ member: decision.member.name, keyId: decision.keyId, role: decision.statement.predicate.role }));
  const rules = [
    releaseIntactRule(manifest),
    manifestSignedRule(policy, manifest, keys, revoked),
    approvalsRequiredRule(policy, counted, excludedAuthor),
    rolesRequiredRule(policy, seats, excludedAuthor),
    authorExcludedRule(policy, manifest.createdBy, keys, authorMember, evaluated),
    noBlockingRejectionRule(policy, evaluated),
    approvalAgeRule(policy, evaluated),
  ];

  return {
    approved: rules.every((rule) => rule.met),
    manifestDigest: manifest.digest,
    policyDigest: input.policyDigest,
    board: policy.board,
    author: manifest.createdBy === null ? null : { keyId: manifest.createdBy, member: authorMember?.name ?? null },
    rules,
    seats,
    counted,
    approvals: evaluated,
    evaluatedAt: now.toISOString(),
  };
}

/** The checks that need no other approval: readable, well signed, by a member, of this manifest. */
function screenApproval(
  approval: CheckedApproval,
  index: number,
  context: { keys: Map<string, BoardKeyOwners>; revoked: ReadonlySet<string>; manifestDigest: string },
): Verdict | MemberDecision {
  const { statement, signerKeyId } = approval;
  if (statement === null) return invalidVerdict(approval.problem ?? 'It cannot be read as an approval.');
  const claimed = statement.predicate.reviewer;
  switch (approval.signatureStatus) {
    case 'malformed':
    case 'invalid':
      return invalidVerdict(approval.problem ?? 'Its signature does not verify.');
    case 'revoked':
      return { outcome: 'revoked', reason: `Signed with ${signerKeyId ?? 'a key'}, which the board has revoked; it counts for nothing.` };
    case 'unknown-key': {
      const claimedMember = soleMember(context.keys.get(claimed));
      if (claimedMember !== undefined) {
        return invalidVerdict(`It names ${claimedMember.name}'s key ${claimed} as reviewer, but no signature verifies under that key.`);
      }
      return { outcome: 'non-member', reason: `Signed by a key that is not on the board (it names ${claimed}); ignored.` };
    }
    case 'valid':
      break;
  }
  if (signerKeyId === null) return invalidVerdict('No signing key was identified.');
  if (claimed !== signerKeyId) {
    return invalidVerdict(`It names reviewer ${claimed} but is signed with ${signerKeyId}; the reviewer must be the signing key.`);
  }
  if (approval.problem !== null) return invalidVerdict(approval.problem);
  if (context.revoked.has(signerKeyId)) {
    return { outcome: 'revoked', reason: `Signed with ${signerKeyId}, which the board has revoked; it counts for nothing.` };
  }
  const owners = context.keys.get(signerKeyId);
  const members = owners?.members ?? [];
  if (members.length > 1) {
    return invalidVerdict(`The key ${signerKeyId} is listed for several members (${members.map((m) => m.name).join(', ')}), so it cannot say which member decided.`);
  }
  const member = members[0];
  if (member === undefined) {
    const who = owners?.producers[0] !== undefined ? `the producer ${owners.producers[0]}` : 'a key that is not on the board';
    return { outcome: 'non-member', reason: `Signed by ${who} (${signerKeyId}); only board members' approvals count. Ignored.` };
  }
  if (statement.manifestDigest !== context.manifestDigest) {
    return {
      outcome: 'stale',
      reason: `It approves another manifest (sha256 ${abbreviateDigest(statement.manifestDigest)}, ${statement.subjectName}); a changed manifest needs new approvals. Ignored.`,
    };
  }
  return { index, member, keyId: signerKeyId, statement };
}

/** Judges a member's latest decision on this manifest. */
function judgeDecision(decision: MemberDecision, context: { input: BoardEvaluationInput; excludedAuthor: BoardMember | null }): Verdict {
  const { policy, policyDigest, now } = context.input;
  const { member, statement } = decision;
  const { predicate } = statement;
  const otherPolicy = predicate.policyDigest !== policyDigest;

  if (predicate.decision === 'reject') {
    const notes = [
      otherPolicy ? ' It was made under another board policy.' : '',
      isExpired(predicate.expiresAt, now) ? ` It expired at ${predicate.expiresAt ?? ''}.` : '',
    ].join('');
    return {
      outcome: 'rejection',
      reason: policy.rules.rejectionBlocks
        ? `${member.name} rejects this release; it stays blocked until ${member.name} records a newer decision.${notes}`
        : `${member.name} rejects this release; rejections do not block under this policy.`,
    };
  }
  if (predicate.decision === 'abstain') return { outcome: 'abstain', reason: `${member.name} abstains.` };

  if (context.excludedAuthor === member) {
    return { outcome: 'author', reason: `${member.name} holds the key that created this manifest, and the author may not approve it.` };
  }
  if (otherPolicy) {
    return {
      outcome: 'policy-mismatch',
      reason: `Made under another board policy (sha256 ${abbreviateDigest(predicate.policyDigest)}); ${member.name} must approve again under the current one.`,
    };
  }
  if (!member.roles.includes(predicate.role)) {
    const held = member.roles.length > 0 ? member.roles.join(', ') : 'no role';
    return { outcome: 'role-not-held', reason: `It approves as ${predicate.role}, but ${member.name} holds ${held} on this board.` };
  }
  const reviewedAt = rfc3339ToEpochMillis(predicate.reviewedAt);
  if (reviewedAt > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return invalidVerdict(`It is dated ${predicate.reviewedAt}, in the future; it counts from that time on.`);
  }
  if (isExpired(predicate.expiresAt, now)) {
    return { outcome: 'expired', reason: `It expired at ${predicate.expiresAt ?? ''}; ${member.name} must approve again.` };
  }
  const maxDays = policy.rules.maxApprovalAgeDays;
  if (now.getTime() - reviewedAt > maxDays * MS_PER_DAY) {
    const days = Math.floor((now.getTime() - reviewedAt) / MS_PER_DAY);
    return { outcome: 'too-old', reason: `Made ${days} days ago (${predicate.reviewedAt}); the board accepts approvals up to ${maxDays} days old. ${member.name} must approve again.` };
  }
  return { outcome: 'counted', reason: `Counts for ${member.name}.` };
}

function fillSeats(policy: BoardPolicy, counted: readonly MemberDecision[]): RoleSeat[] {
  const seatRoles = Object.entries(policy.rules.rolesRequired).flatMap(([role, count]) => Array.from({ length: count }, () => role));
  const candidates = counted.map((decision) => {
    const stated = decision.statement.predicate.role;
    return { roles: [stated, ...decision.member.roles.filter((role) => role !== stated)] };
  });
  const holders = matchSeats(seatRoles, candidates);
  return seatRoles.map((role, seatIndex) => {
    const holder = holders[seatIndex];
    const decision = holder === null || holder === undefined ? undefined : counted[holder];
    return {
      role,
      seat: seatRoles.slice(0, seatIndex + 1).filter((r) => r === role).length,
      filledBy: decision?.member.name ?? null,
      keyId: decision?.keyId ?? null,
    };
  });
}

function releaseIntactRule(manifest: BoardManifestFacts): BoardRuleResult {
  const problem = manifest.contentProblem ?? null;
  if (problem === null) return { id: 'release-intact', met: true, summary: 'Every file the bundle ships matches the digest the manifest pins.', details: [] };
  return { id: 'release-intact', met: false, summary: `The release's files do not match its manifest: ${problem}`, details: [] };
}

function manifestSignedRule(policy: BoardPolicy, manifest: BoardManifestFacts, keys: Map<string, BoardKeyOwners>, revoked: ReadonlySet<string>): BoardRuleResult {
  const rule = (met: boolean, summary: string): BoardRuleResult => ({ id: 'manifest-signed', met, summary, details });
  const details = manifest.signerKeyIds.map((keyId) => `Signed with ${keyId}: ${describeOwner(keys.get(keyId), revoked.has(keyId))}.`);
  const { createdBy } = manifest;
  if (createdBy === null) return rule(false, 'The manifest names no author (createdBy), so the board cannot check who made it.');
  const authorOwner = keys.get(createdBy);
  if (revoked.has(createdBy)) return rule(false, `The author's key ${createdBy} is revoked by the board.`);
  if (authorOwner === undefined) {
    return rule(false, `The author's key ${createdBy} belongs to no member or producer of ${policy.board}; keys pinned on this machine do not satisfy a board.`);
  }
  if (!manifest.signerKeyIds.includes(createdBy)) return rule(false, `The author's key ${createdBy} (${describeOwner(authorOwner, false)}) did not sign the manifest.`);
  return rule(true, `Signed by its author, ${describeOwner(authorOwner, false)} (${createdBy}).`);
}

function approvalsRequiredRule(policy: BoardPolicy, counted: readonly CountedApproval[], excludedAuthor: BoardMember | null): BoardRuleResult {
  const required = policy.rules.approvalsRequired;
  const details = counted.map((entry) => `${entry.member} approves as ${entry.role} (${entry.keyId}).`);
  const missing = required - counted.length;
  if (missing > 0) {
    const eligible = policy.members.filter((member) => member !== excludedAuthor && !counted.some((entry) => entry.member === member.name));
    details.push(`Needs ${plural(missing, 'more approval')} from ${eligible.map((member) => member.name).join(', ') || 'other members'}.`);
  }
  return {
    id: 'approvals-required',
    met: missing <= 0,
    summary: `${Math.min(counted.length, required)} of ${plural(required, 'required approval')} by distinct members${counted.length > required ? ` (${counted.length} counted)` : ''}.`,
    details,
  };
}

function rolesRequiredRule(policy: BoardPolicy, seats: readonly RoleSeat[], excludedAuthor: BoardMember | null): BoardRuleResult {
  if (seats.length === 0) return { id: 'roles-required', met: true, summary: 'No role seats are required.', details: [] };
  const filled = seats.filter((seat) => seat.filledBy !== null).length;
  const seated = new Set(seats.map((seat) => seat.filledBy));
  const details = seats.map((seat) => {
    if (seat.filledBy !== null) return `${seat.role} seat ${seat.seat}: ${seat.filledBy}.`;
    // A maximum matching leaves a seat empty only when every unseated holder of its role has no counted approval.
    const holders = policy.members.filter((member) => member !== excludedAuthor && member.roles.includes(seat.role) && !seated.has(member.name));
    const hint = holders.length > 0 ? ` (needs an approval from ${holders.map((member) => member.name).join(' or ')})` : '';
    return `${seat.role} seat ${seat.seat}: empty${hint}.`;
  });
  return {
    id: 'roles-required',
    met: filled === seats.length,
    summary: `${filled} of ${plural(seats.length, 'role seat')} filled, each by a different member.`,
    details,
  };
}

function authorExcludedRule(
  policy: BoardPolicy,
  createdBy: string | null,
  keys: Map<string, BoardKeyOwners>,
  authorMember: BoardMember | null,
  evaluated: readonly EvaluatedApproval[],
): BoardRuleResult {
  const rule = (summary: string, details: string[] = []): BoardRuleResult => ({ id: 'author-excluded', met: true, summary, details });
  if (policy.rules.authorMayApprove) return rule('The author may approve under this policy.');
  if (authorMember === null) {
    const producer = createdBy === null ? undefined : keys.get(createdBy)?.producers[0];
    return rule(producer !== undefined ? `The author signs with a producer key (${producer}): no member is excluded.` : 'No member holds the author key: no member is excluded.');
  }
  const excluded = evaluated.filter((approval) => approval.outcome === 'author').map((approval) => `${approval.file ?? 'An approval'} by ${authorMember.name} does not count.`);
  return rule(`${authorMember.name} is the author (${createdBy ?? ''}); their approvals count for nothing.`, excluded);
}

function noBlockingRejectionRule(policy: BoardPolicy, evaluated: readonly EvaluatedApproval[]): BoardRuleResult {
  const rejections = evaluated.filter((approval) => approval.outcome === 'rejection');
  const details = rejections.map((approval) => `${approval.reviewerName ?? approval.reviewerKeyId ?? 'A member'} rejects${approval.comment ? `: ${approval.comment}` : '.'}`);
  if (!policy.rules.rejectionBlocks) {
    return { id: 'no-blocking-rejection', met: true, summary: `Rejections do not block under this policy (${plural(rejections.length, 'rejection')}).`, details };
  }
  if (rejections.length === 0) return { id: 'no-blocking-rejection', met: true, summary: 'No member rejects this release.', details };
  const who = [...new Set(rejections.map((approval) => approval.reviewerName ?? approval.reviewerKeyId ?? 'a member'))].join(', ');
  return { id: 'no-blocking-rejection', met: false, summary: `Rejected by ${who}: a member's rejection blocks the release.`, details };
}

function approvalAgeRule(policy: BoardPolicy, evaluated: readonly EvaluatedApproval[]): BoardRuleResult {
  const old = evaluated.filter((approval) => approval.outcome === 'expired' || approval.outcome === 'too-old');
  const limit = `past its expiresAt or older than ${plural(policy.rules.maxApprovalAgeDays, 'day')}`;
  return {
    id: 'approval-age',
    met: old.length === 0,
    summary: old.length === 0 ? `No member's current approval is ${limit}.` : `${plural(old.length, 'approval')} ${old.length === 1 ? 'is' : 'are'} ${limit}: renew or withdraw them.`,
    details: old.map((approval) => `${approval.file ?? 'An approval'}: ${approval.reason}`),
  };
}

function describeApproval(approval: CheckedApproval, verdict: Verdict, keys: Map<string, BoardKeyOwners>): EvaluatedApproval {
  const predicate = approval.statement?.predicate ?? null;
  const reviewerKeyId = approval.signerKeyId ?? predicate?.reviewer ?? null;
  const owners = reviewerKeyId === null ? undefined : keys.get(reviewerKeyId);
  return {
    file: approval.file,
    reviewerKeyId,
    reviewerName: owners?.members[0]?.name ?? owners?.producers[0] ?? null,
    role: predicate?.role ?? null,
    decision: predicate?.decision ?? null,
    reviewedAt: predicate?.reviewedAt ?? null,
    expiresAt: predicate?.expiresAt ?? null,
    comment: predicate?.comment ?? null,
    conditions: predicate?.conditions ?? [],
    signatureStatus: approval.signatureStatus,
    outcome: verdict.outcome,
    reason: verdict.reason,
  };
}

/** Latest first; at the same time the most cautious decision first; then the order given. */
function byLatestDecision(a: MemberDecision, b: MemberDecision): number {
  const time = rfc3339ToEpochMillis(b.statement.predicate.reviewedAt) - rfc3339ToEpochMillis(a.statement.predicate.reviewedAt);
  if (time !== 0) return time;
  const precedence = DECISION_PRECEDENCE[a.statement.predicate.decision] - DECISION_PRECEDENCE[b.statement.predicate.decision];
  return precedence !== 0 ? precedence : a.index - b.index;
}

function describeSuperseded(decision: MemberDecision, latest: MemberDecision, approvals: readonly CheckedApproval[]): string {
  const where = approvals[latest.index]?.file ?? 'another approval';
  const a = decision.statement.predicate;
  const b = latest.statement.predicate;
  if (a.reviewedAt === b.reviewedAt && a.decision === b.decision && a.role === b.role) {
    return `The same decision by ${decision.member.name} as ${where}; a member counts once.`;
  }
  return `Superseded by ${latest.member.name}'s later decision (${b.decision}, ${b.reviewedAt}) in ${where}.`;
}

function isExpired(expiresAt: string | null, now: Date): boolean {
  return expiresAt !== null && rfc3339ToEpochMillis(expiresAt) <= now.getTime();
}

/** The one member holding a key; undefined when none or several do. */
function soleMember(owners: BoardKeyOwners | undefined): BoardMember | undefined {
  return owners?.members.length === 1 ? owners.members[0] : undefined;
}

function describeOwner(owners: BoardKeyOwners | undefined, isRevoked: boolean): string {
  if (owners === undefined) return 'not a board key';
  const names = [...owners.members.map((member) => `${member.name} (member)`), ...owners.producers.map((name) => `${name} (producer)`)];
  return `${names.join(', ')}${isRevoked ? ', revoked' : ''}`;
}

function invalidVerdict(reason: string): Verdict {
  return { outcome: 'invalid', reason };
}

function abbreviateDigest(digest: string): string {
  return `${digest.slice(0, 12)}…`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

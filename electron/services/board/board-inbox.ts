import { join } from 'node:path';
import type { BoardInbox } from '../../../shared/api/contract';
import { readEnvelope } from '../../../shared/crypto/dsse';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { parseApprovalStatement } from '../../../shared/approvals/approval-statement';
import { checkApprovalEnvelope, MAX_APPROVAL_BYTES, type CheckedApproval } from '../../../shared/approvals/check-approval';
import { evaluateBoard } from '../../../shared/approvals/evaluate-board';
import { classifyBoardPath } from '../../../shared/board-repo/board-paths';
import { newestFirst } from '../../../shared/board-repo/inbox-order';
import { noticesAgainst } from '../../../shared/board-repo/reopened';
import type { BoardRelease, VerifiedBoard } from '../../../shared/board-repo/verify-board';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { rfc3339ToEpochMillis } from '../../../shared/formats/rfc3339';
import { boardAnswer } from '../../../shared/review/board-answer';
import { checkManifest } from '../../../shared/verify/check-manifest';
import { buildTrustContext, type TrustContext } from '../../../shared/verify/trust';
import type { Verdict } from '../../../shared/verify/report';
import type { BoardService } from './board-service';

type InboxItem = NonNullable<BoardInbox>['items'][number];

/**
 * The reviewer's inbox: releases published to the board that wait for the member deciding from
 * this machine, with the board's answer for each, newest first. Read from the board as accepted
 * here (no network). A decision still in the queue counts as made: it only waits to be pushed.
 */
export async function boardInbox(service: BoardService, now: Date = new Date()): Promise<BoardInbox> {
  if (!(await service.home.exists())) return null;
  const { settings, board } = await service.status();
  const lastSync = settings.lastSync === null ? null : { at: settings.lastSync.at, outcome: settings.lastSync.outcome };
  const inForce = board.chain[board.chain.length - 1];
  const member = inForce === undefined || settings.memberKeyId === null ? undefined : inForce.policy.members.find((candidate) => memberHoldsKey(candidate.keys, settings.memberKeyId!));
  if (inForce === undefined || member === undefined) return { memberName: null, lastSync, items: [] };

  const policyTrust = buildTrustContext({ source: 'board-file', board: inForce.policy });
  // Keys their holders revoked on the board count for nothing, like the policy's own revoked keys.
  const trust: TrustContext = { ...policyTrust, revokedKeyIds: new Set([...policyTrust.revokedKeyIds, ...board.revocations.keys()]) };
  const memberKeyIds = new Set(trust.keys.filter((key) => key.source === 'member' && key.name === member.name).map((key) => key.keyId));
  const queued = queuedDecisions(await service.home.queue(), memberKeyIds);

  const items: InboxItem[] = [];
  for (const release of board.releases.values()) {
    const item = inboxItem(release, board, { trust, policy: inForce, memberKeyIds, queued, now, acceptedDir: join(service.home.root, 'accepted') });
    if (item !== null) items.push(item);
  }
  return { memberName: member.name, lastSync, items: newestFirst(items) };
}

interface InboxContext {
  trust: TrustContext;
  policy: VerifiedBoard['chain'][number];
  memberKeyIds: ReadonlySet<string>;
  /** manifest digest -> reviewedAt (ms) of this member's decisions waiting in the queue. */
  queued: ReadonlyMap<string, number[]>;
  now: Date;
  acceptedDir: string;
}

function inboxItem(release: BoardRelease, board: VerifiedBoard, context: InboxContext): InboxItem | null {
  const { notices, approvalsBefore } = noticesAgainst(board, release.manifestDigest);
  const checked = (board.approvals.get(release.manifestDigest) ?? []).map((file) => checkApprovalEnvelope(file.path, file.bytes, context.trust));
  const mine = checked
    .filter((approval) => approval.statement !== null && approval.signerKeyId !== null && context.memberKeyIds.has(approval.signerKeyId))
    .map((approval) => approval.statement!.predicate)
    .sort((a, b) => rfc3339ToEpochMillis(b.reviewedAt) - rfc3339ToEpochMillis(a.reviewedAt));
  const decidedAt = [...mine.map((decision) => rfc3339ToEpochMillis(decision.reviewedAt)), ...(context.queued.get(release.manifestDigest) ?? [])];
  // Times are to the second: a decision in the notice's own second is re-opened too (decide again, never miss a notice).
  const stillCounts = (at: number) => approvalsBefore === null || at > approvalsBefore;
  if (decidedAt.some(stillCounts)) return null;

  const why = `A notice on the board re-opened this release (${notices.map((notice) => notice.reason).join('; ')}): decide again.`;
  const reopened: CheckedApproval[] = checked.map((approval) =>
    approval.statement !== null && approval.problem === null && !stillCounts(rfc3339ToEpochMillis(approval.statement.predicate.reviewedAt)) ? { ...approval, problem: why } : approval,
  );
  const manifest = checkManifest(release.envelopeBytes, context.trust);
  const summary = manifest.summary;
  const signerKeyIds = manifest.signatures.filter((signature) => signature.status === 'valid' && signature.keyId !== null).map((signature) => signature.keyId!);
  const verdict: Verdict = summary === null || manifest.manifest?.understood !== true ? 'invalid' : signerKeyIds.length === 0 ? 'untrusted' : 'verified';
  const evaluation =
    summary === null
      ? null
      : evaluateBoard({
          policy: context.policy.policy,
          policyDigest: context.policy.digest,
          manifest: { digest: summary.digest, releaseName: summary.releaseName, releaseVersion: summary.releaseVersion, createdBy: summary.createdBy, signerKeyIds, contentProblem: null },
          approvals: reopened,
          now: context.now,
        });
  const reasons = verdict === 'verified' ? [] : [verdict === 'untrusted' ? 'The manifest carries no valid signature of a producer of the board.' : 'The manifest cannot be read as a release manifest.'];
  const answer = boardAnswer({ verdict, verdictReasons: reasons, evaluation });
  const earlier = mine[0];
  return {
    manifestDigest: release.manifestDigest,
    name: release.name,
    version: release.version,
    createdAt: manifest.manifest?.createdAt ?? null,
    answer: { kind: answer.kind, headline: answer.headline },
    reopenedBy: notices.map((notice) => ({ issuer: notice.issuerName, reason: notice.reason, issuedAt: notice.issuedAt })),
    earlierDecision: earlier === undefined ? null : { decision: earlier.decision, reviewedAt: earlier.reviewedAt },
    boardCopy: join(context.acceptedDir, ...release.path.split('/').slice(0, -1)),
  };
}

/** This member's decisions waiting in the queue, by manifest: signed here, not pushed yet. */
function queuedDecisions(queue: ReadonlyMap<string, Uint8Array>, memberKeyIds: ReadonlySet<string>): Map<string, number[]> {
  const decided = new Map<string, number[]>();
  for (const [path, bytes] of queue) {
    const kind = classifyBoardPath(path);
    if (kind?.kind !== 'approval') continue;
    try {
      const statement = parseApprovalStatement(parseStrictJson(readEnvelope(bytes, MAX_APPROVAL_BYTES).payload, { maxBytes: MAX_APPROVAL_BYTES }));
      if (!memberKeyIds.has(statement.predicate.reviewer)) continue;
      decided.set(kind.manifestDigest, [...(decided.get(kind.manifestDigest) ?? []), rfc3339ToEpochMillis(statement.predicate.reviewedAt)]);
    } catch {
      // The queue holds only what this machine signed; an unreadable file there decides nothing.
    }
  }
  return decided;
}

function memberHoldsKey(keys: readonly string[], keyId: string): boolean {
  return keys.some((text) => {
    try {
      return parsePublicKey(text).keyId === keyId;
    } catch {
      return false;
    }
  });
}

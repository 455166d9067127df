import { noticesAgainst } from '../../../shared/board-repo/reopened';
import { buildTrustContext, type TrustContext } from '../../../shared/verify/trust';
import type { ApprovalContext } from '../../services/approvals/approval-service';
import { BoardError } from '../../services/board/board-error';
import type { BoardSettings } from '../../services/board/board-home';
import type { BoardService } from '../../services/board/board-service';
import type { BoardNotice, VerifiedBoard } from '../../../shared/board-repo/verify-board';
import type { ReviewSession } from '../../services/session/review-session';

export interface BoardJudgement {
  settings: BoardSettings;
  board: VerifiedBoard;
  trust: TrustContext;
  notices: BoardNotice[];
  /** What evaluateApprovals needs, but the job: the policy in force, the board's decisions, the re-opening. */
  context: Omit<ApprovalContext, 'job'>;
}

/**
 * How a release is judged under the board shared through git, as accepted on this machine: the
 * policy in force, the decisions published there, and the notices that re-open it (decisions
 * made before the newest of them do not count). Shared by `status --board-repo` and `diff --board-repo`.
 */
export async function judgeUnderBoard(service: BoardService, session: ReviewSession): Promise<BoardJudgement> {
  const { settings, board } = await service.status();
  const inForce = board.chain[board.chain.length - 1];
  if (inForce === undefined) throw new BoardError('conflict', 'The board accepted here does not verify: run `countersign board sync` and read its problems.');
  const policyTrust = buildTrustContext({ source: 'board-file', board: inForce.policy });
  // Keys their holders revoked on the board count for nothing, like the policy's own revoked keys.
  const trust: TrustContext = { ...policyTrust, revokedKeyIds: new Set([...policyTrust.revokedKeyIds, ...board.revocations.keys()]) };
  const digest = session.manifestDigest(trust);
  const { notices, approvalsBefore } = digest === null ? { notices: [], approvalsBefore: null } : noticesAgainst(board, digest);
  const boardApprovals = (digest === null ? [] : (board.approvals.get(digest) ?? [])).map((approval) => ({ file: approval.path, bytes: approval.bytes, origin: 'board' as const, storedAt: null }));
  const reopened =
    approvalsBefore === null
      ? {}
      : { reopened: { at: new Date(approvalsBefore).toISOString().replace(/\.\d{3}Z$/, 'Z'), why: `A notice on the board re-opened this release (${notices.map((n) => n.reason).join('; ')}): decide again.` } };
  return { settings, board, trust, notices, context: { board: { policy: inForce.policy, bytes: inForce.bytes, digest: inForce.digest }, trust, profileApprovals: null, boardApprovals, ...reopened } };
}

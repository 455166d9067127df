import { useEffect } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ApprovalStatus, BoardSummary } from '../../../shared/api/contract';
import { boardAnswer, type BoardAnswer } from '../../../shared/review/board-answer';
import type { VerificationReport } from '../../../shared/verify/report';
import type { ApiCallError } from '../bridge/hooks';
import { useCommand } from '../bridge/hooks';
import { useApprovalStatus } from '../approvals/useApprovalStatus';
import { rememberAnswer } from '../home/recent-answers';

export interface BoardAnswerState {
  /** Null while the board's rules are still being applied, or when they could not be. */
  answer: BoardAnswer | null;
  board: UseQueryResult<BoardSummary | null, ApiCallError>;
  /** The approvals judged under the board; idle when there is no board. */
  status: UseQueryResult<ApprovalStatus, ApiCallError>;
  /** Shows a status a command returned (after signing or importing), so the answer follows at once. */
  showStatus(status: ApprovalStatus): void;
  /** The approvals were judged for another manifest than the one verified: the bundle changed. */
  otherManifest: boolean;
}

/**
 * The board's answer for the verified session: the integrity verdict, then (when a board policy is
 * imported) its judgement of the approvals, then (when the release is approved and the bundle ships
 * a deployment) whether that deployment may ship it. Remembered for Home's recent list.
 */
export function useBoardAnswer(sessionId: string, report: VerificationReport): BoardAnswerState {
  const board = useCommand('trust.board', {});
  const hasBoard = board.data !== undefined && board.data !== null;
  const { query: status, show } = useApprovalStatus(sessionId, report.verifiedAt, hasBoard);
  const otherManifest = status.data !== undefined && status.data.manifest.digest !== report.manifest?.digest;
  const evaluation = status.data !== undefined && !otherManifest ? status.data.evaluation : null;
  const approved = report.verdict === 'verified' && evaluation?.approved === true;
  // A bundle without a deployment file answers with an error: then no deployment is known.
  const deployment = useCommand('deployment.diff', { sessionId }, { enabled: approved, revision: evaluation?.evaluatedAt ?? null });

  let answer: BoardAnswer | null = null;
  if (report.verdict !== 'verified') {
    answer = boardAnswer({ verdict: report.verdict, verdictReasons: report.reasons, evaluation: null });
  } else if (board.data === null) {
    answer = boardAnswer({ verdict: report.verdict, verdictReasons: report.reasons, evaluation: null });
  } else if (evaluation !== null) {
    const known = approved && deployment.isSuccess ? { verdict: deployment.data.verdict, reasons: deployment.data.reasons } : null;
    answer = boardAnswer({ verdict: report.verdict, verdictReasons: report.reasons, evaluation, deployment: known });
  }

  const path = report.bundle.path;
  const digest = report.manifest?.digest ?? null;
  const kind = answer?.kind;
  const headline = answer?.headline;
  useEffect(() => {
    if (kind !== undefined && headline !== undefined) rememberAnswer(path, { kind, headline, manifestDigest: digest, judgedAt: new Date().toISOString() });
  }, [path, digest, kind, headline]);

  return { answer, board, status, showStatus: show, otherManifest };
}

import { useId } from 'react';
import type { ApprovalStatus } from '../../../shared/api/contract';
import type { VerificationReport } from '../../../shared/verify/report';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { useAppShell } from '../navigation/AppContext';
import { ApprovalList } from './ApprovalList';
import { BoardDecision } from './BoardDecision';
import { ImportApprovals } from './ImportApprovals';
import { RulesList } from './RulesList';
import { useApprovalStatus } from './useApprovalStatus';
import { OutsideText } from '../common/OutsideText';

interface ApprovalsPanelProps {
  sessionId: string;
  /** The verdict shown above: the approvals are judged again whenever it changes, and must concern its manifest. */
  report: VerificationReport;
}

/** The board's judgement of this release: quorum, rules, every approval, and a way to add one. */
export function ApprovalsPanel({ sessionId, report }: ApprovalsPanelProps) {
  const headingId = useId();
  const { showView } = useAppShell();
  const board = useCommand('trust.board', {});
  const hasBoard = board.data !== undefined && board.data !== null;
  const { query: status, show } = useApprovalStatus(sessionId, report.verifiedAt, hasBoard);
  const otherManifest = status.data !== undefined && status.data.manifest.digest !== report.manifest?.digest;

  return (
    <section aria-labelledby={headingId} className="panel approvals-panel">
      <h2 id={headingId}>Approvals</h2>
      {board.isPending ? (
        <p className="muted">Loading…</p>
      ) : board.isError ? (
        <ErrorNotice error={board.error} prefix="Could not read the board policy" />
      ) : board.data === null ? (
        <>
          <p>No board policy is imported, so there are no rules to judge approvals by. Import your board's policy in Trust.</p>
          <button type="button" onClick={() => showView('trust')}>
            Go to Trust
          </button>
        </>
      ) : status.isPending ? (
        <p className="muted">
          Checking approvals under <OutsideText text={board.data.board} />…
        </p>
      ) : status.isError ? (
        <>
          <ErrorNotice error={status.error} prefix="Could not judge the approvals" />
          <button type="button" onClick={() => void status.refetch()}>
            Try again
          </button>
        </>
      ) : otherManifest ? (
        <p className="notice notice-error">
          The approvals were judged for another manifest than the verdict above (sha256 {status.data.manifest.digest}): open the bundle again.
        </p>
      ) : (
        <ApprovalsReport sessionId={sessionId} status={status.data} onStatus={show} />
      )}
    </section>
  );
}

interface ApprovalsReportProps {
  sessionId: string;
  status: ApprovalStatus;
  onStatus(status: ApprovalStatus): void;
}

function ApprovalsReport({ sessionId, status, onStatus }: ApprovalsReportProps) {
  const { evaluation } = status;
  return (
    <>
      <p className="muted">
        Judged under <OutsideText text={status.policy.board} />, version {status.policy.version}. Approve, reject or abstain at the top of the page.
      </p>
      <BoardDecision evaluation={evaluation} />
      <h3>Rules</h3>
      <RulesList rules={evaluation.rules} />
      <h3>Decisions given</h3>
      <ApprovalList approvals={evaluation.approvals} />
      <h3>Approvals from other reviewers</h3>
      <ImportApprovals sessionId={sessionId} onImported={onStatus} />
    </>
  );
}

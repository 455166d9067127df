import { useId, useState } from 'react';
import type { ApprovalStatus, BoardSummary } from '../../../shared/api/contract';
import type { VerificationReport } from '../../../shared/verify/report';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { useAppShell } from '../navigation/AppContext';
import { ApprovalList } from './ApprovalList';
import { BoardDecision } from './BoardDecision';
import type { Decision } from './decision-draft';
import { DecisionFlow } from './DecisionFlow';
import type { SignedDecision } from './DecisionFlow';
import { ImportApprovals } from './ImportApprovals';
import { RulesList } from './RulesList';
import { SignedDecisionNotice } from './SignedDecisionNotice';
import { useApprovalStatus } from './useApprovalStatus';

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
        <p className="muted">Checking approvals under {board.data.board}…</p>
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
        <ApprovalsReport sessionId={sessionId} status={status.data} board={board.data} onStatus={show} />
      )}
    </section>
  );
}

interface ApprovalsReportProps {
  sessionId: string;
  status: ApprovalStatus;
  board: BoardSummary;
  onStatus(status: ApprovalStatus): void;
}

function ApprovalsReport({ sessionId, status, board, onStatus }: ApprovalsReportProps) {
  const { showView } = useAppShell();
  const keys = useCommand('keys.list', {});
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [signed, setSigned] = useState<SignedDecision | null>(null);
  const { evaluation } = status;
  const ownKeys = keys.data ?? [];
  const cannotApprove = status.verdict !== 'verified';

  return (
    <>
      <p className="muted">
        Judged under {status.policy.board}, version {status.policy.version}.
      </p>
      <BoardDecision evaluation={evaluation} />
      <h3>Rules</h3>
      <RulesList rules={evaluation.rules} />
      <h3>Decisions given</h3>
      <ApprovalList approvals={evaluation.approvals} />
      <h3>Your decision</h3>
      {keys.isError && <ErrorNotice error={keys.error} prefix="Could not list your keys" />}
      {keys.isSuccess && ownKeys.length === 0 ? (
        <p>
          To approve or reject you need a key of your own.{' '}
          <button type="button" className="link-button" onClick={() => showView('keys')}>
            Generate or import one in Keys
          </button>
        </p>
      ) : (
        <div className="actions">
          <button type="button" className="primary" disabled={!keys.isSuccess || cannotApprove} onClick={() => setDeciding('approve')}>
            Approve…
          </button>
          <button type="button" disabled={!keys.isSuccess} onClick={() => setDeciding('reject')}>
            Reject…
          </button>
          <button type="button" disabled={!keys.isSuccess} onClick={() => setDeciding('abstain')}>
            Abstain…
          </button>
        </div>
      )}
      {cannotApprove && <p className="muted">This release does not verify under the board policy, so it cannot be approved; it can still be rejected.</p>}
      {signed !== null && <SignedDecisionNotice signed={signed} onDismiss={() => setSigned(null)} />}
      <h3>Approvals from other reviewers</h3>
      <ImportApprovals sessionId={sessionId} onImported={onStatus} />
      {deciding !== null && (
        <DecisionFlow
          sessionId={sessionId}
          decision={deciding}
          status={status}
          board={board}
          keys={ownKeys}
          onSigned={(result) => {
            setDeciding(null);
            setSigned(result);
            onStatus(result.made.status);
          }}
          onClose={() => setDeciding(null)}
        />
      )}
    </>
  );
}

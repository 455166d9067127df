import { useState, type ReactNode } from 'react';
import type { ApprovalStatus, BoardSummary, OfferedKey, ReviewerKey } from '../../../shared/api/contract';
import type { VerificationReport } from '../../../shared/verify/report';
import { DecisionFlow, type SignedDecision } from '../approvals/DecisionFlow';
import type { Decision } from '../approvals/decision-draft';
import { myCurrentDecisions, myDecisionLine, WITHDRAWAL_COMMENT, type MyDecision } from '../approvals/my-decisions';
import { SignedDecisionNotice } from '../approvals/SignedDecisionNotice';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { useAppShell } from '../navigation/AppContext';
import { BoardImport } from '../trust/BoardImport';
import { PinKeyDialog } from './PinKeyDialog';
import type { BoardAnswerState } from './useBoardAnswer';

interface NextActionProps {
  sessionId: string;
  report: VerificationReport;
  state: BoardAnswerState;
}

/** What to do now, beside the answer: trust the bundle, decide, or change or withdraw a decision. */
export function NextAction({ sessionId, report, state }: NextActionProps) {
  const { board, status } = state;
  let body: ReactNode;
  if (report.verdict === 'untrusted') {
    body = <EstablishTrust sessionId={sessionId} hasBoard={board.data !== undefined && board.data !== null} />;
  } else if (report.verdict !== 'verified' && board.data === null) {
    body = <p>Nothing here can be approved: the bundle does not hold what its signed manifest pins. Ask its producer for an intact copy, and tell the board.</p>;
  } else if (board.data === null) {
    body = (
      <>
        <p>No board policy is imported, so there are no rules to judge approvals by. Import your board's policy to decide.</p>
        <BoardImport />
      </>
    );
  } else if (board.data === undefined || status.data === undefined || state.otherManifest) {
    body = <p className="muted">Waiting for the board's judgement…</p>;
  } else {
    body = <Decide sessionId={sessionId} status={status.data} board={board.data} onStatus={state.showStatus} canApprove={report.verdict === 'verified'} />;
  }
  return (
    <section aria-label="Your next step" className="next-action">
      <h2>Your next step</h2>
      {body}
    </section>
  );
}

/** Untrusted: pin the key the bundle offers (after comparing its fingerprint), or import the board policy, right here. */
function EstablishTrust({ sessionId, hasBoard }: { sessionId: string; hasBoard: boolean }) {
  const offered = useCommand('trust.offeredKeys', { sessionId });
  const [pinning, setPinning] = useState<OfferedKey | null>(null);
  const [importing, setImporting] = useState(false);
  const pinnable = (offered.data ?? []).filter((key) => key.keyId !== null && key.publicKey !== null && key.error === null && !key.pinned);
  return (
    <>
      <p>No key this machine trusts signed this release. Trust its producer's key, after comparing the fingerprint with one its owner gave you, or import the board policy.</p>
      {offered.isError && <ErrorNotice error={offered.error} prefix="Could not list the bundle's keys" />}
      {pinnable.length > 0 && (
        <ul aria-label="Keys to pin" className="plain-list">
          {pinnable.map((key) => (
            <li key={key.file}>
              <code className="fingerprint-inline">
                <OutsideText text={key.keyId ?? ''} />
              </code>{' '}
              {key.comment !== null && (
                <span className="muted">
                  <OutsideText text={key.comment} />
                </span>
              )}{' '}
              <button type="button" className="primary" onClick={() => setPinning(key)}>
                Pin this key…
              </button>
            </li>
          ))}
        </ul>
      )}
      {offered.isSuccess && pinnable.length === 0 && <p className="muted">This bundle offers no key to pin.</p>}
      {importing ? (
        <BoardImport />
      ) : (
        <button type="button" onClick={() => setImporting(true)}>
          {hasBoard ? 'Import another board policy…' : 'Import the board policy…'}
        </button>
      )}
      {pinning !== null && pinning.publicKey !== null && pinning.keyId !== null && (
        <PinKeyDialog publicKey={pinning.publicKey} keyId={pinning.keyId} suggestedName={pinning.comment ?? pinning.file} onClose={() => setPinning(null)} />
      )}
    </>
  );
}

interface DecideProps {
  sessionId: string;
  status: ApprovalStatus;
  board: BoardSummary;
  onStatus(status: ApprovalStatus): void;
  canApprove: boolean;
}

interface Deciding {
  decision: Decision;
  role: string | null;
  comment: string;
}

const DECISION_BUTTONS: { decision: Decision; label: string }[] = [
  { decision: 'approve', label: 'Approve…' },
  { decision: 'reject', label: 'Reject…' },
  { decision: 'abstain', label: 'Abstain…' },
];

/** Approve, reject or abstain, with my role preselected; once decided, my decision, to change or withdraw. */
function Decide({ sessionId, status, board, onStatus, canApprove }: DecideProps) {
  const { showView } = useAppShell();
  const keys = useCommand('keys.list', {});
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [signed, setSigned] = useState<SignedDecision | null>(null);
  const ownKeys: readonly ReviewerKey[] = keys.data ?? [];
  const mine = myCurrentDecisions(
    status.evaluation.approvals,
    ownKeys.map((key) => key.keyId),
  );
  const current: MyDecision | undefined = mine[0];

  if (keys.isError) return <ErrorNotice error={keys.error} prefix="Could not list your keys" />;
  if (keys.isSuccess && ownKeys.length === 0) {
    return (
      <p>
        To approve or reject you need a key of your own.{' '}
        <button type="button" className="link-button" onClick={() => showView('keys')}>
          Generate or import one in Keys
        </button>
      </p>
    );
  }
  const start = (decision: Decision, comment = '') => {
    setSigned(null);
    setDeciding({ decision, role: current?.role ?? null, comment });
  };
  return (
    <>
      {current !== undefined && (
        <div role="status" aria-label="Your decision" className="my-decision">
          <p>
            <strong>{myDecisionLine(current)}</strong>
            {current.outcome !== 'counted' && current.outcome !== 'rejection' && current.outcome !== 'abstain' && (
              <>
                {' '}
                · <OutsideText text={current.reason} />
              </>
            )}
          </p>
          {mine.slice(1).map((other) => (
            <p key={other.keyId} className="muted">
              {myDecisionLine(other)} (key <code>{other.keyId}</code>)
            </p>
          ))}
        </div>
      )}
      {current !== undefined && <p className="muted">Change your decision: a new one supersedes it.</p>}
      <div className="actions">
        {DECISION_BUTTONS.filter((button) => button.decision !== current?.decision).map((button) => (
          <button
            key={button.decision}
            type="button"
            className={button.decision === 'approve' ? 'primary' : undefined}
            disabled={!keys.isSuccess || (button.decision === 'approve' && !canApprove)}
            onClick={() => start(button.decision)}
          >
            {button.label}
          </button>
        ))}
        {current !== undefined && current.decision !== 'abstain' && (
          <button type="button" disabled={!keys.isSuccess} onClick={() => start('abstain', WITHDRAWAL_COMMENT)}>
            Withdraw…
          </button>
        )}
      </div>
      {current !== undefined && current.decision !== 'abstain' && (
        <p className="muted">Withdrawing signs an abstention that supersedes your {current.decision === 'approve' ? 'approval' : 'rejection'}: a signed decision cannot be unsigned, and the file stays, but it no longer counts.</p>
      )}
      {!canApprove && <p className="muted">This release does not verify, so it cannot be approved; it can still be rejected.</p>}
      {signed !== null && <SignedDecisionNotice signed={signed} onDismiss={() => setSigned(null)} />}
      {deciding !== null && (
        <DecisionFlow
          sessionId={sessionId}
          decision={deciding.decision}
          status={status}
          board={board}
          keys={ownKeys}
          initialRole={deciding.role}
          initialComment={deciding.comment}
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

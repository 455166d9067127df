import { useState } from 'react';
import type { ApprovalStatus, BoardSummary, CommandOutput, ReviewerKey } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call } from '../bridge/hooks';
import { UnlockDialog } from '../keys/UnlockDialog';
import { useKeysChanged } from '../keys/useKeysChanged';
import { approveInput, rolesOfKey, suggestKey, suggestRole } from './decision-draft';
import type { Decision, DecisionDraft } from './decision-draft';
import { DecisionDialog } from './DecisionDialog';

export interface SignedDecision {
  made: CommandOutput<'approvals.approve'>;
  decision: Decision;
  role: string;
  keyId: string;
  /** What waits in the board's queue for the next sync: set when the decision was made for the board. */
  queuedForBoard: string[] | null;
}

interface DecisionFlowProps {
  sessionId: string;
  decision: Decision;
  status: ApprovalStatus;
  board: BoardSummary;
  keys: readonly ReviewerKey[];
  /** The role to preselect (the one of the decision being changed); else one of my roles whose seat is empty. */
  initialRole?: string | null;
  initialComment?: string;
  /** Sign under the board's policy in force (`status` and `board` are the board's) and queue it for the board, as `approve --board-repo`. */
  forBoard?: boolean;
  onSigned(signed: SignedDecision): void;
  onClose(): void;
}

/**
 * Approve, reject or abstain: the form, then (when the chosen key is locked) the unlock prompt,
 * then the signature. Whether the key is unlocked is asked of the Node side at signing time, since
 * keys lock themselves after the idle time.
 */
export function DecisionFlow({ sessionId, decision, status, board, keys, initialRole = null, initialComment = '', forBoard = false, onSigned, onClose }: DecisionFlowProps) {
  const bridge = useBridge();
  const keysChanged = useKeysChanged();
  const [draft, setDraft] = useState<DecisionDraft>(() => initialDraft(decision, status, board, keys, initialRole, initialComment));
  const [step, setStep] = useState<'form' | 'unlock'>('form');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const signingKey = keys.find((key) => key.keyId === draft.keyId);

  const sign = async () => {
    setBusy(true);
    setError(null);
    try {
      const locks = await call(bridge, 'keys.status', {});
      if (!locks.unlocked.includes(draft.keyId)) {
        setStep('unlock');
        return;
      }
      const input = approveInput(sessionId, draft, status.bundle.format === 'directory');
      const { made, queued } = forBoard ? await call(bridge, 'board.approve', input) : { made: await call(bridge, 'approvals.approve', input), queued: null };
      keysChanged();
      onSigned({ made, decision: input.decision, role: input.role, keyId: input.keyId, queuedForBoard: queued });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (step === 'unlock' && signingKey !== undefined) {
    return (
      <UnlockDialog
        reviewerKey={signingKey}
        purpose="to sign your decision"
        onUnlocked={() => {
          setStep('form');
          void sign();
        }}
        onCancel={() => setStep('form')}
      />
    );
  }
  return (
    <DecisionDialog
      draft={draft}
      onDraftChange={(next) => {
        setDraft(next);
        setError(null);
      }}
      status={status}
      board={board}
      keys={keys}
      busy={busy}
      error={error}
      onSign={() => void sign()}
      onCancel={onClose}
    />
  );
}

function initialDraft(decision: Decision, status: ApprovalStatus, board: BoardSummary, keys: readonly ReviewerKey[], role: string | null, comment: string): DecisionDraft {
  const keyId = suggestKey(keys, board);
  const roles = rolesOfKey(board, keyId);
  return {
    decision,
    keyId,
    role: role !== null && roles.includes(role) ? role : suggestRole(roles, status.evaluation.seats),
    comment,
    conditions: '',
    expiresOn: '',
    saveToBundle: status.bundle.format === 'directory',
  };
}

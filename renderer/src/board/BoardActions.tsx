import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { BoardStatus, CommandInput } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call, commandKey } from '../bridge/hooks';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { UnlockDialog } from '../keys/UnlockDialog';
import { readNoticeTarget } from './notice-target';

type Action = { kind: 'endorse'; version: number; digest: string } | { kind: 'revoke' } | { kind: 'notice' };

/**
 * What this computer's member signs on the board: endorse a proposed policy version, revoke their
 * own key, post a notice. Each is queued for the next sync; the key is unlocked in the main process.
 */
export function BoardActions({ status }: { status: BoardStatus }) {
  const headingId = useId();
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const memberRevoked = status.revoked.some((revoked) => revoked.keyId === status.memberKeyId);
  if (status.memberKeyId === null || status.memberName === null) return null;
  const memberName = status.memberName;
  const endorsable = status.pending.filter((pending) => !pending.endorsedBy.includes(memberName));
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Act as <OutsideText text={memberName} /></h2>
      {memberRevoked ? (
        <p className="muted">Your key is revoked on this board: it signs nothing more here.</p>
      ) : (
        <>
          {endorsable.map((pending) => (
            <p key={pending.digest}>
              Proposed version {pending.version} (<code className="digest">sha256:{pending.digest}</code>) waits for endorsements.{' '}
              <button type="button" onClick={() => setAction({ kind: 'endorse', version: pending.version, digest: pending.digest })}>
                Endorse version {pending.version}…
              </button>
            </p>
          ))}
          <div className="actions">
            <button type="button" onClick={() => setAction({ kind: 'notice' })}>
              Post a notice…
            </button>
            <button type="button" className="danger" onClick={() => setAction({ kind: 'revoke' })}>
              Revoke my key…
            </button>
          </div>
        </>
      )}
      {done !== null && (
        <p role="status" aria-label="Board action">
          {done} Queued for the board: Sync now to share it.
        </p>
      )}
      {action !== null && (
        <ActionDialog
          action={action}
          status={status}
          onDone={(words) => {
            setAction(null);
            setDone(words);
          }}
          onCancel={() => setAction(null)}
        />
      )}
    </section>
  );
}

function ActionDialog({ action, status, onDone, onCancel }: { action: Action; status: BoardStatus; onDone(words: string): void; onCancel(): void }) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const ids = { reason: useId(), target: useId(), targetHint: useId() };
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unlocking, setUnlocking] = useState(false);
  const memberKeyId = status.memberKeyId ?? '';

  const noticeTarget = readNoticeTarget(target);
  const noticeProblem = action.kind !== 'notice' ? null : target.trim() === '' ? null : 'problem' in noticeTarget ? noticeTarget.problem : reason.trim() === '' ? 'Give the reason for the notice.' : null;

  const perform = async () => {
    setBusy(true);
    setError(null);
    try {
      const locks = await call(bridge, 'keys.status', {});
      if (!locks.unlocked.includes(memberKeyId)) {
        setUnlocking(true);
        return;
      }
      if (action.kind === 'endorse') {
        await call(bridge, 'board.endorse', { digest: action.digest });
        onDone(`You endorsed version ${action.version}.`);
      } else if (action.kind === 'revoke') {
        await call(bridge, 'board.revokeSelf', { reason: reason.trim() === '' ? null : reason.trim() });
        onDone('Your key is revoked.');
      } else {
        if ('problem' in noticeTarget) throw new Error(noticeTarget.problem);
        const input: CommandInput<'board.notice'> = { target: noticeTarget.target, reason: reason.trim() };
        await call(bridge, 'board.notice', input);
        onDone('Your notice is signed.');
      }
      void queryClient.invalidateQueries({ queryKey: commandKey('board.status') });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (unlocking) {
    return (
      <UnlockDialog
        reviewerKey={{ keyId: memberKeyId, name: status.memberName ?? memberKeyId }}
        purpose="to sign for the board"
        onUnlocked={() => {
          setUnlocking(false);
          void perform();
        }}
        onCancel={() => setUnlocking(false)}
      />
    );
  }
  const title = action.kind === 'endorse' ? `Endorse version ${action.version}` : action.kind === 'revoke' ? 'Revoke my key' : 'Post a notice';
  const confirmLabel = action.kind === 'endorse' ? 'Sign endorsement' : action.kind === 'revoke' ? 'Revoke my key for good' : 'Sign notice';
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      cancelLabel="Cancel"
      busy={busy}
      confirmDisabled={action.kind === 'notice' && (target.trim() === '' || reason.trim() === '' || noticeProblem !== null)}
      onCancel={onCancel}
      onConfirm={() => void perform()}
    >
      {action.kind === 'endorse' && (
        <p>
          You endorse policy version {action.version} with digest <code className="digest">sha256:{action.digest}</code> as the successor of the version in force. Compare the
          digest with the one the proposer gave you. It comes into force once enough members endorse it.
        </p>
      )}
      {action.kind === 'revoke' && (
        <>
          <p className="error-notice">
            This cannot be undone. Your key ({memberKeyId}) stops counting on this board for every member once they sync: your decisions with it no longer count, and a revoked key
            never comes back. Do this when the key is lost or stolen.
          </p>
          <div className="field">
            <label htmlFor={ids.reason}>Reason (optional)</label>
            <input id={ids.reason} value={reason} maxLength={2000} onChange={(event) => setReason(event.target.value)} />
          </div>
        </>
      )}
      {action.kind === 'notice' && (
        <>
          <p>A notice re-opens every release on the board whose lineage reaches the node, or that pins the digest: decisions made before it no longer count.</p>
          <div className="field">
            <label htmlFor={ids.target}>Lineage node ID or sha256 digest</label>
            <input id={ids.target} value={target} maxLength={500} aria-describedby={ids.targetHint} onChange={(event) => setTarget(event.target.value)} />
            <p id={ids.targetHint} className="muted">
              A node ID from a release's lineage, or <code>sha256:</code> and 64 hex digits of a file the releases pin.
            </p>
          </div>
          <div className="field">
            <label htmlFor={ids.reason}>Reason</label>
            <textarea id={ids.reason} rows={2} value={reason} maxLength={2000} onChange={(event) => setReason(event.target.value)} />
          </div>
          {noticeProblem !== null && <p className="error-notice">{noticeProblem}</p>}
        </>
      )}
      {error !== null && <ErrorNotice error={error} prefix="Not signed" />}
    </ConfirmDialog>
  );
}

import { useId, useState } from 'react';
import type { ReviewerKey } from '../../../shared/api/contract';
import { useCommand, useCommandMutation } from '../bridge/hooks';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { CopyButton } from '../common/CopyButton';
import { ErrorNotice } from '../common/ErrorNotice';
import { publicKeyFileName } from '../common/file-names';
import { saveTextFile } from '../common/save-file';
import { OutsideText } from '../common/OutsideText';
import { StatusBadge } from '../common/StatusBadge';
import { formatRelativeTime } from '../format';
import { boardStanding, lockLook, ORIGIN_WORDS } from './key-words';
import { UnlockDialog } from './UnlockDialog';
import { useKeysChanged } from './useKeysChanged';

/** The reviewer keys held on this machine: who they are, whether they are unlocked, and what to do with them. */
export function KeyList() {
  const headingId = useId();
  const keys = useCommand('keys.list', {});
  const board = useCommand('trust.board', {});
  const keysChanged = useKeysChanged();
  const [unlocking, setUnlocking] = useState<ReviewerKey | null>(null);
  const [removing, setRemoving] = useState<ReviewerKey | null>(null);
  const lock = useCommandMutation('keys.lock', { onSuccess: keysChanged });
  const anyUnlocked = keys.data?.some((key) => key.unlocked) ?? false;
  const now = new Date();

  return (
    <section aria-labelledby={headingId} className="panel">
      <div className="toolbar">
        <h2 id={headingId}>Your keys</h2>
        <button type="button" disabled={!anyUnlocked || lock.isPending} onClick={() => lock.mutate({})}>
          Lock all
        </button>
      </div>
      {keys.isPending ? (
        <p className="muted">Loading…</p>
      ) : keys.isError ? (
        <ErrorNotice error={keys.error} prefix="Could not list your keys" />
      ) : keys.data.length === 0 ? (
        <p>No keys yet. Generate one below, or import the OpenSSH key you already use.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Your keys" className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key ID</th>
                <th scope="col">On the board</th>
                <th scope="col">Origin</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.keyId}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code className="fingerprint-inline">{key.keyId}</code>
                  </td>
                  <td>
                    <OutsideText text={boardStanding(board.data, key.keyId)} />
                  </td>
                  <td>
                    {ORIGIN_WORDS[key.origin]}, <time dateTime={key.createdAt}>{formatRelativeTime(key.createdAt, now)}</time>
                  </td>
                  <td>
                    <StatusBadge look={lockLook(key)} />
                  </td>
                  <td>
                    <KeyActions
                      reviewerKey={key}
                      locking={lock.isPending}
                      onLock={() => lock.mutate({ keyId: key.keyId })}
                      onUnlock={() => setUnlocking(key)}
                      onRemove={() => setRemoving(key)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {lock.isError && <ErrorNotice error={lock.error} prefix="Not locked" />}
      {unlocking !== null && <UnlockDialog reviewerKey={unlocking} onUnlocked={() => setUnlocking(null)} onCancel={() => setUnlocking(null)} />}
      {removing !== null && <RemoveKeyDialog reviewerKey={removing} onClose={() => setRemoving(null)} />}
    </section>
  );
}

interface KeyActionsProps {
  reviewerKey: ReviewerKey;
  locking: boolean;
  onLock(): void;
  onUnlock(): void;
  onRemove(): void;
}

function KeyActions({ reviewerKey, locking, onLock, onUnlock, onRemove }: KeyActionsProps) {
  // Accessible names start with the visible text and add which key, since every row has the same buttons.
  const label = (action: string) => `${action} ${reviewerKey.name}`;
  return (
    <div className="actions key-actions">
      {reviewerKey.unlocked ? (
        <button type="button" className="small" aria-label={label('Lock')} disabled={locking} onClick={onLock}>
          Lock
        </button>
      ) : (
        <button type="button" className="small" aria-label={label('Unlock…')} onClick={onUnlock}>
          Unlock…
        </button>
      )}
      <CopyButton text={reviewerKey.publicKey} label="Copy public key" />
      <button
        type="button"
        className="small"
        aria-label={label('Download .pub of')}
        onClick={() => saveTextFile(`${reviewerKey.publicKey}\n`, publicKeyFileName(reviewerKey.name), 'text/plain')}
      >
        Download .pub
      </button>
      <button type="button" className="small" aria-label={label('Remove…')} onClick={onRemove}>
        Remove…
      </button>
    </div>
  );
}

function RemoveKeyDialog({ reviewerKey, onClose }: { reviewerKey: ReviewerKey; onClose(): void }) {
  const keysChanged = useKeysChanged();
  const remove = useCommandMutation('keys.remove', {
    onSuccess: () => {
      keysChanged();
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title={`Remove ${reviewerKey.name}?`}
      confirmLabel="Remove key"
      cancelLabel="Keep key"
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() => remove.mutate({ keyId: reviewerKey.keyId })}
    >
      <p>The private key with this fingerprint is deleted from this machine. Approvals it already signed stay valid, but you can no longer sign with it unless you import it again from a copy.</p>
      <p className="fingerprint">
        <code>{reviewerKey.keyId}</code>
      </p>
      {remove.isError && <ErrorNotice error={remove.error} prefix="Not removed" />}
    </ConfirmDialog>
  );
}

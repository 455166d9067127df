import { useId, useState } from 'react';
import type { PinnedKey } from '../../../shared/api/contract';
import { useCommand, useCommandMutation } from '../bridge/hooks';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { CopyButton } from '../common/CopyButton';
import { ErrorNotice } from '../common/ErrorNotice';
import { formatRelativeTime } from '../format';
import { useAppShell } from '../navigation/AppContext';

export function PinnedKeysPanel() {
  const headingId = useId();
  const keys = useCommand('trust.keys', {});
  const [unpinning, setUnpinning] = useState<PinnedKey | null>(null);
  const now = new Date();

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Pinned keys</h2>
      {keys.isPending ? (
        <p className="muted">Loading…</p>
      ) : keys.isError ? (
        <ErrorNotice error={keys.error} prefix="Could not list pinned keys" />
      ) : keys.data.length === 0 ? (
        <p>No keys are pinned. Signatures count only under a pinned key or a key of the board policy.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Pinned keys" className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key ID</th>
                <th scope="col">OpenSSH public key</th>
                <th scope="col">Pinned</th>
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
                    <code>{key.keyId}</code>
                  </td>
                  <td className="key-line">
                    <code className="truncate" title={key.publicKey}>
                      {key.publicKey}
                    </code>
                    <CopyButton text={key.publicKey} label="Copy key" />
                  </td>
                  <td>
                    <time dateTime={key.pinnedAt} title={key.pinnedAt}>
                      {formatRelativeTime(key.pinnedAt, now)}
                    </time>
                  </td>
                  <td>
                    <button type="button" onClick={() => setUnpinning(key)}>
                      Unpin…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {unpinning !== null && <UnpinDialog pinned={unpinning} onClose={() => setUnpinning(null)} />}
    </section>
  );
}

function UnpinDialog({ pinned, onClose }: { pinned: PinnedKey; onClose(): void }) {
  const { trustChanged } = useAppShell();
  const unpin = useCommandMutation('trust.unpin', {
    onSuccess: () => {
      trustChanged();
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title={`Unpin ${pinned.name}?`}
      confirmLabel="Unpin key"
      cancelLabel="Keep key"
      busy={unpin.isPending}
      onCancel={onClose}
      onConfirm={() => unpin.mutate({ keyId: pinned.keyId })}
    >
      <p>Signatures by this key will no longer count as trusted on this machine, unless the board policy lists it.</p>
      <p className="fingerprint">
        <code>{pinned.keyId}</code>
      </p>
      {unpin.isError && <ErrorNotice error={unpin.error} prefix="Not unpinned" />}
    </ConfirmDialog>
  );
}

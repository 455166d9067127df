import { useId, useState } from 'react';
import type { ReviewerKey } from '../../../shared/api/contract';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ErrorNotice } from '../common/ErrorNotice';
import { useKeysChanged } from './useKeysChanged';
import { useSecretCommand } from './useSecretCommand';

interface UnlockDialogProps {
  reviewerKey: Pick<ReviewerKey, 'keyId' | 'name'>;
  /** Why the key is needed now, e.g. "to sign your approval". */
  purpose?: string;
  onUnlocked(): void;
  onCancel(): void;
}

/** Asks for a key's passphrase. The passphrase goes to the Node side once and is not kept here. */
export function UnlockDialog({ reviewerKey, purpose, onUnlocked, onCancel }: UnlockDialogProps) {
  const passphraseId = useId();
  const [passphrase, setPassphrase] = useState('');
  const keysChanged = useKeysChanged();
  const unlock = useSecretCommand('keys.unlock');

  const submit = async () => {
    const status = await unlock.run({ keyId: reviewerKey.keyId, passphrase });
    if (status === null) return;
    setPassphrase('');
    keysChanged();
    onUnlocked();
  };

  return (
    <ConfirmDialog
      title={`Unlock ${reviewerKey.name}`}
      confirmLabel="Unlock"
      cancelLabel="Cancel"
      busy={unlock.busy}
      confirmDisabled={passphrase === ''}
      onCancel={onCancel}
      onConfirm={() => void submit()}
    >
      <p>This key is locked{purpose === undefined ? '' : `; unlock it ${purpose}`}. It locks again after the idle time set in Keys.</p>
      <p className="fingerprint">
        <code>{reviewerKey.keyId}</code>
      </p>
      <div className="field">
        <label htmlFor={passphraseId}>Passphrase</label>
        <input
          id={passphraseId}
          type="password"
          autoComplete="off"
          autoFocus
          value={passphrase}
          onChange={(event) => {
            setPassphrase(event.target.value);
            unlock.reset();
          }}
        />
      </div>
      {unlock.error !== null && <ErrorNotice error={unlock.error} prefix="Not unlocked" />}
    </ConfirmDialog>
  );
}

import { useId, useState } from 'react';
import { useCommandMutation } from '../bridge/hooks';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ErrorNotice } from '../common/ErrorNotice';
import { useAppShell } from '../navigation/AppContext';

interface PinKeyDialogProps {
  publicKey: string;
  keyId: string;
  suggestedName: string;
  onClose(): void;
}

/** Asks the person to check a key's fingerprint and name it before it is pinned. */
export function PinKeyDialog({ publicKey, keyId, suggestedName, onClose }: PinKeyDialogProps) {
  const { trustChanged } = useAppShell();
  const [name, setName] = useState(suggestedName);
  const nameId = useId();
  const pin = useCommandMutation('trust.pin', {
    onSuccess: () => {
      trustChanged();
      onClose();
    },
  });

  return (
    <ConfirmDialog
      title="Pin this key?"
      confirmLabel="Pin key"
      cancelLabel="Don't pin"
      busy={pin.isPending}
      confirmDisabled={name.trim() === ''}
      onCancel={onClose}
      onConfirm={() => pin.mutate({ publicKey, name: name.trim(), confirmKeyId: keyId })}
    >
      <p>Signatures by a pinned key count as trusted on this machine. Pin it only if this fingerprint matches the one its owner gave you in person or through another channel you trust.</p>
      <p className="fingerprint" data-testid="pin-fingerprint">
        <code>{keyId}</code>
      </p>
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} value={name} required maxLength={200} onChange={(event) => setName(event.target.value)} />
      </div>
      {pin.isError && <ErrorNotice error={pin.error} prefix="Not pinned" />}
    </ConfirmDialog>
  );
}

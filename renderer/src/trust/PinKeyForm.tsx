import { useId, useMemo, useState } from 'react';
import { parsePublicKey } from '../../../shared/crypto/keys';
import type { PublicKeyInfo } from '../../../shared/crypto/keys';
import { useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { useAppShell } from '../navigation/AppContext';

type Parsed = { key: PublicKeyInfo; problem: null } | { key: null; problem: string | null };

function parse(text: string): Parsed {
  if (text.trim() === '') return { key: null, problem: null };
  try {
    return { key: parsePublicKey(text), problem: null };
  } catch (error) {
    return { key: null, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Pins a pasted public key once the person has compared its fingerprint with the owner's. */
export function PinKeyForm() {
  const { trustChanged } = useAppShell();
  const headingId = useId();
  const keyFieldId = useId();
  const nameFieldId = useId();
  const confirmId = useId();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const parsed = useMemo(() => parse(text), [text]);
  const effectiveName = name.trim() !== '' ? name.trim() : (parsed.key?.comment ?? '');

  const pin = useCommandMutation('trust.pin', {
    onSuccess: () => {
      setText('');
      setName('');
      setConfirmed(false);
      trustChanged();
    },
  });

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Pin a key</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (parsed.key === null || !confirmed || effectiveName === '') return;
          pin.mutate({ publicKey: text.trim(), name: effectiveName, confirmKeyId: parsed.key.keyId });
        }}
      >
        <div className="field">
          <label htmlFor={keyFieldId}>Public key</label>
          <textarea
            id={keyFieldId}
            className="mono"
            rows={3}
            value={text}
            spellCheck={false}
            placeholder="ssh-ed25519 AAAAC3Nza… owner@host, or a PEM public key"
            onChange={(event) => {
              setText(event.target.value);
              setConfirmed(false);
              pin.reset();
            }}
          />
        </div>
        {parsed.problem !== null && <p className="error-notice">Not a usable key: {parsed.problem}</p>}
        {parsed.key !== null && (
          <>
            <p>
              Fingerprint <code className="fingerprint-inline" data-testid="pasted-key-fingerprint">{parsed.key.keyId}</code>
            </p>
            <div className="field">
              <label htmlFor={nameFieldId}>Name</label>
              <input
                id={nameFieldId}
                value={name}
                maxLength={200}
                placeholder={parsed.key.comment ?? 'whose key this is'}
                onChange={(event) => setName(event.target.value)}
              />
            </div>
            <div className="check">
              <input id={confirmId} type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} />
              <label htmlFor={confirmId}>I compared this fingerprint with the one the key's owner gave me</label>
            </div>
          </>
        )}
        <button type="submit" className="primary" disabled={parsed.key === null || !confirmed || effectiveName === '' || pin.isPending}>
          Pin key
        </button>
        {pin.isError && <ErrorNotice error={pin.error} prefix="Not pinned" />}
        <p className="success-notice" aria-live="polite">
          {pin.isSuccess && (
            <>
              Pinned {pin.data.name} (<code>{pin.data.keyId}</code>).
            </>
          )}
        </p>
      </form>
    </section>
  );
}

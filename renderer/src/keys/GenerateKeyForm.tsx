import { useId, useState } from 'react';
import { ErrorNotice } from '../common/ErrorNotice';
import { PassphraseFields } from './PassphraseFields';
import { useKeysChanged } from './useKeysChanged';
import { useSecretCommand } from './useSecretCommand';

/** Makes a new Ed25519 key pair on this machine; its private half is encrypted under the passphrase. */
export function GenerateKeyForm() {
  const headingId = useId();
  const nameId = useId();
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [passphraseOk, setPassphraseOk] = useState(false);
  const [made, setMade] = useState<{ name: string; keyId: string } | null>(null);
  const generate = useSecretCommand('keys.generate');
  const keysChanged = useKeysChanged();

  const submit = async () => {
    const key = await generate.run({ name: name.trim(), passphrase });
    if (key === null) return;
    setName('');
    setPassphrase('');
    setMade({ name: key.name, keyId: key.keyId });
    keysChanged();
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Generate a key</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim() !== '' && passphraseOk) void submit();
        }}
      >
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input
            id={nameId}
            value={name}
            maxLength={200}
            placeholder="e.g. Ada Byron (laptop)"
            onChange={(event) => {
              setName(event.target.value);
              setMade(null);
            }}
          />
        </div>
        <PassphraseFields value={passphrase} onChange={setPassphrase} onValidityChange={setPassphraseOk} />
        <button type="submit" className="primary" disabled={name.trim() === '' || !passphraseOk || generate.busy}>
          {generate.busy ? 'Generating…' : 'Generate key'}
        </button>
        {generate.error !== null && <ErrorNotice error={generate.error} prefix="No key made" />}
        <p className="success-notice" aria-live="polite">
          {made !== null && (
            <>
              Made {made.name} (<code>{made.keyId}</code>). Give its public key to the board so they can add it to the policy.
            </>
          )}
        </p>
      </form>
    </section>
  );
}

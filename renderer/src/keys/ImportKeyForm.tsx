import { useId, useState } from 'react';
import type { CommandOutput } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call, errorText } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { useAppShell } from '../navigation/AppContext';
import { PassphraseFields } from './PassphraseFields';
import { useKeysChanged } from './useKeysChanged';
import { useSecretCommand } from './useSecretCommand';

type KeyFileFacts = CommandOutput<'keys.inspectKeyFile'>;

/**
 * Imports the OpenSSH ed25519 key a reviewer already has. The page never reads the key file: it
 * names the file (typed, or chosen in the native dialog where the host has one) and the host
 * reads it. A protected file is opened with its own passphrase, which then also protects it
 * here; an unprotected one needs a new passphrase.
 */
export function ImportKeyForm() {
  const { info } = useAppShell();
  const bridge = useBridge();
  const headingId = useId();
  const pathId = useId();
  const pathHintId = useId();
  const nameId = useId();
  const filePassphraseId = useId();
  const [path, setPath] = useState('');
  /** What the host read from the file at `checkedPath`: public facts only. */
  const [facts, setFacts] = useState<KeyFileFacts | null>(null);
  const [checkedPath, setCheckedPath] = useState<string | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [newPassphraseOk, setNewPassphraseOk] = useState(false);
  const [imported, setImported] = useState<{ name: string; keyId: string } | null>(null);
  const importKey = useSecretCommand('keys.import');
  const keysChanged = useKeysChanged();
  const trimmedPath = path.trim();
  const factsCurrent = facts !== null && checkedPath === trimmedPath;
  const passphraseReady = factsCurrent && (facts.protection === 'none' ? newPassphraseOk : passphrase !== '');

  const changePath = (next: string) => {
    setPath(next);
    setFacts(null);
    setCheckedPath(null);
    setFileProblem(null);
    setPassphrase('');
    setImported(null);
    importKey.reset();
  };

  const inspect = async (keyFile: string) => {
    if (keyFile === '') return;
    setChecking(true);
    try {
      const read = await call(bridge, 'keys.inspectKeyFile', { path: keyFile });
      setFacts(read);
      setCheckedPath(keyFile);
      setFileProblem(null);
      const baseName = keyFile.split(/[\\/]/).at(-1) ?? '';
      if (name.trim() === '') setName(baseName.replace(/\.(key|pem)$/i, ''));
    } catch (error) {
      setFacts(null);
      setCheckedPath(null);
      setFileProblem(errorText(error));
    } finally {
      setChecking(false);
    }
  };

  const choose = async () => {
    try {
      const { path: picked } = await call(bridge, 'keys.pickKeyFile', {});
      if (picked === null) return;
      changePath(picked);
      await inspect(picked);
    } catch (error) {
      setFileProblem(errorText(error));
    }
  };

  const submit = async () => {
    const key = await importKey.run({ path: trimmedPath, name: name.trim(), passphrase });
    if (key === null) return;
    changePath('');
    setName('');
    setImported({ name: key.name, keyId: key.keyId });
    keysChanged();
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Import a key</h2>
      <p>An ed25519 private key as ssh-keygen writes it (the file without .pub), with or without a passphrase.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!factsCurrent) void inspect(trimmedPath);
          else if (name.trim() !== '' && passphraseReady) void submit();
        }}
      >
        <div className="field">
          <label htmlFor={pathId}>Private key file</label>
          <div className="open-controls">
            <input
              id={pathId}
              className="mono"
              value={path}
              spellCheck={false}
              autoComplete="off"
              placeholder="/home/you/.ssh/id_ed25519"
              aria-describedby={pathHintId}
              onChange={(event) => changePath(event.target.value)}
              onBlur={() => {
                if (trimmedPath !== '' && !factsCurrent && !checking) void inspect(trimmedPath);
              }}
            />
            {info.nativeDialogs && (
              <button type="button" disabled={checking} onClick={() => void choose()}>
                Choose file…
              </button>
            )}
          </div>
          <p id={pathHintId} className="muted">
            Its full path on this computer. Countersign reads the file here; the key itself is never sent to this page.
          </p>
        </div>
        <p className="muted" aria-live="polite">
          {checking
            ? 'Reading the key file…'
            : factsCurrent && (
                <>
                  An OpenSSH ed25519 key {facts.protection === 'passphrase' ? 'protected by a passphrase' : 'without a passphrase'}: <code>{facts.keyId}</code>.
                </>
              )}
        </p>
        {fileProblem !== null && (
          <p role="alert" className="error-notice">
            {fileProblem}
          </p>
        )}
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input id={nameId} value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        </div>
        {factsCurrent && facts.protection === 'none' && (
          <>
            <p>This key file has no passphrase. Choose one: it encrypts the key on this machine.</p>
            <PassphraseFields value={passphrase} onChange={setPassphrase} onValidityChange={setNewPassphraseOk} />
          </>
        )}
        {factsCurrent && facts.protection === 'passphrase' && (
          <div className="field">
            <label htmlFor={filePassphraseId}>Passphrase</label>
            <input
              id={filePassphraseId}
              type="password"
              autoComplete="off"
              value={passphrase}
              onChange={(event) => {
                setPassphrase(event.target.value);
                importKey.reset();
              }}
            />
            <p className="muted">The key file's own passphrase; it also protects the key on this machine.</p>
          </div>
        )}
        {!factsCurrent ? (
          <button type="submit" disabled={trimmedPath === '' || checking}>
            {checking ? 'Reading…' : 'Read key file'}
          </button>
        ) : (
          <button type="submit" className="primary" disabled={name.trim() === '' || !passphraseReady || importKey.busy}>
            {importKey.busy ? 'Importing…' : 'Import key'}
          </button>
        )}
        {importKey.error !== null && <ErrorNotice error={importKey.error} prefix="Not imported" />}
        <p className="success-notice" aria-live="polite">
          {imported !== null && (
            <>
              Imported {imported.name} (<code>{imported.keyId}</code>).
            </>
          )}
        </p>
      </form>
    </section>
  );
}

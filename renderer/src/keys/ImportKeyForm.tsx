import { useId, useState } from 'react';
import { ErrorNotice } from '../common/ErrorNotice';
import { keyFileProtection } from './openssh-encryption';
import { PassphraseFields } from './PassphraseFields';
import { useKeysChanged } from './useKeysChanged';
import { useSecretCommand } from './useSecretCommand';

/** The contract's cap on a private key file. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Imports the OpenSSH ed25519 key a reviewer already has. A protected file is opened with its own
 * passphrase, which then also protects it here; an unprotected one needs a new passphrase.
 */
export function ImportKeyForm() {
  const headingId = useId();
  const fileId = useId();
  const textId = useId();
  const nameId = useId();
  const filePassphraseId = useId();
  const [text, setText] = useState('');
  /** The file the text came from; its content is not echoed into the paste field. */
  const [loadedFile, setLoadedFile] = useState<string | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [newPassphraseOk, setNewPassphraseOk] = useState(false);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [imported, setImported] = useState<{ name: string; keyId: string } | null>(null);
  const importKey = useSecretCommand('keys.import');
  const keysChanged = useKeysChanged();
  const protection = keyFileProtection(text);
  const passphraseReady = protection === 'none' ? newPassphraseOk : passphrase !== '';

  const changeText = (next: string, fromFile: string | null = null) => {
    setText(next);
    setLoadedFile(fromFile);
    setPassphrase('');
    setImported(null);
    importKey.reset();
  };

  const loadFile = async (file: File | undefined) => {
    setFileProblem(null);
    if (file === undefined) return;
    if (file.size > MAX_KEY_FILE_BYTES) {
      setFileProblem(`${file.name} is too large to be an OpenSSH private key.`);
      return;
    }
    try {
      changeText(await file.text(), file.name);
      if (name.trim() === '') setName(file.name.replace(/\.(key|pem)$/i, ''));
    } catch {
      setFileProblem(`${file.name} could not be read.`);
    }
  };

  const submit = async () => {
    const key = await importKey.run({ privateKey: text, name: name.trim(), passphrase });
    if (key === null) return;
    setText('');
    setLoadedFile(null);
    setFileInputKey((n) => n + 1);
    setName('');
    setPassphrase('');
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
          if (text.trim() !== '' && name.trim() !== '' && passphraseReady) void submit();
        }}
      >
        <div className="field">
          <label htmlFor={fileId}>Private key file</label>
          <input key={fileInputKey} id={fileId} type="file" onChange={(event) => void loadFile(event.target.files?.[0])} />
        </div>
        {loadedFile !== null && (
          <p className="muted" aria-live="polite">
            {protection === 'unknown'
              ? `${loadedFile} does not look like an OpenSSH private key.`
              : `${loadedFile}: an OpenSSH private key ${protection === 'passphrase' ? 'protected by a passphrase' : 'without a passphrase'}.`}
          </p>
        )}
        {fileProblem !== null && (
          <p role="alert" className="error-notice">
            {fileProblem}
          </p>
        )}
        <div className="field">
          <label htmlFor={textId}>Or paste the private key</label>
          <textarea
            id={textId}
            className="mono"
            rows={4}
            value={loadedFile === null ? text : ''}
            spellCheck={false}
            autoComplete="off"
            placeholder={loadedFile === null ? '-----BEGIN OPENSSH PRIVATE KEY-----' : `Using ${loadedFile}`}
            onChange={(event) => {
              if (loadedFile !== null) setFileInputKey((n) => n + 1);
              changeText(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input id={nameId} value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        </div>
        {protection === 'none' ? (
          <>
            <p>This key file has no passphrase. Choose one: it encrypts the key on this machine.</p>
            <PassphraseFields value={passphrase} onChange={setPassphrase} onValidityChange={setNewPassphraseOk} />
          </>
        ) : (
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
        <button type="submit" className="primary" disabled={text.trim() === '' || name.trim() === '' || !passphraseReady || importKey.busy}>
          {importKey.busy ? 'Importing…' : 'Import key'}
        </button>
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

import { useId, useState } from 'react';
import { useAppShell } from '../navigation/AppContext';
import { ariaShortcut } from '../navigation/platform';

/** The id of the path field, so the Open shortcut can focus it where there is no native dialog. */
export const BUNDLE_PATH_FIELD_ID = 'bundle-path';

/** Native file and folder dialogs in Electron; a path field in the web host, which has none. */
export function OpenBundleControls() {
  const { info } = useAppShell();
  return info.nativeDialogs ? <NativeOpenButtons /> : <OpenByPath />;
}

function NativeOpenButtons() {
  const { pickBundle, picking } = useAppShell();
  return (
    <div className="open-controls">
      <button type="button" className="primary" aria-keyshortcuts={ariaShortcut('O')} disabled={picking} onClick={() => pickBundle(false)}>
        Open bundle…
      </button>
      <button type="button" disabled={picking} onClick={() => pickBundle(true)}>
        Open folder…
      </button>
      <button type="button" disabled={picking} onClick={() => pickBundle(true, 'artifact')}>
        Open model folder…
      </button>
      <button type="button" disabled={picking} onClick={() => pickBundle(false, 'artifact')}>
        Open signed file…
      </button>
    </div>
  );
}

function OpenByPath() {
  const { openBundle } = useAppShell();
  const [path, setPath] = useState('');
  const [signature, setSignature] = useState('');
  const hintId = useId();
  const signatureId = useId();
  const signatureHintId = useId();
  return (
    <form
      className="open-controls"
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = path.trim();
        const chosenSignature = signature.trim();
        if (trimmed !== '') openBundle(trimmed, chosenSignature === '' ? undefined : chosenSignature);
      }}
    >
      <div className="field">
        <label htmlFor={BUNDLE_PATH_FIELD_ID}>Bundle path on this machine</label>
        <div className="input-row">
          <input
            id={BUNDLE_PATH_FIELD_ID}
            className="mono"
            value={path}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={hintId}
            aria-keyshortcuts={ariaShortcut('O')}
            onChange={(event) => setPath(event.target.value)}
          />
          <button type="submit" className="primary" disabled={path.trim() === ''}>
            Open
          </button>
        </div>
        <p id={hintId} className="muted">
          A bundle folder, or a .tar, .tar.gz or .zip archive of one; a model folder signed with OpenSSF Model Signing (model.sig); or a file with its Sigstore bundle beside it
          (file.sigstore.json, .sigstore or .bundle).
        </p>
      </div>
      <div className="field">
        <label htmlFor={signatureId}>Signature path (optional)</label>
        <input
          id={signatureId}
          className="mono"
          value={signature}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={signatureHintId}
          onChange={(event) => setSignature(event.target.value)}
        />
        <p id={signatureHintId} className="muted">
          The signature of the file above, when it is not beside it. Its format is read from its content.
        </p>
      </div>
    </form>
  );
}

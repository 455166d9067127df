import { useId, useState } from 'react';
import type { ApiError } from '../../../shared/api/contract';
import { ERROR_TITLES } from '../common/status-words';
import { OutsideText } from '../common/OutsideText';
import { plainError } from '../common/plain-words';
import { useCommandMutation } from '../bridge/hooks';
import { useAppShell } from '../navigation/AppContext';

/** The ratio offered when an archive was refused as too compressible: ten times the default limit. */
const SUGGESTED_RATIO = 1000;

/** A verification that did not produce a report: what stopped it, in the host's words. */
export function VerifyFailed({
  path,
  error,
  onRetry,
  onAllowRatio,
  onSignatureChosen,
}: {
  path: string;
  error: ApiError;
  onRetry(): void;
  onAllowRatio(ratio: number): void;
  /** The file has no signature beside it and the person chose one: open the two together. */
  onSignatureChosen?(signature: string): void;
}) {
  return (
    <section className="panel failure" aria-label="Verification failed">
      <div role="alert">
        <h1 tabIndex={-1}>Could not verify this bundle</h1>
        <p className="error-line">
          <strong>{ERROR_TITLES[error.code]}:</strong> <OutsideText text={plainError(error.message)} />
        </p>
      </div>
      <p className="muted">
        <code><OutsideText text={path} /></code> · error code <code>{error.code}</code>
      </p>
      {error.subcode === 'compression-ratio' ? (
        <RaiseRatio onAllowRatio={onAllowRatio} />
      ) : error.subcode === 'signature-needed' && onSignatureChosen !== undefined ? (
        <ChooseSignature onChosen={onSignatureChosen} />
      ) : (
        <button type="button" onClick={onRetry}>
          Verify again
        </button>
      )}
    </section>
  );
}

/** A signed file with no signature beside it: the person names it (a dialog where there is one, a path otherwise). */
function ChooseSignature({ onChosen }: { onChosen(signature: string): void }) {
  const { info } = useAppShell();
  const fieldId = useId();
  const [path, setPath] = useState('');
  const pick = useCommandMutation('bundle.pickFile', {
    onSuccess: ({ path: picked }) => {
      if (picked !== null) onChosen(picked);
    },
  });
  if (info.nativeDialogs) {
    return (
      <p>
        <button type="button" className="primary" disabled={pick.isPending} onClick={() => pick.mutate({ directory: false, purpose: 'signature' })}>
          Signature…
        </button>
      </p>
    );
  }
  return (
    <form
      className="choose-signature"
      onSubmit={(event) => {
        event.preventDefault();
        if (path.trim() !== '') onChosen(path.trim());
      }}
    >
      <label htmlFor={fieldId}>Signature path on this machine</label>
      <div className="input-row">
        <input id={fieldId} className="mono" value={path} spellCheck={false} autoComplete="off" onChange={(event) => setPath(event.target.value)} />
        <button type="submit" className="primary" disabled={path.trim() === ''}>
          Open with this signature
        </button>
      </div>
    </form>
  );
}

/** The archive was refused as a possible archive bomb: the person may know better, and say how far it may expand. */
function RaiseRatio({ onAllowRatio }: { onAllowRatio(ratio: number): void }) {
  const fieldId = useId();
  const [ratio, setRatio] = useState(String(SUGGESTED_RATIO));
  const value = Number(ratio);
  const valid = Number.isFinite(value) && value >= 1 && value <= 1_000_000;
  return (
    <form
      className="raise-ratio"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onAllowRatio(value);
      }}
    >
      <p>Open it anyway only if you expect this bundle to be that compressible (for example, files of zeros or repeated text). Free space on the disk is still checked.</p>
      <label htmlFor={fieldId}>Allow up to this many bytes per compressed byte</label>
      <input id={fieldId} inputMode="numeric" value={ratio} onChange={(event) => setRatio(event.target.value)} aria-invalid={!valid} />
      <button type="submit" disabled={!valid}>
        Open with this limit
      </button>
    </form>
  );
}

export function VerifyCancelled({ path, onRetry }: { path: string; onRetry(): void }) {
  return (
    <section className="panel" aria-label="Verification cancelled">
      <h1 tabIndex={-1}>Verification cancelled</h1>
      <p>
        Nothing was concluded about <code><OutsideText text={path} /></code>.
      </p>
      <button type="button" className="primary" onClick={onRetry}>
        Verify again
      </button>
    </section>
  );
}

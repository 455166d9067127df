import type { ApiError } from '../../../shared/api/contract';
import { ERROR_TITLES } from '../common/status-words';
import { OutsideText } from '../common/OutsideText';

/** A verification that did not produce a report: what stopped it, in the host's words. */
export function VerifyFailed({ path, error, onRetry }: { path: string; error: ApiError; onRetry(): void }) {
  return (
    <section className="panel failure" aria-label="Verification failed">
      <div role="alert">
        <h1 tabIndex={-1}>Could not verify this bundle</h1>
        <p className="error-line">
          <strong>{ERROR_TITLES[error.code]}:</strong> <OutsideText text={error.message} />
        </p>
      </div>
      <p className="muted">
        <code><OutsideText text={path} /></code> · error code <code>{error.code}</code>
      </p>
      <button type="button" onClick={onRetry}>
        Verify again
      </button>
    </section>
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

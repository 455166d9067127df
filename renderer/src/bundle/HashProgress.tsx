import type { JobProgress as Progress } from '../../../shared/api/contract';
import { formatCount, formatNumber, formatPercent, formatProgress } from '../format';

interface HashProgressProps {
  path: string;
  progress: Progress | null;
  secondsLeft: number | null;
  cancelling: boolean;
  /** Null while the bundle is still being opened: there is nothing to cancel yet. */
  onCancel: (() => void) | null;
}

/** Verification under way: bytes hashed, files done, time left, and a way to stop. */
export function HashProgress({ path, progress, secondsLeft, cancelling, onCancel }: HashProgressProps) {
  const line = progress === null ? 'Reading the bundle…' : formatProgress(progress.bytesDone, progress.bytesTotal, secondsLeft);
  const percent = progress === null ? null : Number.parseInt(formatPercent(progress.bytesDone, progress.bytesTotal), 10);
  return (
    <section className="panel hash-progress" aria-label="Verification progress">
      <h1 tabIndex={-1}>Verifying…</h1>
      <p>
        <code>{path}</code>
      </p>
      <div
        role="progressbar"
        aria-label="Hashing progress"
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent === null ? {} : { 'aria-valuenow': percent })}
        aria-valuetext={line}
        className={`progress-track${percent === null ? ' indeterminate' : ''}`}
      >
        <div className="progress-fill" style={{ width: `${percent ?? 0}%` }} />
      </div>
      <p className="progress-line">{line}</p>
      {progress !== null && (
        <p className="muted">
          {formatNumber(progress.filesDone)} of {formatCount(progress.filesTotal, 'file')} hashed
        </p>
      )}
      {onCancel !== null && (
        <button type="button" onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
    </section>
  );
}

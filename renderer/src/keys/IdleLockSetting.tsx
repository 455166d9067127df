import { useId, useState } from 'react';
import { MAX_IDLE_LOCK_MINUTES } from '../../../shared/api/contract';
import { useCommand, useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { formatCount } from '../format';
import { useKeysChanged } from './useKeysChanged';

/** How long an unlocked key stays unlocked without being used. */
export function IdleLockSetting() {
  const headingId = useId();
  const minutesId = useId();
  const status = useCommand('keys.status', {});
  const keysChanged = useKeysChanged();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useCommandMutation('keys.setIdleLock', {
    onSuccess: () => {
      setDraft(null);
      keysChanged();
    },
  });
  const current = status.data?.idleLockMinutes;
  const shown = draft ?? (current === undefined ? '' : String(current));
  const minutes = Number(shown);
  const valid = Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_IDLE_LOCK_MINUTES;

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Locking</h2>
      {status.isError ? (
        <ErrorNotice error={status.error} prefix="Could not read the lock settings" />
      ) : (
        <form
          className="actions"
          onSubmit={(event) => {
            event.preventDefault();
            if (valid) save.mutate({ minutes });
          }}
        >
          <div className="field inline">
            <label htmlFor={minutesId}>Lock unlocked keys after this many idle minutes</label>
            <input
              id={minutesId}
              type="number"
              min={1}
              max={MAX_IDLE_LOCK_MINUTES}
              step={1}
              className="number-input"
              value={shown}
              onChange={(event) => {
                setDraft(event.target.value);
                save.reset();
              }}
            />
          </div>
          <button type="submit" disabled={!valid || draft === null || save.isPending}>
            Save
          </button>
        </form>
      )}
      {current !== undefined && (
        <p className="muted" aria-live="polite">
          Keys lock after {formatCount(current, 'minute')} without use{save.isSuccess ? ' (saved)' : ''}.
        </p>
      )}
      {save.isError && <ErrorNotice error={save.error} prefix="Not saved" />}
    </section>
  );
}

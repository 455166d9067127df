import { useEffect, useId, useState } from 'react';
import { passphraseStrength } from './passphrase-strength';

interface PassphraseFieldsProps {
  value: string;
  onChange(passphrase: string): void;
  /** True once both fields agree and are not empty. */
  onValidityChange(valid: boolean): void;
}

/** A new passphrase typed twice, with a strength hint announced as it changes. */
export function PassphraseFields({ value, onChange, onValidityChange }: PassphraseFieldsProps) {
  const firstId = useId();
  const secondId = useId();
  const hintId = useId();
  const mismatchId = useId();
  const [repeat, setRepeat] = useState('');
  const { strength, hint } = passphraseStrength(value);
  const mismatch = repeat !== '' && repeat !== value;
  const valid = value !== '' && repeat === value;

  useEffect(() => onValidityChange(valid), [valid, onValidityChange]);
  // The form clears the passphrase after use; clear the repeat with it.
  useEffect(() => {
    if (value === '') setRepeat('');
  }, [value]);

  return (
    <>
      <div className="field">
        <label htmlFor={firstId}>Passphrase</label>
        <input id={firstId} type="password" autoComplete="new-password" value={value} aria-describedby={hintId} onChange={(event) => onChange(event.target.value)} />
        <p id={hintId} className={`strength strength-${strength}`} aria-live="polite">
          {hint}
        </p>
      </div>
      <div className="field">
        <label htmlFor={secondId}>Passphrase again</label>
        <input
          id={secondId}
          type="password"
          autoComplete="new-password"
          value={repeat}
          aria-invalid={mismatch}
          {...(mismatch ? { 'aria-describedby': mismatchId } : {})}
          onChange={(event) => setRepeat(event.target.value)}
        />
        {mismatch && (
          <p id={mismatchId} className="error-notice">
            The two passphrases differ.
          </p>
        )}
      </div>
    </>
  );
}

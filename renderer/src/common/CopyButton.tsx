import { useEffect, useState } from 'react';

/** Copies `text`; says "Copied" next to the button (politely announced) for a moment. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);

  useEffect(() => {
    if (outcome === null) return;
    const timer = setTimeout(() => setOutcome(null), 2000);
    return () => clearTimeout(timer);
  }, [outcome]);

  const copy = async () => setOutcome((await copyText(text)) ? 'copied' : 'failed');

  return (
    <span className="copy">
      <button type="button" className="small" onClick={() => void copy()}>
        {label}
      </button>
      <span className="copy-outcome" aria-live="polite">
        {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Could not copy; select the text instead' : ''}
      </span>
    </span>
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The Electron host denies permission requests, which can include clipboard writes.
    return copyWithSelection(text);
  }
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}

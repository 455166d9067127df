import { useId, useState } from 'react';
import type { ApprovalStatus } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call, errorText } from '../bridge/hooks';
import { StatusBadge } from '../common/StatusBadge';
import type { StatusLook } from '../common/status-words';
import { formatBytes } from '../format';

/** The contract's cap on one approval file. */
const MAX_APPROVAL_BYTES = 1024 * 1024;

const IMPORTED: StatusLook = { word: 'Imported', icon: '✓', tone: 'good' };
const REFUSED: StatusLook = { word: 'Refused', icon: '✗', tone: 'bad' };

type ImportOutcome = { fileName: string; refusal: string | null };

/** Approval files from other reviewers, sent one by one; each refusal comes back with its reason. */
export function ImportApprovals({ sessionId, onImported }: { sessionId: string; onImported(status: ApprovalStatus): void }) {
  const bridge = useBridge();
  const inputId = useId();
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<ImportOutcome[]>([]);

  const importFiles = async (files: File[]) => {
    setBusy(true);
    setOutcomes([]);
    for (const file of files) {
      const outcome = await importOne(file);
      setOutcomes((previous) => [...previous, outcome]);
    }
    setBusy(false);
  };

  const importOne = async (file: File): Promise<ImportOutcome> => {
    if (file.size > MAX_APPROVAL_BYTES) return { fileName: file.name, refusal: `it is ${formatBytes(file.size)}; an approval file may be at most ${formatBytes(MAX_APPROVAL_BYTES)}` };
    try {
      const { status } = await call(bridge, 'approvals.import', { sessionId, fileName: file.name, text: await file.text() });
      onImported(status);
      return { fileName: file.name, refusal: null };
    } catch (caught) {
      return { fileName: file.name, refusal: errorText(caught) };
    }
  };

  return (
    // The file input stays in the tab order, visually hidden; its label is what people see and click.
    <div className="import-approvals">
      <input
        id={inputId}
        type="file"
        multiple
        accept=".json,application/json"
        className="visually-hidden"
        disabled={busy}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = '';
          if (files.length > 0) void importFiles(files);
        }}
      />
      <label htmlFor={inputId} className={`file-button${busy ? ' disabled' : ''}`}>
        Import approvals…
      </label>
      {busy && <span className="muted"> Importing…</span>}
      {outcomes.length > 0 && (
        <ul aria-label="Imported approval files" className="plain-list import-outcomes" aria-live="polite">
          {outcomes.map((outcome, index) => (
            <li key={index}>
              <StatusBadge look={outcome.refusal === null ? IMPORTED : REFUSED} /> <code>{outcome.fileName}</code>
              {outcome.refusal !== null && <span className="error-notice">: {outcome.refusal}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { useId, useState } from 'react';
import type { AuditVerification } from '../../../shared/api/contract';
import { useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { saveTextFile } from '../common/save-file';
import { StatusBadge } from '../common/StatusBadge';
import type { StatusLook } from '../common/status-words';
import { chainSummary } from './audit-words';

const INTACT: StatusLook = { word: 'Intact', icon: '✓', tone: 'good' };
const BROKEN: StatusLook = { word: 'Broken', icon: '✗', tone: 'bad' };
const MAX_HEAD_FILE_BYTES = 10_000;

/**
 * Recomputes the hash chain on the Node side and says whether it holds, or where it first breaks;
 * exports the head, and checks the log against a head exported earlier.
 */
export function ChainCheck() {
  const headingId = useId();
  const fileId = useId();
  const verify = useCommandMutation('audit.verify');
  const verifyAgainst = useCommandMutation('audit.verifyAgainst');
  const exportHead = useCommandMutation('audit.exportHead', {
    onSuccess: (head) => saveTextFile(JSON.stringify(head, null, 2) + '\n', `audit-head-${head.entries}.json`, 'application/json'),
  });
  const [fileProblem, setFileProblem] = useState<string | null>(null);

  const checkAgainst = async (file: File | undefined) => {
    setFileProblem(null);
    if (file === undefined) return;
    if (file.size > MAX_HEAD_FILE_BYTES) {
      setFileProblem(`${file.name} is too large to be an audit head file.`);
      return;
    }
    try {
      verifyAgainst.mutate({ head: await file.text() });
    } catch {
      setFileProblem(`${file.name} could not be read.`);
    }
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Chain</h2>
      <button type="button" disabled={verify.isPending} onClick={() => verify.mutate({})}>
        {verify.isPending ? 'Verifying…' : 'Verify chain'}
      </button>{' '}
      <button type="button" disabled={exportHead.isPending} onClick={() => exportHead.mutate({})}>
        Export head…
      </button>
      <div className="field">
        <label htmlFor={fileId}>Check against an exported head</label>
        <input id={fileId} type="file" accept=".json,application/json" onChange={(event) => void checkAgainst(event.target.files?.[0])} />
      </div>
      {verify.isError && <ErrorNotice error={verify.error} prefix="Could not verify the audit log" />}
      {exportHead.isError && <ErrorNotice error={exportHead.error} prefix="Could not export the head" />}
      {verifyAgainst.isError && <ErrorNotice error={verifyAgainst.error} prefix="Could not check against the head" />}
      {fileProblem !== null && (
        <p role="alert" className="error-notice">
          {fileProblem}
        </p>
      )}
      {verify.data !== undefined && <ChainResult result={verify.data} />}
      {verifyAgainst.data !== undefined && <ChainResult result={verifyAgainst.data} against />}
    </section>
  );
}

function ChainResult({ result, against = false }: { result: AuditVerification; against?: boolean }) {
  const suffix = against && result.ok ? ' It still holds the exported head.' : '';
  return result.ok ? (
    <p role="status" className="chain-result">
      <StatusBadge look={INTACT} /> {chainSummary(result)}
      {suffix}
    </p>
  ) : (
    <p role="alert" className="chain-result">
      <StatusBadge look={BROKEN} /> {chainSummary(result)}
    </p>
  );
}

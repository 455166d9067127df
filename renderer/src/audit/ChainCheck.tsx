import { useId } from 'react';
import { useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { StatusBadge } from '../common/StatusBadge';
import type { StatusLook } from '../common/status-words';
import { chainSummary } from './audit-words';

const INTACT: StatusLook = { word: 'Intact', icon: '✓', tone: 'good' };
const BROKEN: StatusLook = { word: 'Broken', icon: '✗', tone: 'bad' };

/** Recomputes the hash chain on the Node side and says whether it holds, or where it first breaks. */
export function ChainCheck() {
  const headingId = useId();
  const verify = useCommandMutation('audit.verify');
  const result = verify.data;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Chain</h2>
      <button type="button" disabled={verify.isPending} onClick={() => verify.mutate({})}>
        {verify.isPending ? 'Verifying…' : 'Verify chain'}
      </button>
      {verify.isError && <ErrorNotice error={verify.error} prefix="Could not verify the audit log" />}
      {result !== undefined &&
        (result.ok ? (
          <p role="status" className="chain-result">
            <StatusBadge look={INTACT} /> {chainSummary(result)}
          </p>
        ) : (
          <p role="alert" className="chain-result">
            <StatusBadge look={BROKEN} /> {chainSummary(result)}
          </p>
        ))}
    </section>
  );
}

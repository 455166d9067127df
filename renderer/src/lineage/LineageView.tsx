import { useEffect, useMemo, useRef } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { VerificationReport } from '../../../shared/verify/report';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { LineageExplorer } from './LineageExplorer';
import { subjectVerdictsOf } from './node-status';
import './lineage.css';
import { NoBundleOpen } from '../common/NoBundleOpen';
import { OutsideText, shownText } from '../common/OutsideText';
import { plainMessage } from '../common/plain-words';

/**
 * The lineage of the open bundle. `report` is the bundle's finished verification, if any: nodes
 * linked to a subject show whether it verified.
 */
export function LineageView({ bundleOpen, sessionId, report }: { bundleOpen: boolean; sessionId: string | null; report: VerificationReport | null }) {
  if (sessionId === null) return <NoBundleOpen title="Lineage" opening={bundleOpen} />;
  return <BundleLineage sessionId={sessionId} report={report} />;
}

function BundleLineage({ sessionId, report }: { sessionId: string; report: VerificationReport | null }) {
  const graph = useCommand('lineage.graph', { sessionId });
  const verdicts = useMemo(() => subjectVerdictsOf(report), [report]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The loading placeholder's heading had focus and is gone: take it over, unless focus moved elsewhere.
  useEffect(() => {
    if (document.activeElement === null || document.activeElement === document.body) headingRef.current?.focus();
  }, []);
  return (
    <div className="lineage-view">
      <h1 tabIndex={-1} ref={headingRef}>
        Lineage
      </h1>
      {graph.isPending && <p className="muted">Reading the lineage…</p>}
      {graph.isError && <ErrorNotice error={graph.error} prefix="Could not read the lineage" />}
      {graph.data !== undefined && (
        <>
          <p className="muted">
            {graph.data.sourceFiles.length === 0 ? 'This bundle has no lineage file.' : `From ${shownText(graph.data.sourceFiles.join(', '))}.`}
            {verdicts === null && ' Subject statuses appear when verification finishes.'}
          </p>
          {graph.data.findings.length > 0 && (
            <ul className="lineage-findings" aria-label="Lineage findings">
              {graph.data.findings.map((finding, index) => (
                <li key={index} className={`tone-${finding.severity === 'error' ? 'bad' : finding.severity === 'warning' ? 'warn' : 'neutral'}`}>
                  <OutsideText text={plainMessage(finding.message)} />
                  {finding.location !== null && (
                    <span className="muted">
                      {' ('}
                      <OutsideText text={plainMessage(finding.location)} />
                      {')'}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
          {graph.data.nodes.length > 0 && (
            <ReactFlowProvider>
              <LineageExplorer key={sessionId} sessionId={sessionId} graph={graph.data} verdicts={verdicts} report={report} />
            </ReactFlowProvider>
          )}
        </>
      )}
    </div>
  );
}

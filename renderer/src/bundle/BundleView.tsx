import { useEffect, useRef } from 'react';
import { ApprovalsPanel } from '../approvals/ApprovalsPanel';
import { useAppShell } from '../navigation/AppContext';
import { ExportReportButton } from './ExportReportButton';
import { FindingsPanel, UnexpectedBlobsPanel } from './FindingsPanel';
import { HashProgress } from './HashProgress';
import { OfferedKeysPanel } from './OfferedKeysPanel';
import { SignaturesPanel } from './SignaturesPanel';
import { SubjectsTable } from './SubjectsTable';
import type { ReviewSessionHandle } from './useReviewSession';
import { VerdictBanner } from './VerdictBanner';
import { VerifyCancelled, VerifyFailed } from './VerifyOutcome';

/** One bundle: its verification under way, or what it concluded. */
export function BundleView({ path, review }: { path: string | null; review: ReviewSessionHandle }) {
  const { showView } = useAppShell();
  const { state, cancel, verifyAgain, openAllowingRatio } = review;
  useFocusKeptOnPhaseChange(state.phase);

  if (path === null || state.phase === 'idle') {
    return (
      <section className="panel">
        <h1 tabIndex={-1}>No bundle is open</h1>
        <button type="button" onClick={() => showView('home')}>
          Open a bundle on Home
        </button>
      </section>
    );
  }
  switch (state.phase) {
    case 'opening':
      return <HashProgress path={path} progress={null} secondsLeft={null} cancelling={false} onCancel={null} />;
    case 'running':
      return <HashProgress path={path} progress={state.progress} secondsLeft={state.secondsLeft} cancelling={state.cancelling} onCancel={cancel} />;
    case 'cancelled':
      return <VerifyCancelled path={path} onRetry={verifyAgain} />;
    case 'failed':
      return <VerifyFailed path={path} error={state.error} onRetry={verifyAgain} onAllowRatio={openAllowingRatio} />;
    case 'done': {
      const { report } = state;
      return (
        <div className="bundle-report">
          <VerdictBanner report={report} />
          <p className="toolbar">
            <span className="muted">Checked {new Date(report.verifiedAt).toLocaleString()}</span>
            <button type="button" onClick={verifyAgain}>
              Verify again
            </button>
            <button type="button" onClick={() => showView('lineage')}>
              Show lineage
            </button>
            <button type="button" onClick={() => showView('deployment')}>
              Compare with deployment
            </button>
            <ExportReportButton sessionId={state.sessionId} />
          </p>
          <ApprovalsPanel sessionId={state.sessionId} report={report} />
          <SignaturesPanel signatures={report.signatures} />
          <FindingsPanel findings={report.findings} />
          <SubjectsTable subjects={report.subjects} />
          <UnexpectedBlobsPanel blobs={report.unexpectedBlobs} />
          <OfferedKeysPanel sessionId={state.sessionId} />
        </div>
      );
    }
  }
}

/**
 * When verification ends, the progress panel (and the focused Cancel button or heading in it) is
 * replaced; focus would fall back to the page. Move it to the new heading instead, but only when it
 * was lost, never away from where the person put it.
 */
function useFocusKeptOnPhaseChange(phase: string) {
  const previous = useRef(phase);
  useEffect(() => {
    if (previous.current === phase) return;
    previous.current = phase;
    const active = document.activeElement;
    if (active === null || active === document.body) document.querySelector<HTMLElement>('main h1')?.focus();
  }, [phase]);
}

import { useEffect, useRef, useState } from 'react';
import { summariseRelease } from '../../../shared/review/release-summary';
import type { VerificationReport } from '../../../shared/verify/report';
import { ApprovalsPanel } from '../approvals/ApprovalsPanel';
import { useAppShell } from '../navigation/AppContext';
import { BoardAnswerPanel } from './BoardAnswerPanel';
import { BoardReleasePanel } from './BoardReleasePanel';
import { CompareReleases } from './CompareReleases';
import { ExportReportButton } from './ExportReportButton';
import { FindingsPanel, UnexpectedBlobsPanel } from './FindingsPanel';
import { ForeignReviewScreen } from './ForeignReview';
import { HashProgress } from './HashProgress';
import { OfferedKeysPanel } from './OfferedKeysPanel';
import { SignaturesPanel } from './SignaturesPanel';
import { AttestationsPanel } from './AttestationsPanel';
import { ReleaseSummaryPanel } from './ReleaseSummaryPanel';
import { SubjectsTable } from './SubjectsTable';
import { useBoardAnswer } from './useBoardAnswer';
import type { ReviewSessionHandle } from './useReviewSession';
import { VerdictBanner } from './VerdictBanner';
import { VerifyCancelled, VerifyFailed } from './VerifyOutcome';
import './review.css';

/** One bundle: its verification under way, or what it concluded. */
export function BundleView({ path, review }: { path: string | null; review: ReviewSessionHandle }) {
  const { showView, openBundle } = useAppShell();
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
      return <VerifyFailed path={path} error={state.error} onRetry={verifyAgain} onAllowRatio={openAllowingRatio} onSignatureChosen={(signature) => openBundle(path, signature)} />;
    case 'done':
      return review.foreign !== null ? (
        <ForeignReviewScreen report={state.report} foreign={review.foreign} onVerifyAgain={verifyAgain} />
      ) : (
        <ReviewScreen sessionId={state.sessionId} report={state.report} onVerifyAgain={verifyAgain} />
      );
  }
}

/** A verified bundle: the board's answer and the next step first, then the release, its approvals and the evidence. */
function ReviewScreen({ sessionId, report, onVerifyAgain }: { sessionId: string; report: VerificationReport; onVerifyAgain(): void }) {
  const { showView } = useAppShell();
  const answer = useBoardAnswer(sessionId, report);
  const [comparing, setComparing] = useState(false);
  const authorName = authorNameOf(report, answer.status.data?.evaluation.author?.member ?? null);
  return (
    <div className="bundle-report">
      <BoardAnswerPanel sessionId={sessionId} report={report} state={answer} />
      <p className="toolbar">
        <span className="muted">Checked {new Date(report.verifiedAt).toLocaleString()}</span>
        <button type="button" onClick={onVerifyAgain}>
          Verify again
        </button>
        <button type="button" onClick={() => setComparing(true)}>
          Compare with…
        </button>
        <button type="button" onClick={() => showView('lineage')}>
          Show lineage
        </button>
        <button type="button" onClick={() => showView('deployment')}>
          Compare with deployment
        </button>
        <ExportReportButton sessionId={sessionId} />
      </p>
      {comparing && <CompareReleases sessionId={sessionId} onClose={() => setComparing(false)} />}
      {report.manifest !== null && <ReleaseSummaryPanel summary={summariseRelease(report.manifest, report.subjects, authorName)} vouched={report.signatures.some((signature) => signature.status === 'valid')} />}
      <VerdictBanner report={report} />
      <BoardReleasePanel sessionId={sessionId} report={report} />
      <ApprovalsPanel sessionId={sessionId} report={report} />
      <SignaturesPanel signatures={report.signatures} />
      <AttestationsPanel attestations={report.attestations} />
      <FindingsPanel findings={report.findings} />
      <SubjectsTable subjects={report.subjects} />
      <UnexpectedBlobsPanel blobs={report.unexpectedBlobs} />
      <OfferedKeysPanel sessionId={sessionId} />
    </div>
  );
}

/** The author's name: the board member holding the createdBy key, else whoever a valid signature by that key is trusted as. */
function authorNameOf(report: VerificationReport, boardMember: string | null): string | null {
  if (boardMember !== null) return boardMember;
  const createdBy = report.manifest?.createdBy ?? null;
  const signature = report.signatures.find((candidate) => candidate.status === 'valid' && candidate.keyId === createdBy && candidate.signerName !== null);
  return signature?.signerName ?? null;
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

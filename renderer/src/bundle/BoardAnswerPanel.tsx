import type { VerificationReport } from '../../../shared/verify/report';
import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { ANSWER_LOOK } from './answer-look';
import { NextAction } from './NextAction';
import type { BoardAnswerState } from './useBoardAnswer';

/**
 * The headline of the bundle view: the board's answer (word, icon, colour), its reasons with the
 * integrity verdict first, and beside it the next thing to do.
 */
export function BoardAnswerPanel({ sessionId, report, state }: { sessionId: string; report: VerificationReport; state: BoardAnswerState }) {
  const { answer, board, status, otherManifest } = state;
  const look = answer === null ? { icon: '…', tone: 'neutral' as const } : ANSWER_LOOK[answer.kind];
  return (
    <section aria-label="Board's answer" className={`answer-panel tone-${look.tone}`}>
      <div className="answer-main">
        {/* Announced when it changes (trust pinned, a decision signed), as the verdict banner was. */}
        <div className="answer-headline" aria-live="polite">
          <span className="verdict-icon" aria-hidden="true">
            {look.icon}
          </span>
          <h1 tabIndex={-1}>{answer === null ? 'Checking the board’s rules…' : answer.headline}</h1>
        </div>
        {answer !== null && (
          <ul aria-label="Reasons" className="reasons">
            {answer.reasons.map((reason, index) => (
              <li key={index}>
                <OutsideText text={reason} />
              </li>
            ))}
          </ul>
        )}
        {board.isError && <ErrorNotice error={board.error} prefix="Could not read the board policy" />}
        {status.isError && <ErrorNotice error={status.error} prefix="Could not judge the approvals" />}
        {otherManifest && <p className="notice notice-error">The approvals were judged for another manifest than the one verified: open the bundle again.</p>}
      </div>
      <NextAction sessionId={sessionId} report={report} state={state} />
    </section>
  );
}

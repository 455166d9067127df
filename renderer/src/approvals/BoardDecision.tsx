import type { BoardEvaluation } from '../../../shared/approvals/evaluation';
import { BOARD_VERDICT_LOOK, boardVerdict, quorumLine } from './approval-words';
import { OutsideText } from '../common/OutsideText';

/** The board's answer first: Approved, Blocked (and by whom) or not yet, with the quorum by seat and count. */
export function BoardDecision({ evaluation }: { evaluation: BoardEvaluation }) {
  const verdict = boardVerdict(evaluation);
  const look = BOARD_VERDICT_LOOK[verdict];
  const blockingRule = evaluation.rules.find((rule) => rule.id === 'no-blocking-rejection' && !rule.met);
  return (
    <div role="status" aria-label="Board decision" className={`board-decision tone-${look.tone}`}>
      <p className="board-decision-headline">
        <span className="verdict-icon small" aria-hidden="true">
          {look.icon}
        </span>
        <strong>{look.word}</strong>
      </p>
      <p className="quorum-line">{quorumLine(evaluation)}</p>
      {blockingRule !== undefined && <p><OutsideText text={blockingRule.summary} /></p>}
    </div>
  );
}

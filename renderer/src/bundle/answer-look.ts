import type { BoardAnswerKind } from '../../../shared/review/board-answer';
import type { StatusLook } from '../common/status-words';

/** The board's answer as a word (the headline says it), an icon, and a tone that only repeats them. */
export const ANSWER_LOOK: Record<BoardAnswerKind, Omit<StatusLook, 'word'>> = {
  approved: { icon: '✓', tone: 'good' },
  blocked: { icon: '✗', tone: 'bad' },
  'needs-more': { icon: '…', tone: 'warn' },
  'not-approved': { icon: '!', tone: 'warn' },
  'cannot-approve': { icon: '⊘', tone: 'bad' },
  'not-judged': { icon: '?', tone: 'neutral' },
};

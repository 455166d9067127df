import { useId } from 'react';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { BoardImport } from './BoardImport';
import { BoardSummaryView } from './BoardSummaryView';

export function BoardPanel() {
  const headingId = useId();
  const board = useCommand('trust.board', {});
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Board policy</h2>
      {board.isPending ? (
        <p className="muted">Loading…</p>
      ) : board.isError ? (
        <ErrorNotice error={board.error} prefix="Could not read the board policy" />
      ) : board.data === null ? (
        <p>No board policy is imported. Signatures count only under pinned keys.</p>
      ) : (
        <BoardSummaryView board={board.data} />
      )}
      <BoardImport />
    </section>
  );
}

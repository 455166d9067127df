import { useId } from 'react';
import type { BoardInbox as Inbox } from '../../../shared/api/contract';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { StatusBadge } from '../common/StatusBadge';
import { ANSWER_LOOK } from '../bundle/answer-look';
import { lastSyncWords } from '../board/board-words';
import { useAppShell } from '../navigation/AppContext';
import { inboxLabel, inboxNote } from './inbox-words';

/**
 * Releases published to the board that wait for this reviewer's decision, newest first, with the
 * board's answer for each. Absent when no board is set up here: there is nothing to wait for.
 */
export function BoardInbox() {
  const headingId = useId();
  const inbox = useCommand('board.inbox', {});
  const { showView } = useAppShell();
  if (inbox.isPending || (inbox.isSuccess && inbox.data === null)) return null;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Awaiting your decision</h2>
      {inbox.isError ? (
        <ErrorNotice error={inbox.error} prefix="Could not read the board's releases" />
      ) : inbox.data === null ? null : (
        <>
          <p className="muted">
            From the board as of the last sync: {lastSyncWords(inbox.data.lastSync === null ? null : { ...inbox.data.lastSync, commit: null }, new Date())}{' '}
            <button type="button" className="link-button" onClick={() => showView('board')}>
              Open the Board view
            </button>
          </p>
          <InboxList inbox={inbox.data} />
        </>
      )}
    </section>
  );
}

function InboxList({ inbox }: { inbox: NonNullable<Inbox> }) {
  const { openBundle } = useAppShell();
  if (inbox.memberName === null) return <p>This computer holds no member key of the board: it reads the board, and no decision waits for it.</p>;
  if (inbox.items.length === 0) return <p>Nothing on the board waits for your decision.</p>;
  return (
    <ul aria-label="Releases awaiting your decision" className="card-list">
      {inbox.items.map((item) => {
        const note = inboxNote(item);
        return (
          <li key={item.manifestDigest} className="card inbox-item">
            <button type="button" className="link-button" onClick={() => openBundle(item.boardCopy)}>
              <OutsideText text={inboxLabel(item)} />
            </button>{' '}
            <StatusBadge look={{ ...ANSWER_LOOK[item.answer.kind], word: item.answer.headline }} />
            {item.reopenedBy.length > 0 && <StatusBadge look={{ word: 'Re-opened', icon: '↺', tone: 'warn' }} />}
            {note !== null && (
              <p className="muted">
                <OutsideText text={note} />
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

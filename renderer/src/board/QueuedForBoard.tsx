import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { queueWords } from './board-words';
import { useBoardSync } from './useBoardSync';

/** Something signed here waits in the board's queue: say so, and offer the one step that shares it. */
export function QueuedForBoard({ what }: { what: string }) {
  const sync = useBoardSync();
  return (
    <div role="status" aria-label="Queued for the board" className="notice">
      {sync.isSuccess ? (
        sync.data.outcome === 'offline' ? (
          <p className="tone-warn">
            Offline: the remote cannot be reached. {queueWords(sync.data.status.queue, sync.data.status.lastSync)}. Nothing is lost; sync again later.
            {sync.data.detail != null && (
              <>
                <br />
                <OutsideText text={sync.data.detail} />
              </>
            )}
          </p>
        ) : (
          <p>
            Synced: {sync.data.published.length} published{sync.data.outcome === 'problems' ? '; the sync found problems, see the Board view' : ''}. The other members see {what} on their next
            sync.
          </p>
        )
      ) : (
        <p>Queued for the board: Sync now to share it.</p>
      )}
      <button type="button" aria-busy={sync.isPending} disabled={sync.isPending} onClick={() => sync.mutate({})}>
        {sync.isPending ? 'Syncing…' : 'Sync now'}
      </button>
      {sync.isError && <ErrorNotice error={sync.error} prefix="Not synced" />}
    </div>
  );
}

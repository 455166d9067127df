import { useQueryClient } from '@tanstack/react-query';
import { commandKey, useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { queueWords } from './board-words';

/** Something signed here waits in the board's queue: say so, and offer the one step that shares it. */
export function QueuedForBoard({ what }: { what: string }) {
  const queryClient = useQueryClient();
  const sync = useCommandMutation('board.sync', {
    onSuccess: (result) => {
      queryClient.setQueryData(commandKey('board.status', {}), result.status);
      for (const command of ['board.inbox', 'board.evaluate'] as const) void queryClient.invalidateQueries({ queryKey: commandKey(command) });
    },
  });
  return (
    <div role="status" aria-label="Queued for the board" className="notice">
      {sync.isSuccess ? (
        sync.data.outcome === 'offline' ? (
          <p className="tone-warn">Offline: the remote cannot be reached. {queueWords(sync.data.status.queue, sync.data.status.lastSync)}. Nothing is lost; sync again later.</p>
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

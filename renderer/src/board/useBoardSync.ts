import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { BoardSyncResult } from '../../../shared/api/contract';
import { commandKey, useCommandMutation } from '../bridge/hooks';

/** The last Sync now's result, kept while the app runs: its problems are what the remote lost or changed. */
const LAST_SYNC_KEY = ['board.sync', 'last result'] as const;

/** Sync now, from whichever screen: its result is the one the Board view shows, and every board answer refreshes. */
export function useBoardSync() {
  const queryClient = useQueryClient();
  return useCommandMutation('board.sync', {
    onSuccess: (result) => {
      queryClient.setQueryData(LAST_SYNC_KEY, result);
      queryClient.setQueryData(commandKey('board.status', {}), result.status);
      for (const command of ['board.inbox', 'board.evaluate'] as const) void queryClient.invalidateQueries({ queryKey: commandKey(command) });
    },
  });
}

export function useLastBoardSync(): BoardSyncResult | null {
  return useQuery<BoardSyncResult | null>({ queryKey: LAST_SYNC_KEY, queryFn: () => null, staleTime: Infinity, gcTime: Infinity }).data ?? null;
}

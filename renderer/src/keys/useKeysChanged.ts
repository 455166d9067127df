import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { commandKey } from '../bridge/hooks';

/** Refreshes everything that shows keys or their lock state, and the audit log that records key changes. */
export function useKeysChanged(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    for (const command of ['keys.list', 'keys.status', 'audit.list'] as const) {
      void queryClient.invalidateQueries({ queryKey: commandKey(command) });
    }
  }, [queryClient]);
}

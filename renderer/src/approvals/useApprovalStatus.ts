import { useCallback, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ApprovalStatus } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call, commandKey } from '../bridge/hooks';
import type { ApiCallError } from '../bridge/hooks';

export interface ApprovalStatusQuery {
  query: UseQueryResult<ApprovalStatus, ApiCallError>;
  /** Shows a status a command returned (after signing or importing) without evaluating again. */
  show(status: ApprovalStatus): void;
}

/**
 * The session's approvals judged under the board policy. `revision` changes whenever the session's
 * report does (trust changed), and the approvals are judged again with it.
 */
export function useApprovalStatus(sessionId: string, revision: string, enabled: boolean): ApprovalStatusQuery {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const queryKey = useMemo(() => [...commandKey('approvals.evaluate', { sessionId }), revision], [sessionId, revision]);
  const query = useQuery<ApprovalStatus, ApiCallError>({
    queryKey,
    queryFn: () => call(bridge, 'approvals.evaluate', { sessionId }),
    enabled,
    // The answer changes only with the session's report or a decision made here: no refetch on focus.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  const show = useCallback((status: ApprovalStatus) => queryClient.setQueryData(queryKey, status), [queryClient, queryKey]);
  return { query, show };
}

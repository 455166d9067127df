// Typed React Query hooks over the Bridge. A failed Result becomes a thrown ApiCallError whose
// message is the host's own message, so components show `error.message` and nothing else.
import { useMutation, useQuery } from '@tanstack/react-query';
import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query';
import type { ApiError, Bridge, CommandInput, CommandName, CommandOutput } from '../../../shared/api/contract';
import { useBridge } from './BridgeContext';
import { plainError } from '../common/plain-words';

export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  /** The finer reason some errors carry (e.g. 'no-deployment'); null when there is none. */
  readonly subcode: string | null;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.subcode = error.subcode ?? null;
  }
}

export async function call<C extends CommandName>(bridge: Bridge, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await bridge.invoke(command, input);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}

/** The query key of a command: invalidate `[command]` to refetch every input of it. */
export function commandKey<C extends CommandName>(command: C, input?: CommandInput<C>): readonly unknown[] {
  return input === undefined ? [command] : [command, input];
}

export function useCommand<C extends CommandName>(
  command: C,
  input: CommandInput<C>,
  /** `revision`: what else the answer depends on (a session's report); a new value asks again. */
  options: { enabled?: boolean; revision?: string | null } = {},
): UseQueryResult<CommandOutput<C>, ApiCallError> {
  const bridge = useBridge();
  return useQuery<CommandOutput<C>, ApiCallError>({
    queryKey: options.revision === undefined ? commandKey(command, input) : [...commandKey(command, input), options.revision],
    queryFn: () => call(bridge, command, input),
    enabled: options.enabled ?? true,
  });
}

export function useCommandMutation<C extends CommandName>(
  command: C,
  options: { onSuccess?: (output: CommandOutput<C>, input: CommandInput<C>) => void | Promise<void> } = {},
): UseMutationResult<CommandOutput<C>, ApiCallError, CommandInput<C>> {
  const bridge = useBridge();
  const { onSuccess } = options;
  return useMutation<CommandOutput<C>, ApiCallError, CommandInput<C>>({
    mutationFn: (input) => call(bridge, command, input),
    ...(onSuccess === undefined ? {} : { onSuccess: (output, input) => onSuccess(output, input) }),
  });
}

/** A message for any error a hook or promise can surface: what happened and what to do, in plain words. */
export function errorText(error: unknown): string {
  return plainError(error);
}

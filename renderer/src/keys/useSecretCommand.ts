import { useCallback, useState } from 'react';
import type { CommandInput, CommandOutput } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call } from '../bridge/hooks';

type SecretCommand = 'keys.generate' | 'keys.import' | 'keys.unlock';

export interface SecretCommandState<C extends SecretCommand> {
  run(input: CommandInput<C>): Promise<CommandOutput<C> | null>;
  busy: boolean;
  error: unknown;
  reset(): void;
}

/**
 * Runs a command whose input carries a passphrase. Unlike a React Query mutation,
 * which keeps its last input in the mutation cache, nothing here holds on to the input after the call.
 */
export function useSecretCommand<C extends SecretCommand>(command: C): SecretCommandState<C> {
  const bridge = useBridge();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = useCallback(
    async (input: CommandInput<C>) => {
      setBusy(true);
      setError(null);
      try {
        return await call(bridge, command, input);
      } catch (caught) {
        setError(caught);
        return null;
      } finally {
        setBusy(false);
      }
    },
    [bridge, command],
  );

  const reset = useCallback(() => setError(null), []);
  return { run, busy, error, reset };
}

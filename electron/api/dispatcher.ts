import { commands, isCommandName, type EventName, type EventPayload, type Result } from '../../shared/api/contract';
import { createHandlers, type HandlerServices } from './handlers';
import { toApiError } from './api-error';
import { openStore } from '../services/store/store';
import { createHashPool } from '../services/hashing/hash-files';
import { installNativeHashes } from '../services/native-hashes';

export interface HostHooks {
  host: 'electron' | 'web';
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Native file dialog; absent in the web host. `purpose` picks the title and file filters. */
  pickFile?: (options: { directory: boolean; purpose: 'bundle' | 'private-key' }) => Promise<string | null>;
}

export interface DispatcherOptions {
  dataDir: string;
  demoBundlePath: string | null;
  hooks: HostHooks;
  /** better-sqlite3 built for Electron, when running inside Electron. */
  sqliteNativeBinding?: string;
}

export interface Dispatcher {
  dispatch(command: string, input: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}

/**
 * The single entry point both hosts call. It checks the command name and validates the input
 * against the contract's schema before any handler runs, and turns every failure into
 * `{ ok: false, error }`.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  installNativeHashes();
  const store = openStore(options.dataDir, options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {});
  const hashPool = createHashPool();
  const services: HandlerServices = { store, hashPool, dataDir: options.dataDir, demoBundlePath: options.demoBundlePath, hooks: options.hooks };
  const handlers = createHandlers(services);

  return {
    async dispatch(command, input) {
      if (!isCommandName(command)) return { ok: false, error: { code: 'invalid-input', message: `Unknown command "${command}".` } };
      const parsed = commands[command].input.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? issue.path.join('.') + ': ' : '';
        return { ok: false, error: { code: 'invalid-input', message: `${command}: ${where}${issue?.message ?? 'invalid input'}` } };
      }
      try {
        const handler = handlers[command] as (input: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        return { ok: false, error: toApiError(error) };
      }
    },
    async close() {
      await hashPool.close();
      store.close();
    },
  };
}

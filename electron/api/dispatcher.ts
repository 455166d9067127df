import { commands, isCommandName, type EventName, type EventPayload, type Result } from '../../shared/api/contract';
import { createHandlers } from './handlers';
import type { HandlerServices } from './handlers/handler-kit';
import { toApiError } from './api-error';
import { openStore, type Store } from '../services/store/store';
import { createHashPool } from '../services/hashing/hash-files';
import { installNativeHashes } from '../services/native-hashes';
import { JobRegistry } from '../services/jobs/job-registry';
import { boardFileProfile, storeProfile, trustFlagsProfile } from '../services/profile/profile';
import { SessionRegistry } from '../services/session/session-registry';
import type { LoadedBoardPolicy } from '../services/trust/board-file';

/** What a native open dialog is for: it sets the title and the file filters. */
export type PickPurpose = 'bundle' | 'artifact' | 'signature' | 'private-key';

export interface HostHooks {
  host: 'electron' | 'web' | 'cli';
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Native file dialog; absent in the web host and the CLI. `purpose` picks the title and file filters. */
  pickFile?: (options: { directory: boolean; purpose: PickPurpose }) => Promise<string | null>;
}

export interface DispatcherOptions {
  dataDir: string;
  /**
   * A board policy file that is the only trust (the CLI's `--board`): the profile is neither read
   * nor written, except the key store when a command signs with a key held there.
   */
  boardFile?: LoadedBoardPolicy;
  /** Trust comes from a command's trust flags alone (`verify --key ...`): the profile is neither read nor written. */
  trustFlagsOnly?: boolean;
  demoBundlePath: string | null;
  hooks: HostHooks;
  /** better-sqlite3 built for Electron, when running inside Electron. */
  sqliteNativeBinding?: string;
  /** Told when opening the profile finds something the person should hear about (files other users can read). */
  onProfileWarning?: (message: string) => void;
}

export interface Dispatcher {
  dispatch(command: string, input: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}

/**
 * The single entry point every host calls: the Electron window, the loopback web host and the
 * CLI. It checks the command name and validates the input against the contract's schema before
 * any handler runs, and turns every failure into `{ ok: false, error }`. It owns the host's
 * profile, hash pool, jobs and review sessions, and closes them all in `close`.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  installNativeHashes();
  let store: Store | null = null;
  const storeOptions = {
    ...(options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {}),
    ...(options.onProfileWarning ? { onWarning: options.onProfileWarning } : {}),
  };
  const openProfileStore = () => (store ??= openStore(options.dataDir, storeOptions));
  const profile = options.trustFlagsOnly
    ? trustFlagsProfile()
    : options.boardFile
      ? boardFileProfile(options.boardFile, openProfileStore)
      : storeProfile(openProfileStore());
  const hashPool = createHashPool();
  const jobs = new JobRegistry((jobId, progress) => options.hooks.emit('job.progress', { jobId, ...progress }));
  const sessions = new SessionRegistry({ hashPool, ...(profile.hashCache ? { hashCache: profile.hashCache } : {}) });
  const services: HandlerServices = { profile, sessions, jobs, hashPool, dataDir: options.dataDir, demoBundlePath: options.demoBundlePath, hooks: options.hooks };
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
      jobs.cancelAll();
      await sessions.closeAll();
      await hashPool.close();
      store?.close();
    },
  };
}

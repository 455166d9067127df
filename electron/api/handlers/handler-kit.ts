import type { z } from 'zod';
import type { CommandDefinitions } from '../../../shared/api/commands/command-kit';
import type { HostHooks } from '../dispatcher';
import type { HashPool } from '../../services/hashing/hash-files';
import type { Store } from '../../services/store/store';

/** What handlers may use: the Node services behind the contract, and the host they are served by. */
export interface HandlerServices {
  store: Store;
  hashPool: HashPool;
  dataDir: string;
  demoBundlePath: string | null;
  hooks: HostHooks;
}

/** One async function per command of a domain's table, typed by its schemas. */
export type HandlersFor<T extends CommandDefinitions> = {
  [C in keyof T]: (input: z.output<T[C]['input']>) => Promise<z.output<T[C]['output']>>;
};

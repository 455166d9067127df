import type { z } from 'zod';
import type { CommandDefinitions } from '../../../shared/api/commands/command-kit';
import type { HostHooks } from '../dispatcher';
import type { HashPool } from '../../services/hashing/hash-files';
import type { JobRegistry } from '../../services/jobs/job-registry';
import type { Profile } from '../../services/profile/profile';
import type { SessionRegistry } from '../../services/session/session-registry';

/** What handlers may use: the Node services behind the contract, and the host they are served by. */
export interface HandlerServices {
  /** The person's profile, or a board policy file alone (`--board`). */
  profile: Profile;
  /** The open review sessions: every question about a bundle goes to one. */
  sessions: SessionRegistry;
  /** Every long operation runs here, under the caller's job ID. */
  jobs: JobRegistry;
  /** The hash workers, shared by sessions, foreign verifications and `release.create` (which hashes and copies with them). */
  hashPool: HashPool;
  dataDir: string;
  demoBundlePath: string | null;
  hooks: HostHooks;
}

/** One async function per command of a domain's table, typed by its schemas. */
export type HandlersFor<T extends CommandDefinitions> = {
  [C in keyof T]: (input: z.output<T[C]['input']>) => Promise<z.output<T[C]['output']>>;
};

import type { ApiError, CommandInput, CommandName, CommandOutput, JobProgress } from '../../shared/api/contract';
import { DomainError } from '../../shared/errors/domain-error';
import { createDispatcher } from '../api/dispatcher';
import { parseBoardPolicyBytes, readBoardPolicyFile } from '../services/trust/board-file';
import { defaultDataDir } from './data-dir';

/** One command of the contract, as the CLI calls it: the value, or a thrown DomainError with the contract's code. */
export type CliCall = <C extends CommandName>(command: C, input: CommandInput<C>) => Promise<CommandOutput<C>>;

export interface CliProfile {
  /** `--data-dir`; the desktop app's data directory by default. */
  dataDir?: string | undefined;
  /** `--board`: trust from this board policy file alone; the profile is not read or written. */
  board?: string | undefined;
  /** The board policy's bytes, already read (the policy in force on the board repository); like `board`. */
  boardPolicy?: { bytes: Uint8Array; label: string } | undefined;
  /** Trust flags were given (`verify --key ...`): trust from them alone; the profile is not read or written. */
  trustFlagsOnly?: boolean | undefined;
  /** Where `job.progress` events of the run go (a terminal's progress line). */
  onProgress?: ((progress: JobProgress) => void) | undefined;
}

/** The job ID under which the CLI runs its one long operation at a time. */
export const CLI_JOB = 'cli';

/** The error a call failed with, carrying the contract's code, so main maps it to the exit code like any other. */
export class CommandFailedError extends DomainError {
  constructor(error: ApiError) {
    super(error.code, error.message);
  }
}

/**
 * Runs one CLI invocation through the same dispatcher as the app's hosts: commands parse their
 * arguments, make calls here and format what comes back. The dispatcher (its profile, sessions
 * and hash workers) is closed when `use` settles, however it settles.
 */
export async function withDispatcher<T>(profile: CliProfile, use: (call: CliCall) => Promise<T>): Promise<T> {
  const boardFile =
    profile.board !== undefined
      ? await readBoardPolicyFile(profile.board)
      : profile.boardPolicy !== undefined
        ? parseBoardPolicyBytes(profile.boardPolicy.bytes, profile.boardPolicy.label)
        : undefined;
  const dispatcher = createDispatcher({
    dataDir: profile.dataDir ?? defaultDataDir(),
    ...(boardFile ? { boardFile } : {}),
    ...(profile.trustFlagsOnly === true ? { trustFlagsOnly: true } : {}),
    demoBundlePath: null,
    onProfileWarning: (message) => process.stderr.write(`countersign: warning: ${message}\n`),
    hooks: {
      host: 'cli',
      emit: (event, payload) => {
        if (event === 'job.progress') profile.onProgress?.(payload);
      },
    },
  });
  const call: CliCall = async (command, input) => {
    const result = await dispatcher.dispatch(command, input);
    if (!result.ok) throw new CommandFailedError(result.error);
    return result.value as CommandOutput<typeof command>;
  };
  try {
    return await use(call);
  } finally {
    await dispatcher.close();
  }
}

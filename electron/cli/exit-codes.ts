import type { ErrorCode } from '../../shared/api/contract';
import { DomainError } from '../../shared/errors/domain-error';

/** Documented exit codes of every `countersign` command (README: "CLI"). */
export const ExitCode = {
  /** Verified / approved / deployable. */
  ok: 0,
  /** The check ran and failed: tampered, untrusted, bad signature, not approved, blocked, refused. */
  failed: 1,
  /** Unreadable or hostile input, or a usage error. Nothing was changed. */
  badInput: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one mapping from an error's contract code to an exit code: a refusal under the board's
 * rules is a check that failed (1); everything else means the input or the request cannot be
 * used as given (2). Nothing was changed either way.
 */
export function exitCodeFor(code: ErrorCode): ExitCode {
  return code === 'refused' ? ExitCode.failed : ExitCode.badInput;
}

/** Thrown for usage errors and bad input on the command line; main prints the message and exits with 2. */
export class UsageError extends DomainError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}

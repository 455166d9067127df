/** Documented exit codes of every `countersign` command (README: "CLI"). */
export const ExitCode = {
  /** Verified / approved / deployable. */
  ok: 0,
  /** The check ran and failed: tampered, untrusted, bad signature, not approved, blocked. */
  failed: 1,
  /** Unreadable or hostile input, or a usage error. Nothing was changed. */
  badInput: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Thrown for usage errors and bad input; main prints the message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

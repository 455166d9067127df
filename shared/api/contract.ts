import { z } from 'zod';
import { errorCodeSchema } from './error-codes';
import { appCommands } from './commands/app-commands';
import { sessionCommands } from './commands/session-commands';
import { bundleCommands } from './commands/bundle-commands';
import { trustCommands } from './commands/trust-commands';
import { lineageCommands } from './commands/lineage-commands';
import { keysCommands } from './commands/keys-commands';
import { auditCommands } from './commands/audit-commands';
import { approvalsCommands } from './commands/approvals-commands';
import { deploymentCommands } from './commands/deployment-commands';
import { releaseCommands } from './commands/release-commands';
import { boardCommands } from './commands/board-commands';
import { releaseCosignCommands } from './commands/release-cosign-commands';
import { reportCommands } from './commands/report-commands';
import { verifyCommands } from './commands/verify-commands';
import type { CommandDefinitions } from './commands/command-kit';

export * from './commands/app-commands';
export * from './commands/session-commands';
export * from './commands/bundle-commands';
export * from './commands/trust-commands';
export * from './commands/lineage-commands';
export * from './commands/keys-commands';
export * from './commands/audit-commands';
export * from './commands/approvals-commands';
export * from './commands/deployment-commands';
export * from './commands/release-commands';
export * from './commands/board-commands';
export * from './commands/release-cosign-commands';
export * from './commands/report-commands';
export * from './commands/verify-commands';

/**
 * The API contract between the UI and the Node side. Both hosts (the Electron window over IPC
 * and the loopback web host over HTTP) serve exactly these commands through one handler table,
 * and the renderer reaches them only through the Bridge below.
 *
 * Private keys never appear here: commands name keys by their key ID.
 */

export { errorCodeSchema, type ErrorCode } from './error-codes';

export const apiErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** A finer code the caller can act on: 'compression-ratio' means the person may open the archive with a higher ratio limit. */
  subcode: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Every command, by domain. Each domain's table lives in ./commands/; a host serves them all. */
export const commands = {
  ...appCommands,
  ...sessionCommands,
  ...bundleCommands,
  ...trustCommands,
  ...lineageCommands,
  ...keysCommands,
  ...auditCommands,
  ...approvalsCommands,
  ...deploymentCommands,
  ...releaseCommands,
  ...boardCommands,
  ...releaseCosignCommands,
  ...reportCommands,
  ...verifyCommands,
} as const satisfies CommandDefinitions;

export type CommandName = keyof typeof commands;
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof commands)[C]['output']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** Byte progress of a long operation (hashing, reading a deployment), under the caller's job ID. */
export const jobProgressSchema = z.object({
  jobId: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const events = {
  'job.progress': jobProgressSchema,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

/** What the renderer talks to. The Electron preload and the web host's client both implement it. */
export interface Bridge {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

import { z } from 'zod';
import { appCommands } from './commands/app-commands';
import { bundleCommands } from './commands/bundle-commands';
import { trustCommands } from './commands/trust-commands';
import { lineageCommands } from './commands/lineage-commands';
import { keysCommands } from './commands/keys-commands';
import { auditCommands } from './commands/audit-commands';
import { approvalsCommands } from './commands/approvals-commands';
import { deploymentCommands } from './commands/deployment-commands';
import type { CommandDefinitions } from './commands/command-kit';

export * from './commands/app-commands';
export * from './commands/bundle-commands';
export * from './commands/trust-commands';
export * from './commands/lineage-commands';
export * from './commands/keys-commands';
export * from './commands/audit-commands';
export * from './commands/approvals-commands';
export * from './commands/deployment-commands';

/**
 * The API contract between the UI and the Node side. Both hosts (the Electron window over IPC
 * and the loopback web host over HTTP) serve exactly these commands through one handler table,
 * and the renderer reaches them only through the Bridge below.
 *
 * Private keys never appear here: commands name keys by their key ID.
 */

export const errorCodeSchema = z.enum([
  /** The input does not match the command's schema. */
  'invalid-input',
  /** A named file, key or job does not exist. */
  'not-found',
  /** A file could not be read (permissions, I/O, not a bundle). */
  'unreadable',
  /** Input refused as hostile: path traversal, links, caps exceeded, nested archives, ... */
  'hostile-input',
  /** A document breaks FORMATS.md: bad JSON, bad envelope, bad digest, bad key, ... */
  'invalid-format',
  /** The person cancelled the work. */
  'cancelled',
  /** This host cannot do that (e.g. a native file dialog in the web host). */
  'unsupported',
  /** A confirmation did not match what it confirms (e.g. a fingerprint). */
  'conflict',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const apiErrorSchema = z.object({ code: errorCodeSchema, message: z.string() });
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Every command, by domain. Each domain's table lives in ./commands/; a host serves them all. */
export const commands = {
  ...appCommands,
  ...bundleCommands,
  ...trustCommands,
  ...lineageCommands,
  ...keysCommands,
  ...auditCommands,
  ...approvalsCommands,
  ...deploymentCommands,
} as const satisfies CommandDefinitions;

export type CommandName = keyof typeof commands;
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof commands)[C]['output']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

export const hashProgressSchema = z.object({
  jobId: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
});
export type HashProgress = z.infer<typeof hashProgressSchema>;

export const events = {
  'hash.progress': hashProgressSchema,
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

import { z } from 'zod';

/** What every domain's command table is: an input and an output schema per command name. */
export type CommandDefinitions = Record<string, { input: z.ZodType; output: z.ZodType }>;

/** The input of commands that take none. */
export const emptyInput = z.object({}).strict();

export const keyIdSchema = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a key ID looks like SHA256: and 43 base64 characters');

/** Names a long operation, so that `jobs.cancel` can stop it and its progress events can be told apart. */
export const jobIdSchema = z.string().min(1).max(100);

/** Names an open review session (`session.open`): every question about a bundle goes to its session. */
export const sessionIdSchema = z.string().uuid();

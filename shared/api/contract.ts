import { z } from 'zod';
import { verificationReportSchema, verdictSchema } from '../verify/report';

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

const keyIdSchema = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a key ID looks like SHA256: and 43 base64 characters');

export const pinnedKeySchema = z.object({
  keyId: z.string(),
  name: z.string(),
  /** The public key as an OpenSSH line. */
  publicKey: z.string(),
  pinnedAt: z.string(),
});
export type PinnedKey = z.infer<typeof pinnedKeySchema>;

export const offeredKeySchema = z.object({
  /** Bundle-relative file, e.g. `keys/ci.pub`. */
  file: z.string(),
  keyId: z.string().nullable(),
  comment: z.string().nullable(),
  publicKey: z.string().nullable(),
  pinned: z.boolean(),
  /** Why the file is not a usable key, when it is not. */
  error: z.string().nullable(),
});
export type OfferedKey = z.infer<typeof offeredKeySchema>;

export const boardSummarySchema = z.object({
  board: z.string(),
  version: z.number().int(),
  /** sha256 hex of the policy file's bytes. */
  digest: z.string(),
  members: z.array(z.object({ name: z.string(), roles: z.array(z.string()), keyIds: z.array(z.string()) })),
  producers: z.array(z.object({ name: z.string(), keyIds: z.array(z.string()) })),
  revokedKeys: z.array(z.string()),
  importedAt: z.string().nullable(),
});
export type BoardSummary = z.infer<typeof boardSummarySchema>;

export const boardPreviewSchema = z.object({
  next: boardSummarySchema,
  /** Plain-words changes against the current policy (empty when there is none). */
  changes: z.array(z.string()),
});
export type BoardPreview = z.infer<typeof boardPreviewSchema>;

export const recentBundleSchema = z.object({
  path: z.string(),
  openedAt: z.string(),
  verdict: verdictSchema.nullable(),
  release: z.string().nullable(),
});
export type RecentBundle = z.infer<typeof recentBundleSchema>;

export const settingsSchema = z.object({
  /** Set once the person has answered the first-start offer to pin the demo keys. */
  demoKeysOfferAnswered: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

const empty = z.object({}).strict();

/** Largest archive accepted by drag and drop (it travels through the host as bytes). */
export const MAX_DROPPED_ARCHIVE_BYTES = 256 * 1024 * 1024;

export const commands = {
  'app.info': {
    input: empty,
    output: z.object({
      version: z.string(),
      host: z.enum(['electron', 'web']),
      dataDir: z.string(),
      demoBundlePath: z.string().nullable(),
      /** Whether `bundle.pickFile` opens a native dialog in this host. */
      nativeDialogs: z.boolean(),
    }),
  },
  'bundle.verify': {
    input: z.object({ path: z.string().min(1), jobId: z.string().min(1).max(100) }).strict(),
    output: verificationReportSchema,
  },
  'bundle.cancel': {
    input: z.object({ jobId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  'bundle.recent': {
    input: empty,
    output: z.array(recentBundleSchema),
  },
  'bundle.pickFile': {
    input: z.object({ directory: z.boolean() }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  'bundle.importArchive': {
    input: z
      .object({
        fileName: z.string().min(1).max(255),
        /** Standard base64 of the archive bytes. */
        base64: z.string().max(Math.ceil(MAX_DROPPED_ARCHIVE_BYTES / 3) * 4),
      })
      .strict(),
    output: z.object({ path: z.string() }),
  },
  'trust.keys': {
    input: empty,
    output: z.array(pinnedKeySchema),
  },
  'trust.offeredKeys': {
    input: z.object({ path: z.string().min(1) }).strict(),
    output: z.array(offeredKeySchema),
  },
  'trust.pin': {
    input: z
      .object({
        publicKey: z.string().min(1).max(16_384),
        name: z.string().trim().min(1).max(200),
        /** The fingerprint the person confirmed by eye; must equal the key's own. */
        confirmKeyId: keyIdSchema,
      })
      .strict(),
    output: pinnedKeySchema,
  },
  'trust.unpin': {
    input: z.object({ keyId: keyIdSchema }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
  'trust.board': {
    input: empty,
    output: boardSummarySchema.nullable(),
  },
  'trust.previewBoard': {
    input: z.object({ text: z.string().min(1).max(4 * 1024 * 1024) }).strict(),
    output: boardPreviewSchema,
  },
  'trust.importBoard': {
    input: z
      .object({
        text: z.string().min(1).max(4 * 1024 * 1024),
        /** The digest shown in the preview the person confirmed. */
        confirmDigest: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict(),
    output: boardSummarySchema,
  },
  'settings.get': {
    input: empty,
    output: settingsSchema,
  },
  'settings.set': {
    input: settingsSchema.partial().strict(),
    output: settingsSchema,
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

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

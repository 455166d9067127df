import { z } from 'zod';
import { verdictSchema } from '../../verify/report';
import { emptyInput, type CommandDefinitions } from './command-kit';

export const recentBundleSchema = z.object({
  path: z.string(),
  openedAt: z.string(),
  verdict: verdictSchema.nullable(),
  release: z.string().nullable(),
});
export type RecentBundle = z.infer<typeof recentBundleSchema>;

/** Largest archive accepted by drag and drop (it travels through the host as bytes). */
export const MAX_DROPPED_ARCHIVE_BYTES = 256 * 1024 * 1024;

export const bundleCommands = {
  'bundle.recent': {
    input: emptyInput,
    output: z.array(recentBundleSchema),
  },
  'bundle.pickFile': {
    input: z
      .object({
        directory: z.boolean(),
        /** What the dialog is for: a bundle (the default), a signed artifact, or an artifact's signature. Picking opens nothing. */
        purpose: z.enum(['bundle', 'artifact', 'signature']).optional(),
      })
      .strict(),
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
} as const satisfies CommandDefinitions;

import { z } from 'zod';
import { signatureFormatSchema, verificationReportSchema } from '../../verify/report';
import { jobIdSchema, sessionIdSchema, type CommandDefinitions } from './command-kit';

const foreignFormatSchema = signatureFormatSchema.exclude(['countersign']);

export const openedSessionSchema = z.object({
  sessionId: z.string(),
  path: z.string(),
  /**
   * A bundle answers every question; a lineage file on its own answers lineage questions only; a
   * foreign signature (opened with `acceptForeign` or `signature`) is verified, and every
   * bundle-only question (approvals, deployment, lineage, release) answers `unsupported` with
   * subcode `not-a-bundle`.
   */
  kind: z.enum(['bundle', 'lineage-file', 'foreign']),
  /** For a foreign session: the signature's format, decided from its content, and the signature file. */
  signatureFormat: foreignFormatSchema.optional(),
  signaturePath: z.string().optional(),
  /** The verification report under this profile's trust; null for a lineage file, or when opened with verify: false. */
  report: verificationReportSchema.nullable(),
});
export type OpenedSession = z.infer<typeof openedSessionSchema>;

/**
 * A review session per opened bundle. `session.open` reads the bundle once (an archive is unpacked
 * once, into a private temporary directory), hashes every blob once, and keeps that snapshot;
 * every later question names the session, never the path, so every answer concerns the same
 * manifest digest. `session.close` removes its temporary files; idle sessions close by
 * themselves, and all of them when the host stops.
 */
export const sessionCommands = {
  'session.open': {
    input: z
      .object({
        path: z.string().min(1),
        /** Progress of the hashing arrives as `job.progress` events under this ID; `jobs.cancel` stops it. */
        jobId: jobIdSchema.optional(),
        /** Hash and verify now (the default); false opens it for lineage questions only, hashing on first need. */
        verify: z.boolean().optional(),
        /**
         * Unpacked bytes per compressed byte an archive may reach (100 by default): raised by the
         * person when a bundle refused as an archive bomb really is that compressible.
         */
        maxCompressionRatio: z.number().min(1).max(1_000_000).optional(),
        /**
         * Also open a signature another tool made: a model directory holding `model.sig` (and no
         * manifest.dsse.json), or a file with its Sigstore bundle beside it (`<file>.sigstore.json`,
         * `.sigstore`, `.bundle`). The format is decided from the signature's content. Trust is the
         * profile's. A file without a signature beside it is refused with subcode `signature-needed`.
         */
        acceptForeign: z.boolean().optional(),
        /** The signature of the target at `path`, chosen by the person: the session is then foreign. */
        signature: z.string().min(1).optional(),
      })
      .strict(),
    output: openedSessionSchema,
  },
  /** The session's verification report under the trust in force now: signatures are checked again, nothing is hashed again. */
  'session.report': {
    input: z.object({ sessionId: sessionIdSchema, jobId: jobIdSchema.optional() }).strict(),
    output: verificationReportSchema,
  },
  'session.close': {
    input: z.object({ sessionId: sessionIdSchema }).strict(),
    output: z.object({ closed: z.boolean() }),
  },
  /** Stops any long operation by its job ID; false when no such job is running. */
  'jobs.cancel': {
    input: z.object({ jobId: jobIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
} as const satisfies CommandDefinitions;

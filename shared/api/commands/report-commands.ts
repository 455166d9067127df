import { z } from 'zod';
import { DEPLOYMENT_LIMITS } from '../../deployment/proposed-deployment';
import { jobIdSchema, sessionIdSchema, type CommandDefinitions } from './command-kit';

export const reportFormatSchema = z.enum(['html', 'pdf', 'md']);
export type ReportFormat = z.infer<typeof reportFormatSchema>;

export const reportPaperSchema = z.enum(['a4', 'letter']);
export type ReportPaper = z.infer<typeof reportPaperSchema>;

export const reportAnswerStateSchema = z.enum(['approved', 'needs-more', 'not-approved', 'blocked', 'cannot-approve', 'no-board']);

/** A file made for the person to save: the CLI writes it, the app offers it for download. */
export const exportedFileSchema = z.object({
  /** A suggested name, made of safe characters only, e.g. `fraud-detector-m92-record.pdf`. */
  fileName: z.string(),
  mediaType: z.string(),
  /** The bytes, base64. */
  base64: z.string(),
});
export type ExportedFile = z.infer<typeof exportedFileSchema>;

export const reportCommands = {
  /**
   * The record of the session's release for the board's minutes: the board's answer and its
   * reasons, the release summary, signatures and trust, subjects, the reproducibility record, the
   * lineage, the deployment diff, every rule with its seats and decisions, and the audit entries
   * for the release, as Markdown, self-contained HTML or PDF. With `evidence`, also a zip of the
   * record, the manifest envelope, the approvals, the board policy and the verification and
   * approval reports as JSON, to re-check the decision offline with `verify` and `status`.
   * The deployment is the bundle's own unless one is given (as in `deployment.diff`); a missing
   * board policy, deployment or lineage is stated in the record, not an error. A deployment file
   * given that cannot be read is `invalid-format` or `not-found`.
   */
  'report.export': {
    input: z
      .object({
        sessionId: sessionIdSchema,
        format: reportFormatSchema,
        paper: reportPaperSchema.optional(),
        evidence: z.boolean().optional(),
        jobId: jobIdSchema.optional(),
        deploymentPath: z.string().min(1).nullable().optional(),
        deploymentText: z
          .object({ fileName: z.string().min(1).max(255), text: z.string().max(DEPLOYMENT_LIMITS.maxBytes) })
          .strict()
          .nullable()
          .optional(),
      })
      .strict()
      .refine((input) => !(input.deploymentPath && input.deploymentText), 'give deploymentPath or deploymentText, not both'),
    output: z.object({
      /** sha256 hex of the manifest payload the record concerns; null when the manifest cannot be read. */
      manifestDigest: z.string().nullable(),
      answer: z.object({ state: reportAnswerStateSchema, headline: z.string() }),
      document: exportedFileSchema,
      evidence: exportedFileSchema.nullable(),
    }),
  },
} as const satisfies CommandDefinitions;

import { z } from 'zod';
import { boardEvaluationSchema } from '../../approvals/evaluation';
import { bundleFormatSchema, verdictSchema } from '../../verify/report';
import { jobIdSchema, keyIdSchema, sessionIdSchema, type CommandDefinitions } from './command-kit';

export const approvalDecisionSchema = z.enum(['approve', 'reject', 'abstain']);
export type ApprovalDecisionInput = z.infer<typeof approvalDecisionSchema>;

/**
 * Where an evaluated approval file came from: the bundle's approvals/, or this profile (imported
 * from another reviewer, or made here and exported rather than saved into the bundle).
 */
export const approvalFileSchema = z.object({
  /** The name the evaluation uses for it: `approvals/<name>.dsse.json` in the bundle, or the profile copy's file name. */
  file: z.string(),
  origin: z.enum(['bundle', 'profile', 'board']),
  /** When the profile copy was stored; null for bundle files. */
  storedAt: z.string().nullable(),
});
export type ApprovalFile = z.infer<typeof approvalFileSchema>;

/** A bundle's approvals judged under the board policy: what the approvals panel shows. */
export const approvalStatusSchema = z.object({
  bundle: z.object({ path: z.string(), format: bundleFormatSchema }),
  /** The bundle's verification verdict under the same trust (the board policy). */
  verdict: verdictSchema,
  manifest: z.object({
    /** sha256 hex of the manifest payload: what approvals bind to. */
    digest: z.string(),
    releaseName: z.string().nullable(),
    releaseVersion: z.string().nullable(),
    createdBy: z.string().nullable(),
  }),
  policy: z.object({ board: z.string(), version: z.number().int(), digest: z.string() }),
  files: z.array(approvalFileSchema),
  evaluation: boardEvaluationSchema,
});
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

export const approveInputSchema = z
  .object({
    sessionId: sessionIdSchema,
    keyId: keyIdSchema,
    /** Sign with this key held by the ssh-agent of the Node side (SSH_AUTH_SOCK) instead of the profile's key store. */
    sshAgent: z.boolean().optional(),
    decision: approvalDecisionSchema,
    role: z.string().trim().min(1).max(200),
    comment: z.string().max(10_000).optional(),
    conditions: z.array(z.string().trim().min(1).max(1000)).max(100).optional(),
    /** RFC 3339 UTC, e.g. 2027-02-01T00:00:00Z. */
    expiresAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an RFC 3339 UTC time such as 2027-02-01T00:00:00Z').optional(),
    saveToBundle: z.boolean(),
    /** Write to this new file instead (the command line's --out); only the CLI host accepts it. */
    outFile: z.string().min(1).optional(),
    jobId: jobIdSchema.optional(),
  })
  .strict();

export const approvalMadeSchema = z.object({
  /** Absolute path of the approval file written. */
  file: z.string(),
  fileName: z.string(),
  savedToBundle: z.boolean(),
  /** The envelope's exact text, for "save as" or to hand to the next reviewer. */
  text: z.string(),
  status: approvalStatusSchema,
});

export const approvalsCommands = {
  /**
   * Evaluates the session's approvals (its approvals/ and those imported for the same manifest
   * digest) under the imported board policy. `conflict` when no board policy is imported. The
   * session's blobs are hashed already; should they not be, progress arrives under jobId.
   */
  'approvals.evaluate': {
    input: z.object({ sessionId: sessionIdSchema, jobId: jobIdSchema.optional() }).strict(),
    output: approvalStatusSchema,
  },
  /**
   * Signs an approval of the session's release with an unlocked key and writes it into the
   * bundle's approvals/ (saveToBundle, directory bundles only) or into the profile's exports/
   * folder, where it is also kept so that it counts in this profile. Errors, with nothing written:
   * `conflict` "Unlock key <name> (<keyId>) first." when the key is locked (show the unlock prompt,
   * then retry), when saveToBundle names an archive, when the bundle folder changed since it was
   * verified, or when no board policy is imported; `refused` when the release does not verify and
   * the decision is approve (reject and abstain are allowed), when the key is no board member's or
   * is revoked, or when the member does not hold the role; `not-found` for an unknown key;
   * `invalid-format` when the manifest cannot be read or expiresAt is not after now.
   */
  'approvals.approve': {
    input: approveInputSchema,
    output: approvalMadeSchema,
  },
  /**
   * Imports an approval file from another reviewer for the session's manifest. Refused, and audited
   * as approval.refused, when it is not a valid approval of this manifest by a board member.
   */
  'approvals.import': {
    input: z
      .object({
        sessionId: sessionIdSchema,
        fileName: z.string().min(1).max(255),
        text: z.string().min(1).max(1024 * 1024),
        jobId: jobIdSchema.optional(),
      })
      .strict(),
    output: z.object({ fileName: z.string(), status: approvalStatusSchema }),
  },
} as const satisfies CommandDefinitions;

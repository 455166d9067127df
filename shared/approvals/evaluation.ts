import { z } from 'zod';
import { DECISIONS } from './approval-statement';

/**
 * The board's judgement of one manifest's approvals (FORMATS §6): every rule, met or not, who
 * fills which seat, and what became of each approval. One schema serves the UI, the CLI's
 * `status --json` and the API contract.
 */

export const decisionSchema = z.enum(DECISIONS);

/** valid: verifies under a trusted key. invalid: does not verify under the trusted key it names.
 *  unknown-key: no trusted key verifies it. revoked: verifies under a revoked key.
 *  malformed: the file is not a readable approval envelope. */
export const approvalSignatureStatusSchema = z.enum(['valid', 'invalid', 'unknown-key', 'revoked', 'malformed']);

export const boardRuleIdSchema = z.enum([
  'release-intact',
  'manifest-signed',
  'approvals-required',
  'roles-required',
  'author-excluded',
  'no-blocking-rejection',
  'approval-age',
]);
export type BoardRuleId = z.infer<typeof boardRuleIdSchema>;

/**
 * counted: fills the quorum. rejection: a member's current reject. abstain: a member's current abstain.
 * stale: approves another manifest digest. non-member: signed by a key that is no member's.
 * author: by the member holding the createdBy key, when the author may not approve.
 * expired: past its expiresAt. too-old: older than maxApprovalAgeDays. revoked: signed with a revoked key.
 * invalid: unreadable, badly signed, or inconsistent. duplicate: superseded by the same member's later
 * (or identical) decision. role-not-held: names a role the member does not hold.
 * policy-mismatch: made under another board policy than the current one.
 */
export const approvalOutcomeSchema = z.enum([
  'counted',
  'rejection',
  'abstain',
  'stale',
  'non-member',
  'author',
  'expired',
  'too-old',
  'revoked',
  'invalid',
  'duplicate',
  'role-not-held',
  'policy-mismatch',
]);
export type ApprovalOutcome = z.infer<typeof approvalOutcomeSchema>;

export const boardRuleResultSchema = z.object({
  id: boardRuleIdSchema,
  met: z.boolean(),
  /** Plain words, e.g. "2 of 2 required approvals by distinct members". */
  summary: z.string(),
  details: z.array(z.string()),
});
export type BoardRuleResult = z.infer<typeof boardRuleResultSchema>;

export const roleSeatSchema = z.object({
  role: z.string(),
  /** 1-based within its role. */
  seat: z.number().int(),
  /** The member's name, or null while the seat is empty. */
  filledBy: z.string().nullable(),
  /** The key of the approval that seats the member. */
  keyId: z.string().nullable(),
});
export type RoleSeat = z.infer<typeof roleSeatSchema>;

export const countedApprovalSchema = z.object({
  member: z.string(),
  keyId: z.string(),
  /** The role the approval names. */
  role: z.string(),
});
export type CountedApproval = z.infer<typeof countedApprovalSchema>;

export const evaluatedApprovalSchema = z.object({
  file: z.string().nullable(),
  /** The key whose signature verified; when none did, the reviewer key the approval claims. */
  reviewerKeyId: z.string().nullable(),
  /** The board member or producer the signing key belongs to, when it belongs to one. */
  reviewerName: z.string().nullable(),
  role: z.string().nullable(),
  decision: decisionSchema.nullable(),
  reviewedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  comment: z.string().nullable(),
  conditions: z.array(z.string()),
  signatureStatus: approvalSignatureStatusSchema,
  outcome: approvalOutcomeSchema,
  /** Plain words: why this outcome, and what would make it count when it does not. */
  reason: z.string(),
});
export type EvaluatedApproval = z.infer<typeof evaluatedApprovalSchema>;

export const boardEvaluationSchema = z.object({
  approved: z.boolean(),
  manifestDigest: z.string(),
  policyDigest: z.string(),
  board: z.string(),
  /** The manifest's createdBy key and the member holding it (null when a producer or nobody holds it). */
  author: z.object({ keyId: z.string(), member: z.string().nullable() }).nullable(),
  /** Every rule of FORMATS §6, in a fixed order. */
  rules: z.array(boardRuleResultSchema),
  seats: z.array(roleSeatSchema),
  /** One entry per member whose approval counts. */
  counted: z.array(countedApprovalSchema),
  /** One entry per approval given, in the order given. */
  approvals: z.array(evaluatedApprovalSchema),
  evaluatedAt: z.string(),
});
export type BoardEvaluation = z.infer<typeof boardEvaluationSchema>;

import { z } from 'zod';
import { emptyInput, type CommandDefinitions } from './command-kit';

/** What the audit trail records. */
export const auditActionSchema = z.enum([
  'key.generated',
  'key.imported',
  'key.removed',
  'approval.made',
  'approval.imported',
  'approval.refused',
  'board.imported',
  /** The Sigstore trusted root the board policy pins, kept in the profile. */
  'trusted-root.imported',
  /** A signed approval whose file was never written: the process stopped between signing and writing. */
  'approval.abandoned',
  /** The log was found changed outside Countersign (head record missing, entries missing at the end); stated in the detail. */
  'audit.tamper-detected',
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  /** RFC 3339 UTC time the entry was appended. */
  at: z.string(),
  /** Who: the key ID that acted, or null when no key did (a board policy import). */
  actor: z.string().nullable(),
  /** One of auditActionSchema's actions; a string, so that a hand-edited row can still be shown. */
  action: z.string(),
  /** Which release: sha256 hex of its manifest payload, when the entry concerns one. */
  manifestDigest: z.string().nullable(),
  /** What exactly: decision, role, file, reason, board policy digest… as a JSON object. */
  detail: z.record(z.string(), z.unknown()),
  /** This entry's link in the hash chain (sha256 hex). */
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerificationSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.number().int(), head: z.string().nullable() }),
  z.object({
    ok: z.literal(false),
    entries: z.number().int(),
    /** The first entry whose link does not hold (edited, deleted before it, or reordered). */
    firstBrokenId: z.number().int(),
    reason: z.string(),
  }),
]);
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

export const AUDIT_HEAD_FORMAT = 'countersign-audit-head/1';

/**
 * An audit head: where the log stood at one moment. Written by `countersign audit export-head`
 * (and kept up to date as audit-head.json in the data directory); a later log must still hold
 * entry `lastEntryId` with hash `headHash`, or it was truncated, rolled back or rewritten.
 * Signed by nobody: keep the exported copy somewhere the profile's owner cannot rewrite.
 */
export const auditHeadSchema = z
  .object({
    format: z.literal(AUDIT_HEAD_FORMAT),
    /** Entries in the log; entry ids run 1..entries. */
    entries: z.number().int().min(0),
    /** Id of the newest entry: equal to `entries` (0 for an empty log). */
    lastEntryId: z.number().int().min(0),
    /** Hash of the newest entry (lowercase hex SHA-256), null for an empty log. */
    headHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    /** RFC 3339 UTC time the head was taken. */
    exportedAt: z.string(),
  })
  .strict()
  .refine((head) => head.lastEntryId === head.entries && (head.headHash === null) === (head.entries === 0), {
    message: 'lastEntryId must equal entries, and headHash is null exactly when the log is empty',
  });
export type AuditHead = z.infer<typeof auditHeadSchema>;

export const auditCommands = {
  /** Newest first; page with `beforeId` = the last id of the previous page. */
  'audit.list': {
    input: z.object({ limit: z.number().int().min(1).max(1000).optional(), beforeId: z.number().int().min(1).optional() }).strict(),
    output: z.array(auditEntrySchema),
  },
  'audit.verify': {
    input: emptyInput,
    output: auditVerificationSchema,
  },
  /** The current head, for keeping elsewhere; fails when the chain does not verify. */
  'audit.exportHead': {
    input: emptyInput,
    output: auditHeadSchema,
  },
  /** Verifies the chain and that it still holds an exported head at its position. */
  'audit.verifyAgainst': {
    input: z.object({ head: z.string().max(10_000) }).strict(),
    output: auditVerificationSchema,
  },
} as const satisfies CommandDefinitions;

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
} as const satisfies CommandDefinitions;

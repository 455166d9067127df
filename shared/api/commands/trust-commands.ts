import { z } from 'zod';
import { emptyInput, keyIdSchema, type CommandDefinitions, sessionIdSchema } from './command-kit';

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

export const boardRulesSchema = z.object({
  approvalsRequired: z.number().int(),
  rolesRequired: z.record(z.string(), z.number().int()),
  authorMayApprove: z.boolean(),
  rejectionBlocks: z.boolean(),
  maxApprovalAgeDays: z.number(),
});

export const boardSummarySchema = z.object({
  board: z.string(),
  version: z.number().int(),
  /** sha256 hex of the policy file's bytes. */
  digest: z.string(),
  members: z.array(z.object({ name: z.string(), roles: z.array(z.string()), keyIds: z.array(z.string()) })),
  producers: z.array(
    z.object({
      name: z.string(),
      keyIds: z.array(z.string()),
      /** Every anchor the producer is trusted through: a key (label: key ID), an X.509 root (label: the identity it is constrained to), a Sigstore identity. */
      anchors: z.array(z.object({ kind: z.enum(['key', 'x509-root', 'sigstore']), label: z.string(), detail: z.string() })).optional(),
    }),
  ),
  revokedKeys: z.array(z.string()),
  /** The Sigstore trusted root the policy pins for producers' keyless identities, and whether bytes of that digest are held in this profile. */
  sigstoreTrustedRoot: z.object({ sha256: z.string(), held: z.boolean() }).optional(),
  /** The rules the policy sets (FORMATS §6). */
  rules: boardRulesSchema,
  importedAt: z.string().nullable(),
});
export type BoardSummary = z.infer<typeof boardSummarySchema>;

export const boardPreviewSchema = z.object({
  next: boardSummarySchema,
  /** The rules the previewed policy sets (FORMATS §6). */
  rules: boardRulesSchema,
  /** Plain-words changes against the current policy (empty when there is none). */
  changes: z.array(z.string()),
});
export type BoardPreview = z.infer<typeof boardPreviewSchema>;

export const trustCommands = {
  'trust.keys': {
    input: emptyInput,
    output: z.array(pinnedKeySchema),
  },
  /** The public keys the session's bundle offers for pinning (keys/*.pub), never trusted for being there. */
  'trust.offeredKeys': {
    input: z.object({ sessionId: sessionIdSchema }).strict(),
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
    input: emptyInput,
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
  /** Keeps a Sigstore trusted root in the profile, refused unless the board policy pins its exact sha256. */
  'trust.importTrustedRoot': {
    input: z.object({ contentBase64: z.string().min(1).max(24 * 1024 * 1024) }).strict(),
    output: z.object({ sha256: z.string(), bytes: z.number().int() }),
  },
} as const satisfies CommandDefinitions;

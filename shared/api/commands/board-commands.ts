import { z } from 'zod';
import { approvalMadeSchema, approvalStatusSchema, approveInputSchema } from './approvals-commands';
import { boardSummarySchema } from './trust-commands';
import { emptyInput, jobIdSchema, keyIdSchema, sessionIdSchema, type CommandDefinitions } from './command-kit';

const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 digest is 64 lowercase hex digits');
/** A git remote: a URL (`https://`, `ssh://`, `file://`, `git://`) or scp-like `user@host:path`; never an option. */
const remoteSchema = z.string().min(1).max(2048).refine((remote) => !remote.startsWith('-'), 'a remote does not start with "-"');

/** `queued`: the object was this computer's own, refused before it was pushed (it left the queue). */
export const boardProblemSchema = z.object({ code: z.string(), message: z.string(), path: z.string().nullable(), queued: z.literal(true).optional() });

const decisionSchema = z.enum(['approve', 'reject', 'abstain']);

/** A member's decision accepted from the board, so that a problem naming its file can say whose decision on which release it is. */
export const boardDecisionSchema = z.object({ path: z.string(), manifestDigest: z.string(), reviewer: z.string(), decision: decisionSchema, reviewedAt: z.string() });

export const boardStatusSchema = z.object({
  remote: z.string(),
  genesis: z.string(),
  pinnedBy: z.enum(['genesis-flag', 'imported-policy', 'first-use', 'created']),
  memberKeyId: z.string().nullable(),
  memberName: z.string().nullable(),
  lastSync: z.object({ at: z.string(), outcome: z.enum(['synced', 'offline', 'problems']), commit: z.string().nullable() }).nullable(),
  board: z.string(),
  chain: z.array(z.object({ version: z.number().int(), digest: z.string(), endorsedBy: z.array(z.string()) })),
  /** Proposed next versions endorsed by fewer members than the quorum: not in force yet. */
  pending: z.array(z.object({ version: z.number().int(), digest: z.string(), endorsedBy: z.array(z.string()), needed: z.number().int() })),
  members: z.array(z.object({ name: z.string(), roles: z.array(z.string()), keyIds: z.array(z.string()) })),
  logs: z.array(
    z.object({
      memberName: z.string(),
      fingerprint: z.string(),
      size: z.number().int(),
      cosigners: z.array(z.object({ name: z.string(), at: z.string() })),
      /** The newest cosignature of the member's head, or null when nobody cosigned it yet. */
      lastCosignedAt: z.string().nullable(),
    }),
  ),
  releases: z.array(z.object({ manifestDigest: z.string(), name: z.string().nullable(), version: z.string().nullable(), decisions: z.number().int(), reopenedBy: z.array(z.string()) })),
  notices: z.array(
    z.object({ digest: z.string(), issuer: z.string(), target: z.string(), reason: z.string(), issuedAt: z.string(), reopens: z.array(z.string()) }),
  ),
  revoked: z.array(z.object({ keyId: z.string(), revokedAt: z.string(), reason: z.string().nullable() })),
  queue: z.array(z.string()),
  problems: z.array(boardProblemSchema),
  decisions: z.array(boardDecisionSchema),
});
export type BoardStatus = z.infer<typeof boardStatusSchema>;

export const boardSyncResultSchema = z.object({
  outcome: z.enum(['synced', 'offline', 'problems']),
  attempts: z.number().int(),
  published: z.array(z.string()),
  cosigned: z.array(z.string()),
  restored: z.array(z.string()),
  problems: z.array(boardProblemSchema),
  /** Offline: why, in plain words (git's own reason included), e.g. a push cut off mid-way. */
  detail: z.string().nullable().optional(),
  status: boardStatusSchema,
});
export type BoardSyncResult = z.infer<typeof boardSyncResultSchema>;

export const boardVerificationSchema = z.object({
  ok: z.boolean(),
  board: z.string().nullable(),
  policyVersion: z.number().int().nullable(),
  problems: z.array(boardProblemSchema),
  /** Freshness and witnessing of each member's log head, as `--max-age` and `--witnesses` judged them. */
  logs: z.array(z.object({ memberName: z.string(), size: z.number().int(), witnesses: z.number().int(), lastCosignedAt: z.string().nullable(), stale: z.boolean(), underWitnessed: z.boolean() })),
});
export type BoardVerification = z.infer<typeof boardVerificationSchema>;

export const boardEvaluationSchema = z.object({
  /** The release judged under the board's policy in force, with the decisions published to the board. */
  status: approvalStatusSchema,
  /** Notices on the board that re-open this release: decisions made before them do not count. */
  notices: z.array(z.object({ digest: z.string(), issuer: z.string(), target: z.string(), reason: z.string(), issuedAt: z.string() })),
  lastSync: z.string().nullable(),
  /** Members whose log head nobody cosigned within `maxAgeSeconds` (empty when no age was asked). */
  staleLogs: z.array(z.string()),
  /** True when the last sync is older than `maxAgeSeconds`: the answer may miss newer decisions. */
  stale: z.boolean(),
});
export type BoardRepoEvaluation = z.infer<typeof boardEvaluationSchema>;

/**
 * Releases published to the board that wait for this machine's member: they have not decided, or a
 * notice re-opened the release after they did. Null when no board is set up here (no inbox).
 */
export const boardInboxSchema = z
  .object({
    /** The member deciding from this machine; null when it holds no member key (the list is then empty). */
    memberName: z.string().nullable(),
    lastSync: z.object({ at: z.string(), outcome: z.enum(['synced', 'offline', 'problems']) }).nullable(),
    items: z.array(
      z.object({
        manifestDigest: sha256HexSchema,
        name: z.string().nullable(),
        version: z.string().nullable(),
        /** The manifest's createdAt: the list is newest first. */
        createdAt: z.string().nullable(),
        /** The board's answer from the manifest's signatures and the decisions on the board (the release's files are checked when it is opened). */
        answer: z.object({ kind: z.enum(['approved', 'blocked', 'needs-more', 'not-approved', 'cannot-approve', 'not-judged']), headline: z.string() }),
        reopenedBy: z.array(z.object({ issuer: z.string(), reason: z.string(), issuedAt: z.string() })),
        /** This member's decision made before a notice re-opened the release; null when they never decided. */
        earlierDecision: z.object({ decision: decisionSchema, reviewedAt: z.string() }).nullable(),
        /** The folder holding the release as published to the board (its manifest and lineage), to open. */
        boardCopy: z.string(),
      }),
    ),
  })
  .nullable();
export type BoardInbox = z.infer<typeof boardInboxSchema>;

const queuedSchema = z.object({ queued: z.array(z.string()) });

/**
 * The board shared through a git remote (the remote is untrusted: every object is signed and
 * checked). Signing commands need the member's key unlocked (`keys.unlock`); nothing reaches the
 * remote until `board.sync`.
 */
export const boardCommands = {
  'board.init': { input: z.object({ remote: remoteSchema, boardText: z.string().max(4 * 1024 * 1024), keyId: keyIdSchema }).strict(), output: boardSyncResultSchema },
  'board.clone': { input: z.object({ remote: remoteSchema, genesis: sha256HexSchema.nullable() }).strict(), output: boardStatusSchema },
  'board.sync': { input: emptyInput, output: boardSyncResultSchema },
  'board.status': { input: emptyInput, output: boardStatusSchema },
  /** Releases on the board awaiting this machine's member, newest first; null when no board is set up (no network). */
  'board.inbox': { input: emptyInput, output: boardInboxSchema },
  /** The policy in force on the board as accepted here: approvals for the board are made under it. */
  'board.policyInForce': {
    input: emptyInput,
    /** `summary`: its members, roles and rules, as the decision form shows them. */
    output: z.object({ version: z.number().int(), digest: sha256HexSchema, text: z.string(), summary: boardSummarySchema }),
  },
  /**
   * Signs a decision on the session's release under the board's policy in force (with the board's
   * decisions and notices, as `board.evaluate` judges) with an unlocked key of this profile, writes
   * it as `approvals.approve` does, and queues it for the board: what `approve --board-repo` does.
   * Errors as `approvals.approve`; `conflict` when the board accepted here does not verify.
   */
  'board.approve': {
    input: approveInputSchema.omit({ sshAgent: true, outFile: true }).strict(),
    output: z.object({ made: approvalMadeSchema, queued: z.array(z.string()) }),
  },
  'board.queueApproval': { input: z.object({ text: z.string().max(1024 * 1024) }).strict(), output: queuedSchema },
  'board.evaluate': {
    input: z.object({ sessionId: sessionIdSchema, jobId: jobIdSchema.optional(), maxAgeSeconds: z.number().int().positive().nullable() }).strict(),
    output: boardEvaluationSchema,
  },
  'board.publish': { input: z.object({ sessionId: sessionIdSchema }).strict(), output: queuedSchema },
  'board.propose': { input: z.object({ boardText: z.string().max(4 * 1024 * 1024) }).strict(), output: queuedSchema },
  'board.endorse': { input: z.object({ digest: sha256HexSchema }).strict(), output: queuedSchema },
  'board.revokeSelf': { input: z.object({ reason: z.string().max(2000).nullable() }).strict(), output: queuedSchema },
  'board.notice': {
    input: z.object({ target: z.union([z.object({ node: z.string().min(1).max(500) }).strict(), z.object({ subject: sha256HexSchema }).strict()]), reason: z.string().min(1).max(2000) }).strict(),
    output: queuedSchema,
  },
  'board.verify': {
    input: z.object({ remote: remoteSchema, genesis: sha256HexSchema, maxAgeSeconds: z.number().int().positive().nullable(), witnesses: z.number().int().min(0).nullable() }).strict(),
    output: boardVerificationSchema,
  },
} as const satisfies CommandDefinitions;

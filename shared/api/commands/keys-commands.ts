import { z } from 'zod';
import { emptyInput, keyIdSchema, type CommandDefinitions } from './command-kit';

/**
 * Passphrases travel only into keys.generate, keys.import and keys.unlock; nothing returns one.
 * Private keys never cross: keys.import names a key file that the Node side reads itself.
 */
const passphraseSchema = z.string().min(1).max(1024);

/** An absolute path on the machine the host runs on. */
const keyFilePathSchema = z.string().min(1).max(4096);

/** It becomes the comment of the exported OpenSSH line. */
const keyNameSchema = z.string().trim().min(1).max(100);

/** The longest idle time a person may choose before unlocked keys lock again. */
export const MAX_IDLE_LOCK_MINUTES = 24 * 60;

/** A reviewer key held on this machine. Its private half never leaves the Node side. */
export const reviewerKeySchema = z.object({
  /** The OpenSSH SHA-256 fingerprint, e.g. `SHA256:…`: how every command names the key. */
  keyId: z.string(),
  name: z.string(),
  /** The public key as an OpenSSH line (`ssh-ed25519 AAAA… name`). */
  publicKey: z.string(),
  createdAt: z.string(),
  origin: z.enum(['generated', 'imported']),
  unlocked: z.boolean(),
});
export type ReviewerKey = z.infer<typeof reviewerKeySchema>;

export const keyLockStatusSchema = z.object({
  /** Key IDs unlocked right now; each locks again after `idleLockMinutes` without use. */
  unlocked: z.array(z.string()),
  idleLockMinutes: z.number(),
});
export type KeyLockStatus = z.infer<typeof keyLockStatusSchema>;

export const keysCommands = {
  'keys.list': {
    input: emptyInput,
    output: z.array(reviewerKeySchema),
  },
  'keys.generate': {
    input: z.object({ name: keyNameSchema, passphrase: passphraseSchema }).strict(),
    output: reviewerKeySchema,
  },
  /** The native open dialog for a private key file (hosts with native dialogs only); null when cancelled. */
  'keys.pickKeyFile': {
    input: emptyInput,
    output: z.object({ path: z.string().nullable() }),
  },
  /** What can be read from a key file without its passphrase: its public key, and whether it has a passphrase. */
  'keys.inspectKeyFile': {
    input: z.object({ path: keyFilePathSchema }).strict(),
    output: z.object({ keyId: z.string(), publicKey: z.string(), protection: z.enum(['none', 'passphrase']) }),
  },
  'keys.import': {
    input: z
      .object({
        /** Where the OpenSSH ed25519 private key file is on the host's machine; the host reads it. */
        path: keyFilePathSchema,
        name: keyNameSchema,
        /** The key file's own passphrase when it has one; it also protects the key at rest here. */
        passphrase: passphraseSchema,
      })
      .strict(),
    output: reviewerKeySchema,
  },
  'keys.exportPublic': {
    input: z.object({ keyId: keyIdSchema }).strict(),
    output: z.object({ keyId: z.string(), publicKey: z.string() }),
  },
  'keys.remove': {
    input: z.object({ keyId: keyIdSchema }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
  'keys.unlock': {
    input: z.object({ keyId: keyIdSchema, passphrase: passphraseSchema }).strict(),
    output: keyLockStatusSchema,
  },
  'keys.lock': {
    /** Without a key ID, every key locks. */
    input: z.object({ keyId: keyIdSchema.optional() }).strict(),
    output: keyLockStatusSchema,
  },
  'keys.status': {
    input: emptyInput,
    output: keyLockStatusSchema,
  },
  'keys.setIdleLock': {
    input: z.object({ minutes: z.number().int().min(1).max(MAX_IDLE_LOCK_MINUTES) }).strict(),
    output: keyLockStatusSchema,
  },
} as const satisfies CommandDefinitions;

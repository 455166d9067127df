import { z } from 'zod';
import { releaseComparisonSchema } from '../../compare/release-comparison';
import { jobIdSchema, keyIdSchema, sessionIdSchema, type CommandDefinitions } from './command-kit';

export { releaseComparisonSchema, type ReleaseComparison } from '../../compare/release-comparison';

const absolutePath = z.string().min(1).max(4096);
const flagText = z.string().max(4096);

/** Who signs a new release: a key of the profile (unlocked first with `keys.unlock`), an OpenSSH private key file, or a key held by the Node side's ssh-agent. */
export const releaseSignerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('profile'), keyId: keyIdSchema }).strict(),
  z.object({ kind: z.literal('key-file'), path: absolutePath, passphrase: z.string().max(1024).optional() }).strict(),
  z.object({ kind: z.literal('ssh-agent'), keyId: keyIdSchema }).strict(),
]);
export type ReleaseSigner = z.infer<typeof releaseSignerSchema>;

/**
 * `countersign release create`: paths and flags as the person wrote them (checked on the Node
 * side, each error naming its flag); relative paths resolve against `baseDir`.
 */
export const releaseCreateInputSchema = z
  .object({
    jobId: jobIdSchema.optional(),
    baseDir: absolutePath,
    paths: z.array(flagText).max(10_000),
    out: flagText.min(1),
    name: z.string().trim().min(1).max(200),
    version: z.string().trim().min(1).max(200),
    signer: releaseSignerSchema,
    images: z.array(flagText).max(1000).optional(),
    locks: z.array(flagText).max(1000).optional(),
    subjects: z.array(flagText).max(100_000).optional(),
    lineage: z.array(flagText).max(100).optional(),
    deployment: flagText.optional(),
    /** Producers' attestations shipped as `attestations/<file name>`. */
    attestations: z.array(flagText).max(100).optional(),
    seed: flagText.optional(),
    hardwareFile: flagText.optional(),
    tolerance: flagText.optional(),
    metrics: z.array(flagText).max(1000).optional(),
    createdAt: flagText.optional(),
    excludes: z.array(flagText).max(1000).optional(),
    kinds: z.array(flagText).max(1000).optional(),
    /** The sources (FORMATS §4 pins gathered from a git work tree, an MLflow run or model, a DVC repository, the machine). */
    git: flagText.optional(),
    allowDirty: z.boolean().optional(),
    mlflow: flagText.optional(),
    dvc: flagText.optional(),
    hardware: z.literal('auto').optional(),
  })
  .strict();
export type ReleaseCreateInput = z.infer<typeof releaseCreateInputSchema>;

export const createdReleaseSchema = z.object({
  out: z.string(),
  format: z.enum(['directory', 'tar.gz', 'zip']),
  manifestDigest: z.string(),
  release: z.object({ name: z.string(), version: z.string() }),
  createdBy: z.string(),
  createdAt: z.string(),
  subjects: z.number().int(),
  shipped: z.number().int(),
  shippedBytes: z.number().int(),
});
export type CreatedRelease = z.infer<typeof createdReleaseSchema>;

export const releaseCommands = {
  /**
   * Makes a signed release bundle (FORMATS §4, §9): every file under the paths hashed and copied
   * in one pass on the hash workers, with progress under `jobId`. Nothing is left behind on failure.
   */
  'release.create': {
    input: releaseCreateInputSchema,
    output: createdReleaseSchema,
  },
  /**
   * How the new session's release differs from the old one's: the pins the two manifests make
   * (subjects, kinds, environment, tolerance) and their lineage, with what that means for review.
   * Nothing is hashed: the comparison reads what each manifest says.
   */
  'release.compare': {
    input: z.object({ oldSessionId: sessionIdSchema, newSessionId: sessionIdSchema }).strict(),
    output: releaseComparisonSchema,
  },
} as const satisfies CommandDefinitions;

import { z } from 'zod';
import { reproductionSchema } from '../../compare/reproduction';
import { jobIdSchema, keyIdSchema, sessionIdSchema, type CommandDefinitions } from './command-kit';

export { reproductionSchema, type Reproduction } from '../../compare/reproduction';

/** Who adds a co-signature: a profile key (unlocked first with `keys.unlock`), an OpenSSH private key file, or a key held by the ssh-agent of the Node side. */
export const cosignerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('profile'), keyId: keyIdSchema }).strict(),
  z.object({ kind: z.literal('key-file'), path: z.string().min(1).max(4096), passphrase: z.string().max(1024).optional() }).strict(),
  z.object({ kind: z.literal('ssh-agent'), keyId: keyIdSchema }).strict(),
]);
export type Cosigner = z.infer<typeof cosignerSchema>;

export const releaseCosignCommands = {
  /**
   * Adds a signature to the session's manifest envelope (a bundle directory): the same payload
   * bytes, so the manifest digest and its approvals are unchanged. Errors, with nothing written:
   * `unsupported` for an archive; `refused` when a blob does not match its pin or the envelope
   * holds fields DSSE does not define; `conflict` when the key already signed, or the folder
   * changed since it was verified; `not-found`/`unsupported` for an agent key that is missing or
   * not Ed25519. Only the command line names a key file.
   */
  'release.sign': {
    input: z.object({ sessionId: sessionIdSchema, signer: cosignerSchema, jobId: jobIdSchema.optional() }).strict(),
    output: z.object({ file: z.string(), keyId: z.string(), signatures: z.number().int(), manifestDigest: z.string() }),
  },
  /**
   * Is the rebuilt session's release an equivalent rerun of the original's? Both are verified
   * (their blobs hashed) under the profile's trust; pins are compared as `release.compare` does,
   * then judged (shared/compare/reproduce-release.ts). `invalid-format` when either has no
   * readable manifest, or the original's tolerance or an evaluation is not as documented.
   */
  'release.reproduce': {
    input: z.object({ originalSessionId: sessionIdSchema, rebuiltSessionId: sessionIdSchema, jobId: jobIdSchema.optional() }).strict(),
    output: reproductionSchema,
  },
} as const satisfies CommandDefinitions;

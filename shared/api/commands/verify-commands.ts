import { z } from 'zod';
import { verificationReportSchema } from '../../verify/report';
import { jobIdSchema, type CommandDefinitions } from './command-kit';

const path = z.string().min(1).max(4096);

/** The trust flags of `countersign verify` for foreign signatures: when any is given, trust comes from them alone. */
export const trustFlagsInputSchema = z
  .object({
    /** Public key files: PEM SubjectPublicKeyInfo (EC P-256/384/521, Ed25519, RSA) or one OpenSSH line each. */
    keys: z.array(path).max(256).optional(),
    /** X.509 trust anchors (PEM), for the OMS certificate method. */
    ca: z.array(path).max(256).optional(),
    trustedRoot: path.optional(),
    certificateIdentity: z.string().min(1).max(4096).optional(),
    certificateOidcIssuer: z.string().min(1).max(4096).optional(),
    allowedSigners: path.optional(),
    principal: z.string().min(1).max(1024).optional(),
    layout: path.optional(),
  })
  .strict();
export type TrustFlagsInput = z.infer<typeof trustFlagsInputSchema>;

export const foreignFormatChoiceSchema = z.enum(['auto', 'oms', 'sigstore', 'dsse', 'sshsig', 'in-toto']);

/**
 * Verification of signatures other tools make (OpenSSF Model Signing, Sigstore, DSSE, SSH, in-toto),
 * offline, with trust from the caller: the flags when any is given (the profile is then neither
 * read nor written), otherwise the profile's trusted keys.
 */
export const verifyCommands = {
  'verify.signature': {
    input: z
      .object({
        /** What was signed: a model directory or file, an artifact, an in-toto work directory; or the envelope itself. */
        target: path,
        /** The signature file; absent when the target is the envelope and there is no separate artifact. */
        signature: path.optional(),
        /** auto (the default) decides from the signature's content, never its name. */
        format: foreignFormatChoiceSchema.optional(),
        trust: trustFlagsInputSchema.optional(),
        /** The namespace an SSH signature must have been made for (required for SSH signatures). */
        namespace: z.string().min(1).max(1024).optional(),
        links: path.optional(),
        ignorePaths: z.array(z.string().min(1).max(4096)).max(4096).optional(),
        ignoreUnsignedFiles: z.boolean().optional(),
        /** Distinct trusted keys required; 1 by default. */
        threshold: z.number().int().min(1).max(1000).optional(),
        jobId: jobIdSchema.optional(),
      })
      .strict(),
    output: verificationReportSchema,
  },
} as const satisfies CommandDefinitions;

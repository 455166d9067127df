import { z } from 'zod';

/**
 * The verification report: what a reviewer sees when a bundle is opened and what
 * `countersign verify --json` prints. One schema serves the UI, the CLI and the hosts.
 */

export const verdictSchema = z.enum(['verified', 'tampered', 'untrusted', 'invalid']);
export type Verdict = z.infer<typeof verdictSchema>;

export const artifactKindSchema = z.enum([
  'model',
  'dataset',
  'features',
  'code',
  'container',
  'lockfile',
  'config',
  'report',
  'other',
]);
export type ArtifactKind = z.infer<typeof artifactKindSchema>;

export const digestSetSchema = z.record(z.string(), z.string());
export type DigestSet = z.infer<typeof digestSetSchema>;

export const trustSourceSchema = z.enum(['member', 'producer', 'pinned']);
export type TrustSource = z.infer<typeof trustSourceSchema>;

/** valid: verifies under a trusted key. invalid: does not verify under the key it names, or is malformed.
 *  unknown-key: no trusted key verifies it. revoked: verifies, but under a revoked key. */
export const signatureStatusSchema = z.enum(['valid', 'invalid', 'unknown-key', 'revoked']);
export type SignatureStatus = z.infer<typeof signatureStatusSchema>;

export const signatureCheckSchema = z.object({
  index: z.number().int(),
  keyIdHint: z.string(),
  /** The key that verified the signature, or the trusted key it names when it failed. */
  keyId: z.string().nullable(),
  signerName: z.string().nullable(),
  trustSource: trustSourceSchema.nullable(),
  status: signatureStatusSchema,
  reason: z.string(),
});
export type SignatureCheck = z.infer<typeof signatureCheckSchema>;

/** ok: blob hashes to the pinned sha256. mismatch: it does not. not-checked: no blob in the bundle.
 *  missing: a file that a foreign signature (OMS) lists is not there. */
export const subjectStatusSchema = z.enum(['ok', 'mismatch', 'not-checked', 'missing']);
export type SubjectStatus = z.infer<typeof subjectStatusSchema>;

export const subjectCheckSchema = z.object({
  name: z.string(),
  kind: artifactKindSchema.nullable(),
  digest: digestSetSchema,
  /** Bundle-relative path of the blob, e.g. `artifacts/model/fraud-m92.onnx`. */
  blobPath: z.string().nullable(),
  size: z.number().nullable(),
  status: subjectStatusSchema,
  expectedSha256: z.string().nullable(),
  actualSha256: z.string().nullable(),
  /** The digest computed, when the signed algorithm is not SHA-256 (OMS blake2b). */
  actualDigest: digestSetSchema.optional(),
  reason: z.string(),
});
export type SubjectCheck = z.infer<typeof subjectCheckSchema>;

export const findingSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string(),
  message: z.string(),
  /** The file, JSON path or key the finding is about, when there is one. */
  location: z.string().nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

/** A Countersign bundle's container, or the foreign format verified (`oms`: a model and its OMS signature; `sigstore`: an artifact and its Sigstore bundle). */
export const bundleFormatSchema = z.enum(['directory', 'tar', 'tar.gz', 'zip', 'oms', 'sigstore']);
export type BundleFormat = z.infer<typeof bundleFormatSchema>;

export const manifestSummarySchema = z.object({
  /** sha256 hex of the manifest payload bytes: the identity approvals bind to. */
  digest: z.string(),
  releaseName: z.string().nullable(),
  releaseVersion: z.string().nullable(),
  predicateType: z.string(),
  understood: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** JSON paths of fields this version does not interpret; kept and shown, never dropped. */
  unknownFields: z.array(z.string()),
  /** The verified payload, as parsed: shown to the reviewer in full. */
  statement: z.unknown(),
});
export type ManifestSummary = z.infer<typeof manifestSummarySchema>;

export const verificationReportSchema = z.object({
  bundle: z.object({
    path: z.string(),
    format: bundleFormatSchema,
    fileCount: z.number().int(),
  }),
  manifest: manifestSummarySchema.nullable(),
  verdict: verdictSchema,
  /** Plain-words reasons for the verdict, most important first. */
  reasons: z.array(z.string()),
  findings: z.array(findingSchema),
  signatures: z.array(signatureCheckSchema),
  subjects: z.array(subjectCheckSchema),
  unexpectedBlobs: z.array(z.string()),
  counts: z.object({
    subjects: z.number().int(),
    checked: z.number().int(),
    ok: z.number().int(),
    mismatched: z.number().int(),
    notChecked: z.number().int(),
    bytesHashed: z.number(),
  }),
  trust: z.object({
    /** flags: trust came from --key / --ca given for this one check. */
    source: z.enum(['board-file', 'store', 'flags']),
    boardName: z.string().nullable(),
    trustedKeyCount: z.number().int(),
  }),
  verifiedAt: z.string(),
});
export type VerificationReport = z.infer<typeof verificationReportSchema>;

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

/** member, producer, pinned: from the board policy or this profile. flag: given on the command line (`--key`, `--allowed-signers`, `--ca`, ...). */
export const trustSourceSchema = z.enum(['member', 'producer', 'pinned', 'flag']);
export type TrustSource = z.infer<typeof trustSourceSchema>;

/** valid: verifies under a trusted key. invalid: does not verify under the key it names, or is malformed.
 *  unknown-key: no trusted key verifies it. revoked: verifies, but under a revoked key.
 *  not-allowed: by a trusted key, but not for this use: another namespace, a principal, or a time
 *  the allowed signers do not permit (foreign formats). */
export const signatureStatusSchema = z.enum(['valid', 'invalid', 'unknown-key', 'revoked', 'not-allowed']);
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
  /** The signature algorithm as checked, e.g. `ecdsa-p384-sha384`, `ssh-ed25519`; absent for Countersign's own Ed25519 signatures. */
  algorithm: z.string().optional(),
});
export type SignatureCheck = z.infer<typeof signatureCheckSchema>;

/**
 * ok: blob hashes to the pinned digest. mismatch: it does not. not-checked: no blob in the bundle
 * (a Countersign bundle may leave large artifacts out). missing: a signed file that is not on disk
 * (foreign formats, where every signed file must be present).
 */
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
  reason: z.string(),
  /** For digests other than sha256 (OMS blake2b, in-toto sha512): the algorithm and both values, lowercase hex. */
  digestAlgorithm: z.string().optional(),
  expectedDigest: z.string().nullable().optional(),
  actualDigest: z.string().nullable().optional(),
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

/** How the target is held on disk: a Countersign bundle's archive form, or a plain file (foreign formats). */
export const bundleFormatSchema = z.enum(['directory', 'tar', 'tar.gz', 'zip', 'file']);
export type BundleFormat = z.infer<typeof bundleFormatSchema>;

/**
 * The signature format that was recognised, whether or not it verified: so a reader can tell
 * "recognised and refused" from "not understood".
 */
export const signatureFormatSchema = z.enum(['countersign', 'oms', 'sigstore', 'dsse', 'sshsig', 'in-toto']);
export type SignatureFormat = z.infer<typeof signatureFormatSchema>;

/** What a transparency log or timestamp authority vouched for (Sigstore bundles). */
export const transparencySchema = z.object({
  logIndex: z.number().int().nullable(),
  /** RFC 3339: the log's integrated time, or the TSA's time, whichever the certificate was checked at. */
  integratedTime: z.string().nullable(),
  timestampAuthorityTime: z.string().nullable(),
  /** Which proofs were checked, e.g. `inclusion-proof`, `checkpoint`, `set`, `rfc3161`, `sct`. */
  proofsChecked: z.array(z.string()),
});
export type Transparency = z.infer<typeof transparencySchema>;

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

/**
 * An attestation a Countersign bundle carries under `attestations/` (an OMS `model.sig`, a DSSE
 * envelope or Sigstore bundle holding an in-toto statement such as SLSA provenance), checked
 * under the producers' trust. verified: a trusted producer signed it and every subject it names
 * is the manifest's; tampered: a signature fails under the trusted key it names, a signed file
 * differs, a subject is not the manifest's, or the provenance names another commit; untrusted:
 * no trusted, unrevoked producer signed it; invalid: unreadable or malformed; unsupported: a
 * format not checked as an attestation.
 */
export const attestationStatusSchema = z.enum(['verified', 'tampered', 'untrusted', 'invalid', 'unsupported']);

export const attestationBindingSchema = z.object({
  /** As the attestation names it: an OMS file (relative to the model root) or a statement subject's name. */
  name: z.string(),
  digest: digestSetSchema,
  /** The manifest subject it is bound to, or null. */
  manifestSubject: z.string().nullable(),
  /** bound: equal to that subject; mismatch: same name, another digest (or a signed file that changed); unbound: no manifest subject has this digest; missing: a model subject the signature does not cover. */
  status: z.enum(['bound', 'mismatch', 'unbound', 'missing']),
  reason: z.string(),
});
export type AttestationBinding = z.infer<typeof attestationBindingSchema>;

export const attestationCheckSchema = z.object({
  /** Bundle-relative, e.g. `attestations/model.sig`. */
  path: z.string(),
  /** The signature format recognised from the content, or null when none was. */
  format: signatureFormatSchema.nullable(),
  predicateType: z.string().nullable(),
  /** Who signed it: the producer's name (or certificate identity) of the first trusted signature, else what the signature claims. */
  signer: z.string().nullable(),
  keyId: z.string().nullable(),
  trustSource: trustSourceSchema.nullable(),
  status: attestationStatusSchema,
  reasons: z.array(z.string()),
  bindings: z.array(attestationBindingSchema),
  /** SLSA provenance: the git commits it was built from against the manifest's `code` subjects. */
  provenance: z
    .object({
      commits: z.array(z.string()),
      codeCommits: z.array(z.string()),
      status: z.enum(['same', 'differs', 'no-code-subject', 'no-commit']),
    })
    .nullable(),
});
export type AttestationCheck = z.infer<typeof attestationCheckSchema>;

export const verificationReportSchema = z.object({
  bundle: z.object({
    path: z.string(),
    /** The signature format: `countersign` for a Countersign bundle. */
    format: signatureFormatSchema,
    /** The target's form on disk: for a Countersign bundle, directory or archive. */
    container: bundleFormatSchema,
    fileCount: z.number().int(),
    /** The signature file, when it is not part of the target (`--signature`). */
    signaturePath: z.string().nullable().optional(),
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
    /** flags: trust came from the command line's trust flags alone; the profile was not read. */
    source: z.enum(['board-file', 'store', 'flags']),
    boardName: z.string().nullable(),
    trustedKeyCount: z.number().int(),
    /** With flags: what was given, e.g. `--key ci.pub`, `--allowed-signers allowed_signers`. */
    anchors: z.array(z.string()).optional(),
    /** Distinct trusted keys required (DSSE `--threshold`); 1 when absent. */
    threshold: z.number().int().optional(),
  }),
  /** Sigstore bundles: what the transparency log or timestamp authority vouched for; absent for other formats. */
  transparency: transparencySchema.nullable().optional(),
  /** A Countersign bundle's `attestations/` files, each checked under the producers' trust; absent when it has none. */
  attestations: z.array(attestationCheckSchema).optional(),
  verifiedAt: z.string(),
});
export type VerificationReport = z.infer<typeof verificationReportSchema>;

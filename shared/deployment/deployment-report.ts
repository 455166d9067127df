import { z } from 'zod';
import { artifactKindSchema, digestSetSchema, findingSchema, verdictSchema } from '../verify/report';

/**
 * The result of diffing a release manifest against a proposed deployment (FORMATS §8), as
 * the CLI prints it under --json and the UI receives it.
 */

/**
 * - match: deployed with a digest equal to the manifest's.
 * - digest-mismatch: deployed with a digest, and it is not the one the manifest pins.
 * - mutable-reference: deployed by something that is not a digest (a tag, `latest`, a storage URI).
 * - not-in-manifest: deployed, but no subject of the manifest names it: never approved.
 * - not-deployed: a model or container subject that the deployment does not deploy (informational).
 */
export const deploymentStatusSchema = z.enum(['match', 'digest-mismatch', 'mutable-reference', 'not-in-manifest', 'not-deployed']);
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

export const deployedArtifactSchema = z.object({
  /** What the deployment calls it: a native artifact name, an image's normalised repository, a storage URI. */
  name: z.string(),
  /** The image reference or URI exactly as written, when the artifact was given by one. */
  reference: z.string().nullable(),
  /** The pinned digest, when there is one. */
  digest: digestSetSchema.nullable(),
  /** Where it was found, e.g. `serve.k8s.yaml document 2 (Deployment fraud-serve) spec.template.spec.containers[0].image`. */
  location: z.string(),
});
export type DeployedArtifact = z.infer<typeof deployedArtifactSchema>;

export const deploymentRowSchema = z.object({
  status: deploymentStatusSchema,
  /** The manifest subject this row is about; null for not-in-manifest. */
  subject: z.string().nullable(),
  kind: artifactKindSchema.nullable(),
  manifestDigest: digestSetSchema.nullable(),
  /** Null for not-deployed. */
  deployed: deployedArtifactSchema.nullable(),
  /** The status in plain words, e.g. "deployed by the tag latest, with no digest". */
  detail: z.string(),
});
export type DeploymentRow = z.infer<typeof deploymentRowSchema>;

export const deploymentVerdictSchema = z.enum(['deployable', 'blocked']);
export type DeploymentVerdict = z.infer<typeof deploymentVerdictSchema>;

export const deploymentSourceSchema = z.object({
  /** Where the proposed deployment came from. */
  origin: z.enum(['bundle', 'file', 'opened']),
  /** The file: bundle-relative for `bundle`, the path given for `file`, the file name for `opened`. */
  file: z.string(),
  format: z.enum(['native', 'kubernetes']),
  environment: z.string().nullable(),
});
export type DeploymentSource = z.infer<typeof deploymentSourceSchema>;

export const deploymentDiffSchema = z.object({
  release: z.string().nullable(),
  /** sha256 of the manifest payload: what approvals bind to. */
  manifestDigest: z.string(),
  source: deploymentSourceSchema,
  rows: z.array(deploymentRowSchema),
  verdict: deploymentVerdictSchema,
  /** Every reason the deployment is blocked, in plain words; empty when deployable. */
  reasons: z.array(z.string()),
  findings: z.array(findingSchema),
  /** Whether the release is approved under the board policy; null when approvals were not evaluated. */
  approved: z.boolean().nullable(),
  /** The bundle's verification verdict under the board policy's trust; null when approvals were not evaluated. */
  integrity: verdictSchema.nullable(),
});
export type DeploymentDiff = z.infer<typeof deploymentDiffSchema>;

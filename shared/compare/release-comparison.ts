import { z } from 'zod';
import { artifactKindSchema, digestSetSchema } from '../verify/report';

/** What `release.compare` answers: how a new release's pins differ from an old one's (README: "Comparing releases"). */

const releaseSideSchema = z.object({
  /** sha256 of the manifest payload: what approvals bind to. */
  manifestDigest: z.string(),
  /** `name@version`, or null when the predicate is not understood. */
  release: z.string().nullable(),
  /** At least one signature verifies under a trusted key; a comparison of untrusted manifests says what they claim, not that it is so. */
  signedByTrustedKey: z.boolean(),
  hasLineage: z.boolean(),
});

const subjectPinSchema = z.object({ name: z.string(), kind: artifactKindSchema.nullable(), digest: digestSetSchema });

export const releaseComparisonSchema = z.object({
  old: releaseSideSchema,
  new: releaseSideSchema,
  /** True when no pin, kind, environment field or lineage node or edge differs. */
  identical: z.boolean(),
  subjects: z.object({
    added: z.array(subjectPinSchema),
    removed: z.array(subjectPinSchema),
    /** Same name, other digest set; `kind` is the new release's. */
    changed: z.array(z.object({ name: z.string(), kind: artifactKindSchema.nullable(), oldDigest: digestSetSchema, newDigest: digestSetSchema })),
    kindChanged: z.array(z.object({ name: z.string(), oldKind: artifactKindSchema.nullable(), newKind: artifactKindSchema.nullable() })),
  }),
  /** Leaf fields of predicate.environment and predicate.tolerance that differ, as JSON text (null: absent). */
  environment: z.array(z.object({ field: z.string(), old: z.string().nullable(), new: z.string().nullable() })),
  lineage: z.object({
    nodesAdded: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string() })),
    nodesRemoved: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string() })),
    /** Same id, another kind, name, version or subject. */
    nodesChanged: z.array(z.object({ id: z.string(), changes: z.array(z.string()) })),
    edgesAdded: z.array(z.object({ from: z.string(), to: z.string() })),
    edgesRemoved: z.array(z.object({ from: z.string(), to: z.string() })),
  }),
  /** What the differences mean for review, in plain words (shared/compare/review-hints.ts). */
  reviewHints: z.array(z.object({ message: z.string(), roles: z.array(z.string()) })),
});
export type ReleaseComparison = z.infer<typeof releaseComparisonSchema>;

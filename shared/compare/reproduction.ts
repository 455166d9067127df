import { z } from 'zod';
import { artifactKindSchema, digestSetSchema, verdictSchema } from '../verify/report';
import { releaseComparisonSchema } from './release-comparison';

/** What `release.reproduce` answers: is a rebuilt release equivalent to the original? (README: "Reproducing a release"). */

const reproductionSideSchema = z.object({
  manifestDigest: z.string(),
  release: z.string().nullable(),
  verdict: verdictSchema,
});

export const reproductionSchema = z.object({
  original: reproductionSideSchema,
  rebuilt: reproductionSideSchema,
  equivalent: z.boolean(),
  /** Every reason the rebuild is not equivalent; empty when it is. */
  reasons: z.array(z.string()),
  /** Subjects that differ; `required` ones (code, data, lock files, containers) make the rebuild not equivalent. */
  pins: z.array(
    z.object({
      name: z.string(),
      kind: artifactKindSchema.nullable(),
      change: z.enum(['changed', 'missing', 'extra', 'kind-changed']),
      required: z.boolean(),
      original: digestSetSchema.nullable(),
      rebuilt: digestSetSchema.nullable(),
    }),
  ),
  /** Hardware fields that differ: allowed, reported. */
  hardware: z.array(z.object({ field: z.string(), original: z.string().nullable(), rebuilt: z.string().nullable() })),
  /** Other environment fields that differ; `required` ones (the seed) make the rebuild not equivalent. */
  environment: z.array(z.object({ field: z.string(), original: z.string().nullable(), rebuilt: z.string().nullable(), required: z.boolean() })),
  /** Each metric of either evaluation; `maxDelta` is the original's tolerance for it (0 when it sets none for a toleranced metric... see README). */
  metrics: z.array(
    z.object({
      metric: z.string(),
      original: z.number().nullable(),
      rebuilt: z.number().nullable(),
      delta: z.number().nullable(),
      maxDelta: z.number().nullable(),
      /** Null: not judged (a metric the tolerance does not name). */
      within: z.boolean().nullable(),
    }),
  ),
  /** The full pin-by-pin comparison the `compare` command makes of the same two releases. */
  comparison: releaseComparisonSchema,
});
export type Reproduction = z.infer<typeof reproductionSchema>;

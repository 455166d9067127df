import { z } from 'zod';
import { LINEAGE_NODE_KINDS } from '../../lineage/lineage-graph';
import { MAX_LINEAGE_PATHS, MAX_LINEAGE_PATH_EDGES } from '../../lineage/lineage-paths';
import { findingSchema } from '../../verify/report';
import { sessionIdSchema, type CommandDefinitions } from './command-kit';

export { MAX_LINEAGE_PATHS, MAX_LINEAGE_PATH_EDGES };

export const lineageNodeKindSchema = z.enum(LINEAGE_NODE_KINDS);

export const lineageNodeSchema = z.object({
  id: z.string(),
  kind: lineageNodeKindSchema,
  name: z.string(),
  version: z.string().nullable(),
  subject: z.string().nullable(),
});

export const lineageEdgeSchema = z.object({ from: z.string(), to: z.string() });

export const lineageDirectionSchema = z.enum(['downstream', 'upstream']);
export type LineageDirection = z.infer<typeof lineageDirectionSchema>;

export const lineageGraphResultSchema = z.object({
  nodes: z.array(lineageNodeSchema),
  edges: z.array(lineageEdgeSchema),
  /** Bundle-relative (or the file's own name) lineage files the graph was read from. */
  sourceFiles: z.array(z.string()),
  /** Problems and notes: kind conflicts, unknown fields kept, links to subjects not found. */
  findings: z.array(findingSchema),
});
export type LineageGraphResult = z.infer<typeof lineageGraphResultSchema>;

export const impactedNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: lineageNodeKindSchema,
  /** Distance from the root in hops (edges). */
  degree: z.number().int(),
  subject: z.string().nullable(),
  /** `name@version` of the release manifests the app knows that pin this node's subject. */
  releases: z.array(z.string()),
  /** Approvals of those releases that count under the board policy (verified, by members, for that manifest); 0 without a board policy. */
  approvals: z.number().int(),
  /** Environments of the proposed deployments that carry this node's subject. */
  deployments: z.array(z.string()),
});
export type ImpactedNode = z.infer<typeof impactedNodeSchema>;

export const impactReportSchema = z.object({
  root: z.string(),
  direction: lineageDirectionSchema,
  /** Every node reached, nearest first (breadth-first order); the root itself is not listed. */
  affected: z.array(impactedNodeSchema),
});
export type ImpactReport = z.infer<typeof impactReportSchema>;

const nodeId = z.string().min(1).max(4096);

export const lineageCommands = {
  /** The lineage of the session: a bundle's lineage files merged, or the lineage file opened. */
  'lineage.graph': {
    input: z.object({ sessionId: sessionIdSchema }).strict(),
    output: lineageGraphResultSchema,
  },
  'lineage.impact': {
    input: z.object({ sessionId: sessionIdSchema, nodeId, direction: lineageDirectionSchema }).strict(),
    output: impactReportSchema,
  },
  'lineage.path': {
    input: z.object({ sessionId: sessionIdSchema, from: nodeId, to: nodeId }).strict(),
    /** Node ids from `from` to `to`; shortest first; at most MAX_LINEAGE_PATHS paths of at most MAX_LINEAGE_PATH_EDGES edges. */
    output: z.object({
      paths: z.array(z.array(z.string())),
      /** True when the caps cut the list short: more paths exist than were returned. */
      truncated: z.boolean(),
    }),
  },
} as const satisfies CommandDefinitions;

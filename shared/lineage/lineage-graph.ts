/**
 * The lineage graph every importer produces (FORMATS §7) and every query and view reads.
 * Node ids are unique; every edge names two existing nodes; the graph is acyclic.
 */

export const LINEAGE_NODE_KINDS = ['source', 'dataset', 'transform', 'features', 'training', 'model', 'deployment', 'other'] as const;
export type LineageNodeKind = (typeof LINEAGE_NODE_KINDS)[number];

export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  /** What a person reads; the id when the source gives no name. */
  name: string;
  version: string | null;
  /** The manifest subject this node stands for, by subject name. */
  subject: string | null;
}

export interface LineageEdge {
  from: string;
  to: string;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export function isLineageNodeKind(value: string): value is LineageNodeKind {
  return (LINEAGE_NODE_KINDS as readonly string[]).includes(value);
}

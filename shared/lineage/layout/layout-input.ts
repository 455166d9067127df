import type { LineageEdge } from '../lineage-graph';

/**
 * A graph as the layout reads it: nodes are the integers 0..nodeCount-1 and edge `i` runs from
 * `edgeSources[i]` to `edgeTargets[i]`. Typed arrays, so a Web Worker receives it by transfer
 * rather than by copying ten thousand objects.
 */
export interface LayoutInput {
  nodeCount: number;
  edgeSources: Int32Array;
  edgeTargets: Int32Array;
}

/**
 * The layout input for the nodes `nodeIds` (in that order) and the edges among them; edges that
 * leave the set are dropped, so any subset of a lineage graph can be laid out on its own.
 */
export function layoutInputOf(nodeIds: readonly string[], edges: readonly LineageEdge[]): LayoutInput {
  const indexOf = new Map<string, number>();
  nodeIds.forEach((id, index) => indexOf.set(id, index));
  const sources: number[] = [];
  const targets: number[] = [];
  for (const edge of edges) {
    const from = indexOf.get(edge.from);
    const to = indexOf.get(edge.to);
    if (from === undefined || to === undefined) continue;
    sources.push(from);
    targets.push(to);
  }
  return { nodeCount: nodeIds.length, edgeSources: Int32Array.from(sources), edgeTargets: Int32Array.from(targets) };
}

/** Compressed adjacency (CSR): the neighbours of `v` are `list[start[v]] .. list[start[v + 1] - 1]`. */
export interface Adjacency {
  start: Int32Array;
  list: Int32Array;
}

/** Successors (`forward`) or predecessors of every node, in edge order. */
export function adjacencyOf(input: LayoutInput, forward: boolean): Adjacency {
  const { nodeCount, edgeSources, edgeTargets } = input;
  const tails = forward ? edgeSources : edgeTargets;
  const heads = forward ? edgeTargets : edgeSources;
  const start = new Int32Array(nodeCount + 1);
  for (let e = 0; e < tails.length; e++) start[tails[e]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, nodeCount);
  const list = new Int32Array(tails.length);
  for (let e = 0; e < tails.length; e++) list[fill[tails[e]!]!++] = heads[e]!;
  return { start, list };
}

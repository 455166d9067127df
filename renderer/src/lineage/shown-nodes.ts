import type { CompactLineage } from '../../../shared/lineage/compact-lineage';
import type { LineageGraph } from '../../../shared/lineage/lineage-graph';
import type { LayoutInput } from '../../../shared/lineage/layout/layout-input';

/**
 * Which nodes of the lineage the view shows. It opens on one node with its neighbours and grows
 * on demand; these are the pure steps, over the engine's compact adjacency (node indexes).
 */

/** The node the view opens on: the first model, else the first source, else the first node. */
export function defaultFocus(graph: LineageGraph): number {
  const model = graph.nodes.findIndex((node) => node.kind === 'model');
  if (model >= 0) return model;
  return Math.max(0, graph.nodes.findIndex((node) => node.kind === 'source'));
}

/** `shown` plus `index` and its neighbours one hop each way. */
export function withNeighbours(lineage: CompactLineage, shown: ReadonlySet<number>, index: number): Set<number> {
  const next = new Set(shown);
  next.add(index);
  for (const direction of ['upstream', 'downstream'] as const) {
    for (const neighbour of lineage.neighbours(index, direction)) next.add(neighbour);
  }
  return next;
}

/**
 * `shown` plus `index`, its neighbours, and the nodes of a shortest path from it to the nearest
 * node already shown (downstream or upstream), so a node found by search joins the picture
 * connected rather than floating beside it.
 */
export function withNodeConnected(lineage: CompactLineage, shown: ReadonlySet<number>, index: number): Set<number> {
  const next = withNeighbours(lineage, shown, index);
  let best: { path: number[]; length: number } | null = null;
  for (const direction of ['downstream', 'upstream'] as const) {
    const distance = lineage.distancesFrom(index, direction);
    let nearest = -1;
    for (const node of shown) {
      const hops = distance[node]!;
      if (hops > 0 && (nearest < 0 || hops < distance[nearest]!)) nearest = node;
    }
    if (nearest < 0 || (best !== null && distance[nearest]! >= best.length)) continue;
    // Walk back from the shown node to `index`, one hop nearer each step.
    const back = direction === 'downstream' ? 'upstream' : 'downstream';
    const path: number[] = [];
    for (let node = nearest; node !== index; ) {
      path.push(node);
      node = Array.from(lineage.neighbours(node, back)).find((previous) => distance[previous] === distance[node]! - 1)!;
    }
    best = { path, length: distance[nearest]! };
  }
  for (const node of best?.path ?? []) next.add(node);
  return next;
}

/** `shown` plus every node of `mask` (a per-node flag array). */
export function withMarked(shown: ReadonlySet<number>, mask: ArrayLike<number>): Set<number> {
  const next = new Set(shown);
  for (let index = 0; index < mask.length; index++) if (mask[index]) next.add(index);
  return next;
}

/** How many neighbours of `index` (both ways) are not shown. */
export function hiddenNeighbourCount(lineage: CompactLineage, shown: ReadonlySet<number>, index: number): number {
  let hidden = 0;
  for (const direction of ['upstream', 'downstream'] as const) {
    for (const neighbour of lineage.neighbours(index, direction)) if (!shown.has(neighbour)) hidden++;
  }
  return hidden;
}

/** Shown nodes in index order: the layout numbers them 0..n-1 in this order. */
export function shownInOrder(shown: ReadonlySet<number>): Int32Array {
  return Int32Array.from(shown).sort();
}

/** The layout input of the shown nodes (`nodes`, from shownInOrder) and the edges among them. */
export function layoutInputOfShown(lineage: CompactLineage, nodes: Int32Array): LayoutInput {
  const localOf = new Int32Array(lineage.nodeCount).fill(-1);
  nodes.forEach((node, local) => (localOf[node] = local));
  const sources: number[] = [];
  const targets: number[] = [];
  nodes.forEach((node, local) => {
    for (const next of lineage.neighbours(node, 'downstream')) {
      const target = localOf[next]!;
      if (target >= 0) {
        sources.push(local);
        targets.push(target);
      }
    }
  });
  return { nodeCount: nodes.length, edgeSources: Int32Array.from(sources), edgeTargets: Int32Array.from(targets) };
}

/** Distances from the selected node both ways (-1 where unreachable); null when nothing is selected. */
export interface Lineage {
  selected: number;
  upstream: Int32Array;
  downstream: Int32Array;
}

export function lineageOf(lineage: CompactLineage, selected: number | null): Lineage | null {
  if (selected === null) return null;
  return { selected, upstream: lineage.distancesFrom(selected, 'upstream'), downstream: lineage.distancesFrom(selected, 'downstream') };
}

export function relationOf(index: number, selection: Lineage | null): 'selected' | 'upstream' | 'downstream' | 'unrelated' | 'no-selection' {
  if (selection === null) return 'no-selection';
  if (index === selection.selected) return 'selected';
  if (selection.upstream[index]! > 0) return 'upstream';
  if (selection.downstream[index]! > 0) return 'downstream';
  return 'unrelated';
}

/** Every node upstream or downstream of the selection, and the selection itself, as a flag array. */
export function lineageMask(selection: Lineage): Uint8Array {
  const mask = new Uint8Array(selection.upstream.length);
  for (let index = 0; index < mask.length; index++) mask[index] = selection.upstream[index]! >= 0 || selection.downstream[index]! >= 0 ? 1 : 0;
  return mask;
}

import type { Adjacency } from './layout-input';

/**
 * The order of nodes within layers: layer `l` holds `layerNodes[layerStart[l]] ..
 * layerNodes[layerStart[l + 1] - 1]`, top to bottom; `position[v]` is v's index within its layer.
 */
export interface LayerOrder {
  layer: Int32Array;
  layerStart: Int32Array;
  layerNodes: Int32Array;
  position: Int32Array;
}

/**
 * Edge crossings between neighbouring layers: pairs of edges from layer l to layer l + 1 whose
 * ends are in opposite orders. Edges that skip layers are not counted (their crossings depend on
 * how they are drawn). Counted as inversions with a Fenwick tree: O(E log V) in all.
 */
export function countCrossings(order: LayerOrder, successors: Adjacency): number {
  const { layer, layerStart, layerNodes, position } = order;
  const layerCount = layerStart.length - 1;
  let widest = 0;
  for (let l = 0; l < layerCount; l++) widest = Math.max(widest, layerStart[l + 1]! - layerStart[l]!);
  const tree = new Int32Array(widest + 1);
  const ends: number[] = [];
  let crossings = 0;

  for (let l = 0; l + 1 < layerCount; l++) {
    const nextSize = layerStart[l + 2]! - layerStart[l + 1]!;
    tree.fill(0, 0, nextSize + 1);
    let inserted = 0;
    for (let i = layerStart[l]!; i < layerStart[l + 1]!; i++) {
      const v = layerNodes[i]!;
      ends.length = 0;
      for (let k = successors.start[v]!; k < successors.start[v + 1]!; k++) {
        const w = successors.list[k]!;
        if (layer[w] === l + 1) ends.push(position[w]!);
      }
      ends.sort((a, b) => a - b);
      for (const end of ends) {
        // Edges already inserted that end below this one cross it.
        crossings += inserted - prefixCount(tree, end + 1);
        for (let j = end + 1; j <= nextSize; j += j & -j) tree[j]!++;
        inserted++;
      }
    }
  }
  return crossings;
}

/** How many inserted ends are at positions below `limit` (Fenwick prefix sum over 1..limit). */
function prefixCount(tree: Int32Array, limit: number): number {
  let count = 0;
  for (let j = limit; j > 0; j -= j & -j) count += tree[j]!;
  return count;
}

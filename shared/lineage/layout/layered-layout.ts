import { countCrossings } from './crossings';
import type { LayerOrder } from './crossings';
import { adjacencyOf } from './layout-input';
import type { Adjacency, LayoutInput } from './layout-input';

/**
 * A layered left-to-right layout (Sugiyama style) built for large lineage graphs: every step is
 * linear or a sort, so 10,000 nodes take well under a second where general-purpose layered
 * layouts take tens of seconds.
 *
 * 1. Layers by longest path from the sources (topological order), then each source moved next to
 *    its nearest successor so that inputs sit beside what reads them.
 * 2. Crossing reduction: alternating down and up barycenter sweeps, one sort per layer. Long edges
 *    are not split into dummy nodes; a neighbour in any earlier (or later) layer counts by its
 *    centred position in its own layer. The sweep order with the fewest crossings is kept.
 * 3. Vertical coordinates: each layer keeps its order and spacing and is placed as close as
 *    possible (least squares) to the mean height of every node's neighbours, by isotonic
 *    regression (pool adjacent violators), in alternating passes.
 *
 * Deterministic: the same input always gives the same output.
 */

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal space between layers. */
  layerGap: number;
  /** Vertical space between neighbouring nodes of a layer. */
  nodeGap: number;
  /** Barycenter sweeps (each one down or up the layers). */
  sweeps: number;
  /** Coordinate passes (each one down or up the layers). */
  placementPasses: number;
}

export const DEFAULT_LAYOUT_OPTIONS: LayoutOptions = {
  nodeWidth: 220,
  nodeHeight: 56,
  layerGap: 90,
  nodeGap: 18,
  sweeps: 6,
  placementPasses: 4,
};

export interface LayeredLayout extends LayerOrder {
  /** Top-left corner of each node; the drawing starts at (0, 0). */
  x: Float64Array;
  y: Float64Array;
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
  /** Crossings between neighbouring layers (see countCrossings) in input order and as laid out. */
  crossingsBefore: number;
  crossingsAfter: number;
}

export class LayoutCycleError extends Error {
  constructor(readonly nodesOnCycles: number) {
    super(`the graph is not acyclic: ${nodesOnCycles} nodes are on or after a cycle, so they cannot be put in layers`);
    this.name = 'LayoutCycleError';
  }
}

export function layoutLayered(input: LayoutInput, options: Partial<LayoutOptions> = {}): LayeredLayout {
  const settings = { ...DEFAULT_LAYOUT_OPTIONS, ...options };
  const successors = adjacencyOf(input, true);
  const predecessors = adjacencyOf(input, false);

  const layer = assignLayers(input.nodeCount, successors, predecessors);
  const order = groupByLayer(layer);
  const crossingsBefore = countCrossings(order, successors);
  const crossingsAfter = reduceCrossings(order, successors, predecessors, settings.sweeps, crossingsBefore);

  const pitch = settings.nodeHeight + settings.nodeGap;
  const y = placeVertically(order, successors, predecessors, pitch, settings.placementPasses);
  const x = new Float64Array(input.nodeCount);
  for (let v = 0; v < input.nodeCount; v++) x[v] = layer[v]! * (settings.nodeWidth + settings.layerGap);

  const layerCount = order.layerStart.length - 1;
  let bottom = 0;
  for (let v = 0; v < input.nodeCount; v++) bottom = Math.max(bottom, y[v]!);
  return {
    ...order,
    x,
    y,
    width: layerCount === 0 ? 0 : (layerCount - 1) * (settings.nodeWidth + settings.layerGap) + settings.nodeWidth,
    height: input.nodeCount === 0 ? 0 : bottom + settings.nodeHeight,
    nodeWidth: settings.nodeWidth,
    nodeHeight: settings.nodeHeight,
    crossingsBefore,
    crossingsAfter,
  };
}

/** Longest-path layering in topological order (Kahn), then sources pulled right. */
function assignLayers(nodeCount: number, successors: Adjacency, predecessors: Adjacency): Int32Array {
  const remainingIn = new Int32Array(nodeCount);
  const topological = new Int32Array(nodeCount);
  let tail = 0;
  for (let v = 0; v < nodeCount; v++) {
    remainingIn[v] = predecessors.start[v + 1]! - predecessors.start[v]!;
    if (remainingIn[v] === 0) topological[tail++] = v;
  }
  const layer = new Int32Array(nodeCount);
  for (let head = 0; head < tail; head++) {
    const v = topological[head]!;
    for (let k = successors.start[v]!; k < successors.start[v + 1]!; k++) {
      const w = successors.list[k]!;
      if (layer[w]! < layer[v]! + 1) layer[w] = layer[v]! + 1;
      if (--remainingIn[w]! === 0) topological[tail++] = w;
    }
  }
  if (tail < nodeCount) throw new LayoutCycleError(nodeCount - tail);

  // A source's successors are never sources, so their layers are final by now.
  for (let v = 0; v < nodeCount; v++) {
    const first = successors.start[v]!;
    const end = successors.start[v + 1]!;
    if (predecessors.start[v + 1]! !== predecessors.start[v]! || first === end) continue;
    let nearest = Number.MAX_SAFE_INTEGER;
    for (let k = first; k < end; k++) nearest = Math.min(nearest, layer[successors.list[k]!]!);
    layer[v] = nearest - 1;
  }
  return layer;
}

/** Counting sort by layer; within a layer, input order. */
function groupByLayer(layer: Int32Array): LayerOrder {
  const nodeCount = layer.length;
  let layerCount = 0;
  for (let v = 0; v < nodeCount; v++) layerCount = Math.max(layerCount, layer[v]! + 1);
  const layerStart = new Int32Array(layerCount + 1);
  for (let v = 0; v < nodeCount; v++) layerStart[layer[v]! + 1]!++;
  for (let l = 0; l < layerCount; l++) layerStart[l + 1]! += layerStart[l]!;
  const layerNodes = new Int32Array(nodeCount);
  const position = new Int32Array(nodeCount);
  const fill = layerStart.slice(0, layerCount);
  for (let v = 0; v < nodeCount; v++) {
    const slot = fill[layer[v]!]!++;
    layerNodes[slot] = v;
    position[v] = slot - layerStart[layer[v]!]!;
  }
  return { layer, layerStart, layerNodes, position };
}

/** Barycenter sweeps; leaves `order` at the best ordering seen and returns its crossing count. */
function reduceCrossings(order: LayerOrder, successors: Adjacency, predecessors: Adjacency, sweeps: number, initialCrossings: number): number {
  const { layer, layerStart, layerNodes, position } = order;
  const layerCount = layerStart.length - 1;
  const key = new Float64Array(layer.length);
  let best = layerNodes.slice();
  let bestCrossings = initialCrossings;

  for (let sweep = 0; sweep < sweeps && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const neighbours = down ? predecessors : successors;
    for (let step = 1; step < layerCount; step++) {
      const l = down ? step : layerCount - 1 - step;
      const first = layerStart[l]!;
      const end = layerStart[l + 1]!;
      for (let i = first; i < end; i++) {
        const v = layerNodes[i]!;
        let sum = 0;
        let count = 0;
        for (let k = neighbours.start[v]!; k < neighbours.start[v + 1]!; k++) {
          const w = neighbours.list[k]!;
          sum += centredPosition(order, w);
          count++;
        }
        key[v] = count === 0 ? centredPosition(order, v) : sum / count;
      }
      const nodes = layerNodes.subarray(first, end);
      nodes.sort((a, b) => key[a]! - key[b]! || position[a]! - position[b]!);
      for (let i = 0; i < nodes.length; i++) position[nodes[i]!] = i;
    }
    const crossings = countCrossings(order, successors);
    if (crossings < bestCrossings) {
      bestCrossings = crossings;
      best = layerNodes.slice();
    }
  }

  layerNodes.set(best);
  for (let l = 0; l < layerCount; l++) {
    for (let i = layerStart[l]!; i < layerStart[l + 1]!; i++) position[layerNodes[i]!] = i - layerStart[l]!;
  }
  return bestCrossings;
}

/** Position within the layer measured from the layer's middle, so layers of different sizes compare. */
function centredPosition(order: LayerOrder, v: number): number {
  const l = order.layer[v]!;
  const size = order.layerStart[l + 1]! - order.layerStart[l]!;
  return order.position[v]! - (size - 1) / 2;
}

/**
 * Vertical coordinates. Starts with every layer centred, then moves each layer towards the mean
 * height of its nodes' neighbours, keeping its order and `pitch` spacing: the least-squares
 * placement under those constraints, found in linear time by pool-adjacent-violators.
 */
function placeVertically(order: LayerOrder, successors: Adjacency, predecessors: Adjacency, pitch: number, passes: number): Float64Array {
  const { layerStart, layerNodes } = order;
  const layerCount = layerStart.length - 1;
  const y = new Float64Array(layerNodes.length);
  let widest = 0;
  for (let l = 0; l < layerCount; l++) {
    const size = layerStart[l + 1]! - layerStart[l]!;
    widest = Math.max(widest, size);
    for (let i = 0; i < size; i++) y[layerNodes[layerStart[l]! + i]!] = (i - (size - 1) / 2) * pitch;
  }

  const target = new Float64Array(widest);
  const blockSum = new Float64Array(widest);
  const blockCount = new Int32Array(widest);
  const bothSides = [predecessors, successors];
  for (let pass = 0; pass < passes; pass++) {
    const down = pass % 2 === 0;
    for (let step = 0; step < layerCount; step++) {
      const l = down ? step : layerCount - 1 - step;
      const first = layerStart[l]!;
      const size = layerStart[l + 1]! - first;
      for (let i = 0; i < size; i++) {
        const v = layerNodes[first + i]!;
        let sum = 0;
        let count = 0;
        for (const adjacency of bothSides) {
          for (let k = adjacency.start[v]!; k < adjacency.start[v + 1]!; k++) {
            sum += y[adjacency.list[k]!]!;
            count++;
          }
        }
        // In shifted coordinates (minus i·pitch) the spacing constraint becomes "non-decreasing".
        target[i] = (count === 0 ? y[v]! : sum / count) - i * pitch;
      }
      let blocks = 0;
      for (let i = 0; i < size; i++) {
        blockSum[blocks] = target[i]!;
        blockCount[blocks] = 1;
        blocks++;
        while (blocks > 1 && blockSum[blocks - 2]! / blockCount[blocks - 2]! > blockSum[blocks - 1]! / blockCount[blocks - 1]!) {
          blockSum[blocks - 2]! += blockSum[blocks - 1]!;
          blockCount[blocks - 2]! += blockCount[blocks - 1]!;
          blocks--;
        }
      }
      let i = 0;
      for (let b = 0; b < blocks; b++) {
        const mean = blockSum[b]! / blockCount[b]!;
        for (let n = 0; n < blockCount[b]!; n++, i++) y[layerNodes[first + i]!] = mean + i * pitch;
      }
    }
  }

  let top = Infinity;
  for (let v = 0; v < y.length; v++) top = Math.min(top, y[v]!);
  // Whole pixels: crisp node borders, and exports that do not depend on float formatting.
  for (let v = 0; v < y.length; v++) y[v] = Math.round(y[v]! - top);
  return y;
}

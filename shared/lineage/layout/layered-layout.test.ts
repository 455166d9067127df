import { describe, expect, it } from 'vitest';
import { countCrossings } from './crossings';
import { layoutLayered, LayoutCycleError } from './layered-layout';
import type { LayeredLayout } from './layered-layout';
import { adjacencyOf, layoutInputOf } from './layout-input';
import type { LayoutInput } from './layout-input';
import { syntheticLineage } from './synthetic-lineage';

function inputOf(nodeCount: number, edges: [number, number][]): LayoutInput {
  return { nodeCount, edgeSources: Int32Array.from(edges.map(([from]) => from)), edgeTargets: Int32Array.from(edges.map(([, to]) => to)) };
}

function nodesOfLayer(layout: LayeredLayout, l: number): number[] {
  return Array.from(layout.layerNodes.subarray(layout.layerStart[l], layout.layerStart[l + 1]));
}

const synthetic = syntheticLineage(2_000);
const syntheticInput = layoutInputOf(
  synthetic.nodes.map((node) => node.id),
  synthetic.edges,
);

describe('layoutLayered', () => {
  it('puts every edge left to right', () => {
    const layout = layoutLayered(syntheticInput);
    const { edgeSources, edgeTargets } = syntheticInput;
    for (let e = 0; e < edgeSources.length; e++) {
      expect(layout.x[edgeSources[e]!]!).toBeLessThan(layout.x[edgeTargets[e]!]!);
    }
  });

  it('never overlaps two nodes of a layer, and keeps each layer in its order top to bottom', () => {
    const layout = layoutLayered(syntheticInput, { nodeHeight: 40, nodeGap: 10 });
    for (let l = 0; l + 1 < layout.layerStart.length; l++) {
      const nodes = nodesOfLayer(layout, l);
      for (let i = 1; i < nodes.length; i++) {
        expect(layout.y[nodes[i]!]! - layout.y[nodes[i - 1]!]!).toBeGreaterThanOrEqual(50);
        expect(layout.x[nodes[i]!]).toBe(layout.x[nodes[0]!]);
      }
    }
  });

  it('starts the drawing at (0, 0) and gives its size', () => {
    const layout = layoutLayered(inputOf(3, [[0, 1], [1, 2]]), { nodeWidth: 100, nodeHeight: 30, layerGap: 50 });
    expect(Array.from(layout.x)).toEqual([0, 150, 300]);
    expect(Array.from(layout.y)).toEqual([0, 0, 0]);
    expect(layout.width).toBe(400);
    expect(layout.height).toBe(30);
  });

  it('untangles a small graph drawn with crossings', () => {
    // Layer 0: a0 a1 a2, layer 1: b0 b1 b2, wired in reverse: three crossings in input order.
    const input = inputOf(6, [[0, 5], [1, 4], [2, 3]]);
    const layout = layoutLayered(input);
    expect(layout.crossingsBefore).toBe(3);
    expect(layout.crossingsAfter).toBe(0);
    expect(countCrossings(layout, adjacencyOf(input, true))).toBe(0);
    // b2 (fed by a0) is drawn level with a0, and so on.
    expect(layout.y[5]).toBe(layout.y[0]);
    expect(layout.y[3]).toBe(layout.y[2]);
  });

  it('reduces crossings on a large generated graph', () => {
    const layout = layoutLayered(syntheticInput);
    expect(layout.crossingsAfter).toBeLessThan(layout.crossingsBefore / 2);
  });

  it('moves a source next to the node that reads it', () => {
    // 0 → 1 → 2 → 3, and source 4 feeds 3 only: it belongs in layer 2, not layer 0.
    const layout = layoutLayered(inputOf(5, [[0, 1], [1, 2], [2, 3], [4, 3]]));
    expect(Array.from(layout.layer)).toEqual([0, 1, 2, 3, 2]);
  });

  it('gives the same layout every time', () => {
    const first = layoutLayered(syntheticInput);
    const second = layoutLayered(layoutInputOf(synthetic.nodes.map((node) => node.id), syntheticLineage(2_000).edges));
    expect(Array.from(second.x)).toEqual(Array.from(first.x));
    expect(Array.from(second.y)).toEqual(Array.from(first.y));
  });

  it('lays out isolated nodes and an empty graph', () => {
    expect(Array.from(layoutLayered(inputOf(2, [])).layer)).toEqual([0, 0]);
    const empty = layoutLayered(inputOf(0, []));
    expect([empty.width, empty.height]).toEqual([0, 0]);
  });

  it('refuses a cycle', () => {
    expect(() => layoutLayered(inputOf(3, [[0, 1], [1, 2], [2, 1]]))).toThrow(LayoutCycleError);
  });
});

describe('countCrossings', () => {
  it('counts pairs of edges between neighbouring layers whose ends swap', () => {
    const input = inputOf(4, [[0, 3], [1, 2], [0, 2]]);
    const order = {
      layer: Int32Array.from([0, 0, 1, 1]),
      layerStart: Int32Array.from([0, 2, 4]),
      layerNodes: Int32Array.from([0, 1, 2, 3]),
      position: Int32Array.from([0, 1, 0, 1]),
    };
    // 0→3 crosses 1→2; 0→2 shares an end with both.
    expect(countCrossings(order, adjacencyOf(input, true))).toBe(1);
  });
});

describe('layoutInputOf', () => {
  it('numbers nodes in the order given and drops edges that leave the set', () => {
    const input = layoutInputOf(['b', 'a'], [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'elsewhere' },
    ]);
    expect(input.nodeCount).toBe(2);
    expect(Array.from(input.edgeSources)).toEqual([1]);
    expect(Array.from(input.edgeTargets)).toEqual([0]);
  });
});

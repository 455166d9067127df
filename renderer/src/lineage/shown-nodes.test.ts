import { describe, expect, it } from 'vitest';
import { CompactLineage } from '../../../shared/lineage/compact-lineage';
import type { LineageGraph } from '../../../shared/lineage/lineage-graph';
import { defaultFocus, hiddenNeighbourCount, layoutInputOfShown, lineageMask, lineageOf, relationOf, shownInOrder, withNeighbours, withNodeConnected } from './shown-nodes';
import { testGraph } from './explorer-test-graph';

// 0 source → 1 transform → 2 features → 3 training → 4 model → 5 deployment, and 6 other → 2.
const graph: LineageGraph = { nodes: testGraph.nodes, edges: testGraph.edges };
const lineage = CompactLineage.fromGraph(graph);
const sorted = (set: ReadonlySet<number>) => [...set].sort((a, b) => a - b);

describe('what the lineage view shows', () => {
  it('opens on the model with one hop each way', () => {
    const focus = defaultFocus(graph);
    expect(focus).toBe(4);
    expect(sorted(withNeighbours(lineage, new Set(), focus))).toEqual([3, 4, 5]);
  });

  it('opens on the first source when there is no model', () => {
    expect(defaultFocus({ nodes: graph.nodes.filter((node) => node.kind !== 'model'), edges: [] })).toBe(0);
  });

  it('counts the neighbours still hidden', () => {
    const shown = new Set([3, 4, 5]);
    expect(hiddenNeighbourCount(lineage, shown, 3)).toBe(1);
    expect(hiddenNeighbourCount(lineage, shown, 2)).toBe(2);
    expect(hiddenNeighbourCount(lineage, withNeighbours(lineage, shown, 2), 2)).toBe(0);
  });

  it('connects a node found by search to what is shown, along a shortest path', () => {
    expect(sorted(withNodeConnected(lineage, new Set([3, 4, 5]), 0))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sorted(withNodeConnected(lineage, new Set([0]), 4))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('lays out only the shown nodes and the edges among them', () => {
    const nodes = shownInOrder(new Set([4, 2, 3]));
    expect(Array.from(nodes)).toEqual([2, 3, 4]);
    const input = layoutInputOfShown(lineage, nodes);
    expect(input.nodeCount).toBe(3);
    expect(Array.from(input.edgeSources)).toEqual([0, 1]);
    expect(Array.from(input.edgeTargets)).toEqual([1, 2]);
  });
});

describe('the selection and its lineage', () => {
  it('tells upstream, downstream and unrelated nodes apart', () => {
    const selection = lineageOf(lineage, 1);
    expect([0, 1, 2, 5, 6].map((node) => relationOf(node, selection))).toEqual(['upstream', 'selected', 'downstream', 'downstream', 'unrelated']);
    expect(relationOf(3, null)).toBe('no-selection');
    expect(Array.from(lineageMask(selection!))).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });
});

import type { LineageGraphResult } from '../../../shared/api/contract';
import { CompactLineage } from '../../../shared/lineage/compact-lineage';
import type { LineageNodeKind } from '../../../shared/lineage/lineage-graph';
import { layoutLayered } from '../../../shared/lineage/layout/layered-layout';
import { layoutInputOfShown, shownInOrder } from './shown-nodes';
import type { ShownLayout } from './useShownLayout';

/**
 * A small lineage for the explorer's tests:
 * 0 source → 1 transform → 2 features → 3 training → 4 model → 5 deployment, and 6 other → 2.
 */
const kinds: LineageNodeKind[] = ['source', 'transform', 'features', 'training', 'model', 'deployment', 'other'];
export const testGraph: LineageGraphResult = {
  nodes: kinds.map((kind, index) => ({ id: `n${index}`, kind, name: `${kind} ${index}`, version: index === 4 ? '2.3' : null, subject: index === 4 ? 'model/m.onnx' : null })),
  edges: [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [6, 2],
  ].map(([from, to]) => ({ from: `n${from}`, to: `n${to}` })),
  sourceFiles: ['lineage.json'],
  findings: [],
};
export const testLineage = CompactLineage.fromGraph(testGraph);

/** The shown nodes laid out as the worker would (same engine, same local numbering). */
export function laidOut(shown: ReadonlySet<number>): ShownLayout {
  const nodes = shownInOrder(shown);
  const edges = layoutInputOfShown(testLineage, nodes);
  const localOf = new Int32Array(testLineage.nodeCount).fill(-1);
  nodes.forEach((node, local) => (localOf[node] = local));
  return { layout: layoutLayered(edges, { nodeWidth: 200, nodeHeight: 50, layerGap: 100 }), nodes, edges, localOf, milliseconds: 1 };
}

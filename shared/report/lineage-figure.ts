import type { LineageGraphResult } from '../api/commands/lineage-commands';
import { layoutInputOf } from '../lineage/layout/layout-input';
import { LayoutCycleError, layoutLayered } from '../lineage/layout/layered-layout';
import type { LineageFigure } from './report-document';

/** Beyond this many nodes a printed picture is unreadable: the figure shows the first ones and says how many it left out. */
export const MAX_FIGURE_NODES = 40;

const NODE_WIDTH = 180;
const NODE_HEIGHT = 40;

/**
 * The lineage picture of the record: the layered layout of the app's lineage view, at a size
 * that prints. Nodes past MAX_FIGURE_NODES are left out (and counted by the caller's note);
 * a graph with a cycle cannot be put in layers and gives null.
 */
export function lineageFigureOf(graph: LineageGraphResult): LineageFigure | null {
  const shown = graph.nodes.slice(0, MAX_FIGURE_NODES);
  if (shown.length === 0) return null;
  const ids = shown.map((node) => node.id);
  let layout;
  try {
    layout = layoutLayered(layoutInputOf(ids, graph.edges), { nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, layerGap: 60, nodeGap: 14 });
  } catch (error) {
    if (error instanceof LayoutCycleError) return null;
    throw error;
  }
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const edges = graph.edges.flatMap((edge) => {
    const from = indexOf.get(edge.from);
    const to = indexOf.get(edge.to);
    return from === undefined || to === undefined ? [] : [{ from, to }];
  });
  return {
    nodes: shown.map((node, index) => ({
      label: node.version === null ? node.name : `${node.name} ${node.version}`,
      kind: node.kind,
      x: layout.x[index] ?? 0,
      y: layout.y[index] ?? 0,
    })),
    edges,
    width: layout.width,
    height: layout.height,
    nodeWidth: NODE_WIDTH,
    nodeHeight: NODE_HEIGHT,
  };
}

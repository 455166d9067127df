import type { LineageGraphResult } from '../api/commands/lineage-commands';
import { layoutInputOf } from '../lineage/layout/layout-input';
import { LayoutCycleError, layoutLayered } from '../lineage/layout/layered-layout';
import type { LineageFigure, LineageFigureNode } from './report-document';

/** Beyond this many nodes a printed picture is unreadable: the figure shows the first ones and says how many it left out. */
export const MAX_FIGURE_NODES = 40;

const NODE_WIDTH = 180;
const NODE_HEIGHT = 40;
const LAYER_GAP = 60;
const NODE_GAP = 14;
/** The body of a portrait page, roughly, in points: the picture is laid out to print as large as it can. */
const PAGE_BODY = { width: 500, height: 680 };
/** Between layers stacked top to bottom. */
const ROW_GAP = 36;

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
    layout = layoutLayered(layoutInputOf(ids, graph.edges), { nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, layerGap: LAYER_GAP, nodeGap: NODE_GAP });
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
  const labels = shown.map((node) => ({ label: node.version === null ? node.name : `${node.name} ${node.version}`, kind: node.kind }));
  const across = (NODE_WIDTH + NODE_GAP) / (NODE_HEIGHT + NODE_GAP);
  const stacked = labels.map((node, index) => ({
    ...node,
    x: (layout.y[index] ?? 0) * across,
    y: Math.round((layout.x[index] ?? 0) / (NODE_WIDTH + LAYER_GAP)) * (NODE_HEIGHT + ROW_GAP),
  }));
  const stackedWidth = Math.max(...stacked.map((node) => node.x)) + NODE_WIDTH;
  const stackedHeight = Math.max(...stacked.map((node) => node.y)) + NODE_HEIGHT;
  // A chain is far wider than tall: on a page it prints larger with its layers stacked top to bottom.
  if (printScale(stackedWidth, stackedHeight) > printScale(layout.width, layout.height)) {
    return { direction: 'down', nodes: stacked, edges, width: stackedWidth, height: stackedHeight, nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT };
  }
  return {
    direction: 'right',
    nodes: labels.map((node, index) => ({ ...node, x: layout.x[index] ?? 0, y: layout.y[index] ?? 0 })),
    edges,
    width: layout.width,
    height: layout.height,
    nodeWidth: NODE_WIDTH,
    nodeHeight: NODE_HEIGHT,
  };
}

/** Where an edge leaves its source box and meets its target box, in the figure's units. */
export function edgeEnds(figure: LineageFigure, from: LineageFigureNode, to: LineageFigureNode): [number, number, number, number] {
  const { nodeWidth, nodeHeight } = figure;
  return figure.direction === 'right'
    ? [from.x + nodeWidth, from.y + nodeHeight / 2, to.x, to.y + nodeHeight / 2]
    : [from.x + nodeWidth / 2, from.y + nodeHeight, to.x + nodeWidth / 2, to.y];
}

function printScale(width: number, height: number): number {
  return Math.min(1, PAGE_BODY.width / width, PAGE_BODY.height / height);
}

import type { Edge } from '@xyflow/react';
import type { LineageGraphResult } from '../../../shared/api/contract';
import type { CompactLineage } from '../../../shared/lineage/compact-lineage';
import { LINEAGE_NODE_KINDS } from '../../../shared/lineage/lineage-graph';
import { EMPHASIS } from './draw-overview';
import type { OverviewScene } from './draw-overview';
import type { ExportNode } from './export-svg';
import { KIND_LOOK } from './kind-look';
import type { LineageFlowNode } from './LineageNodeCard';
import { nodeAriaLabel, SUBJECT_STATE_WORDS } from './node-status';
import type { SubjectState } from './node-status';
import { hiddenNeighbourCount, relationOf } from './shown-nodes';
import type { Lineage } from './shown-nodes';
import type { ShownLayout } from './useShownLayout';

/** React Flow's type for a node element's extra attributes has no room for data-* ones, which the DOM takes. */
type NodeDomAttributes = NonNullable<LineageFlowNode['domAttributes']>;

/** What the drawing of the shown nodes depends on, in layout-local order where it is per node. */
export interface ShownScene {
  current: ShownLayout;
  graph: LineageGraphResult;
  /** Per layout-local node. */
  states: readonly SubjectState[];
  selection: Lineage | null;
}

/** The overview's arrays: kind, emphasis (the selection's lineage highlighted, the rest dimmed), failed subject. */
export function overviewScene({ current, graph, states, selection }: ShownScene): OverviewScene {
  const count = current.nodes.length;
  const kind = new Uint8Array(count);
  const emphasis = new Uint8Array(count);
  const failed = new Uint8Array(count);
  for (let local = 0; local < count; local++) {
    const index = current.nodes[local]!;
    kind[local] = LINEAGE_NODE_KINDS.indexOf(graph.nodes[index]!.kind);
    const relation = relationOf(index, selection);
    emphasis[local] =
      relation === 'selected' ? EMPHASIS.selected : relation === 'upstream' || relation === 'downstream' ? EMPHASIS.highlighted : relation === 'unrelated' ? EMPHASIS.dimmed : EMPHASIS.normal;
    failed[local] = states[local] === 'failed' ? 1 : 0;
  }
  return { layout: current.layout, edges: current.edges, kind, emphasis, failed };
}

/** React Flow nodes for the layout-local nodes in `detail`; the tab stop's is the graph's one tab stop. */
export function flowNodesOf(scene: ShownScene, detail: readonly number[], lineage: CompactLineage, shown: ReadonlySet<number>, tabStop: number): LineageFlowNode[] {
  const { current, graph, states, selection } = scene;
  return detail.map((local) => {
    const index = current.nodes[local]!;
    const node = graph.nodes[index]!;
    const relation = relationOf(index, selection);
    const state = states[local]!;
    const inLineage = relation === 'selected' || relation === 'upstream' || relation === 'downstream';
    return {
      id: node.id,
      type: 'lineage',
      position: { x: current.layout.x[local]!, y: current.layout.y[local]! },
      width: current.layout.nodeWidth,
      height: current.layout.nodeHeight,
      draggable: false,
      connectable: false,
      className: `relation-${relation}${state === 'failed' ? ' subject-failed' : ''}`,
      ariaLabel: nodeAriaLabel(node, state, relation),
      // One tab stop for the whole graph (roving tabindex); arrow keys move it.
      domAttributes: { tabIndex: index === tabStop ? 0 : -1, 'data-highlighted': String(inLineage), 'data-kind': node.kind } as NodeDomAttributes,
      data: { lineageIndex: index, name: node.name, kind: node.kind, version: node.version, state, relation, hidden: hiddenNeighbourCount(lineage, shown, index) },
    };
  });
}

/** React Flow edges among the shown nodes: strong inside the selection's lineage, dimmed where an end is unrelated. */
export function flowEdgesOf(current: ShownLayout, graph: LineageGraphResult, emphasis: Uint8Array | undefined): Edge[] {
  const { edgeSources, edgeTargets } = current.edges;
  return Array.from(edgeSources, (from, e) => {
    const to = edgeTargets[e]!;
    const strong = isStrong(emphasis?.[from]) && isStrong(emphasis?.[to]);
    const dimmed = emphasis?.[from] === EMPHASIS.dimmed || emphasis?.[to] === EMPHASIS.dimmed;
    return {
      id: `e${current.nodes[from]}-${current.nodes[to]}`,
      source: graph.nodes[current.nodes[from]!]!.id,
      target: graph.nodes[current.nodes[to]!]!.id,
      className: strong ? 'lineage-edge-strong' : dimmed ? 'lineage-edge-dimmed' : '',
      focusable: false,
      selectable: false,
    } satisfies Edge;
  });
}

/** The shown nodes as the SVG and PNG exports draw them, emphasised as on screen. */
export function exportNodesOf({ current, graph, states }: ShownScene, emphasis: Uint8Array | undefined): ExportNode[] {
  return Array.from(current.nodes, (index, local) => {
    const node = graph.nodes[index]!;
    const state = states[local]!;
    const shownEmphasis = emphasis?.[local] ?? EMPHASIS.normal;
    return {
      name: node.name,
      kind: node.kind,
      detail: [KIND_LOOK[node.kind].word, ...(node.version === null ? [] : [`v${node.version}`]), ...(state === 'none' ? [] : [SUBJECT_STATE_WORDS[state]])].join(' · '),
      emphasis: shownEmphasis === EMPHASIS.selected ? 'selected' : shownEmphasis === EMPHASIS.highlighted ? 'highlighted' : shownEmphasis === EMPHASIS.dimmed ? 'dimmed' : 'normal',
      failed: state === 'failed',
    };
  });
}

/** The exported picture's title: the lineage files it was read from, else the open bundle. */
export function exportTitle(graph: LineageGraphResult): string {
  return `Lineage: ${graph.sourceFiles.join(', ') || 'the open bundle'}`;
}

function isStrong(emphasis: number | undefined): boolean {
  return emphasis === EMPHASIS.selected || emphasis === EMPHASIS.highlighted;
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent, RefObject } from 'react';
import { ControlButton, Controls, getViewportForBounds, MiniMap, ReactFlow, useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import type { Edge, ReactFlowState } from '@xyflow/react';
import type { LineageGraphResult } from '../../../shared/api/contract';
import { CompactLineage } from '../../../shared/lineage/compact-lineage';
import { LINEAGE_NODE_KINDS } from '../../../shared/lineage/lineage-graph';
import { formatCount, formatNumber } from '../format';
import { EMPHASIS } from './draw-overview';
import type { OverviewScene } from './draw-overview';
import { saveBlob } from '../common/save-file';
import { svgToPng } from './export-image';
import { exportSize, lineageSvg } from './export-svg';
import type { ExportNode } from './export-svg';
import { ImpactPanel } from './ImpactPanel';
import { KIND_LOOK } from './kind-look';
import { nearestInHeight, nodeAt, nodeBesideInLayer, nodesInRect } from './layout-geometry';
import { LINEAGE_NODE_TYPES, LineageNodeActionsContext } from './LineageNodeCard';
import type { LineageFlowNode, LineageNodeActions } from './LineageNodeCard';
import { nodeAriaLabel, SUBJECT_STATE_WORDS, subjectStateOf } from './node-status';
import type { SubjectState, SubjectVerdicts } from './node-status';
import { NodeSearch } from './NodeSearch';
import { OverviewCanvas, OverviewMiniMap } from './OverviewCanvas';
import { defaultFocus, hiddenNeighbourCount, lineageMask, lineageOf, relationOf, withMarked, withNeighbours, withNodeConnected } from './shown-nodes';
import { useShownLayout } from './useShownLayout';
import type { ShownLayout } from './useShownLayout';

/**
 * Level of detail. Up to FULL_DETAIL_LIMIT shown nodes, React Flow holds them all (and renders
 * only those in view). Beyond that, a canvas draws every node and edge, and React Flow gets only
 * the nodes in view, and none when more than DETAIL_LIMIT are: React Flow's practical DOM limit
 * is about a thousand nodes.
 */
const FULL_DETAIL_LIMIT = 500;
const DETAIL_LIMIT = 300;
/** Zoom used to show one node in detail (search, keyboard, a click on the overview), and the most "fit" zooms in. */
const DETAIL_ZOOM = 1;

/** React Flow's type for a node element's extra attributes has no room for data-* ones, which the DOM takes. */
type NodeDomAttributes = NonNullable<LineageFlowNode['domAttributes']>;

const KEYBOARD_HELP = 'Arrow keys move between nodes: left upstream, right downstream, up and down within a column. Enter shows hidden neighbours, Space selects, Escape clears the selection.';

/** React Flow's own words describe editing (moving and deleting nodes); this graph is read-only. */
const ARIA_LABELS = {
  'node.a11yDescription.default': KEYBOARD_HELP,
  'node.a11yDescription.keyboardDisabled': KEYBOARD_HELP,
  'edge.a11yDescription.default': '',
  'minimap.ariaLabel': 'Minimap',
};

type ViewRequest = { kind: 'fit' } | { kind: 'center'; node: number; focus: boolean };

interface LineageExplorerProps {
  sessionId: string;
  graph: LineageGraphResult;
  verdicts: SubjectVerdicts | null;
}

/** The lineage of the open bundle as a graph: opens on one node, grows on demand, selection shows the lineage. */
export function LineageExplorer({ sessionId, graph, verdicts }: LineageExplorerProps) {
  const lineage = useMemo(() => CompactLineage.fromGraph(graph), [graph]);
  const opening = useMemo(() => defaultFocus(graph), [graph]);
  const [shown, setShown] = useState<ReadonlySet<number>>(() => withNeighbours(lineage, new Set(), opening));
  const [selected, setSelected] = useState<number | null>(opening);
  const [tabStop, setTabStop] = useState(opening);
  const [exportError, setExportError] = useState<string | null>(null);
  const viewRequest = useRef<ViewRequest | null>({ kind: 'fit' });
  const containerRef = useRef<HTMLDivElement>(null);
  const { setViewport, setCenter, getZoom, getViewport, screenToFlowPosition } = useReactFlow<LineageFlowNode>();
  const store = useStoreApi<LineageFlowNode>();

  const selection = useMemo(() => lineageOf(lineage, selected), [lineage, selected]);
  const { current, layingOut, error: layoutError } = useShownLayout(lineage, shown);
  const large = current !== null && current.nodes.length > FULL_DETAIL_LIMIT;

  const states = useMemo(() => (current === null ? [] : Array.from(current.nodes, (index) => subjectStateOf(graph.nodes[index]!.subject, verdicts))), [current, graph, verdicts]);
  const scene = useMemo(() => (current === null ? null : overviewScene(current, graph, states, selection)), [current, graph, states, selection]);
  const detail = useDetailNodes(current, large);

  // ---- actions -------------------------------------------------------------------------------

  const focusNodeSoon = useFocusNodeSoon(containerRef);

  const centerOn = useCallback(
    (layout: ShownLayout, node: number, focus: boolean) => {
      const local = layout.localOf[node]!;
      if (local < 0) return;
      const { layout: l } = layout;
      void setCenter(l.x[local]! + l.nodeWidth / 2, l.y[local]! + l.nodeHeight / 2, { zoom: Math.max(getZoom(), DETAIL_ZOOM), duration: 0 });
      if (focus) focusNodeSoon(graph.nodes[node]!.id);
    },
    [focusNodeSoon, getZoom, graph, setCenter],
  );

  const select = useCallback((node: number) => {
    setSelected(node);
    setTabStop(node);
  }, []);

  const expand = useCallback(
    (node: number) => {
      viewRequest.current = { kind: 'center', node, focus: true };
      setShown((previous) => withNeighbours(lineage, previous, node));
    },
    [lineage],
  );
  const nodeActions = useMemo<LineageNodeActions>(() => ({ expand }), [expand]);

  const reveal = useCallback(
    (node: number) => {
      select(node);
      if (shown.has(node) && current !== null && current.localOf[node]! >= 0) {
        centerOn(current, node, true);
      } else {
        viewRequest.current = { kind: 'center', node, focus: true };
        setShown((previous) => withNodeConnected(lineage, previous, node));
      }
    },
    [centerOn, current, lineage, select, shown],
  );

  const showAll = (nodes: ReadonlySet<number>) => {
    viewRequest.current = { kind: 'fit' };
    setShown(nodes);
  };

  const fitAll = useCallback(() => {
    if (current === null) return;
    const { width, height, minZoom } = store.getState();
    const bounds = { x: 0, y: 0, width: current.layout.width, height: current.layout.height };
    void setViewport(getViewportForBounds(bounds, width, height, minZoom, DETAIL_ZOOM, 0.08), { duration: 0 });
  }, [current, setViewport, store]);

  // A new layout: do what the change that caused it asked. A small graph is fitted whole (so
  // every node is on screen); in a large one the node asked for is centred in detail.
  useEffect(() => {
    if (current === null) return;
    const request = viewRequest.current;
    viewRequest.current = null;
    if (request === null) return;
    if (request.kind === 'fit' || !large) fitAll();
    else centerOn(current, request.node, false);
    if (request.kind === 'center' && request.focus) focusNodeSoon(graph.nodes[request.node]!.id);
    // Only a new layout triggers this, never a change of the callbacks.
  }, [current]);

  // ---- React Flow elements -------------------------------------------------------------------

  const flowNodes = useMemo<LineageFlowNode[]>(() => {
    if (current === null) return [];
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
  }, [current, detail, graph, lineage, selection, shown, states, tabStop]);

  const flowEdges = useMemo<Edge[]>(() => {
    if (current === null || large) return [];
    const { edgeSources, edgeTargets } = current.edges;
    const emphasis = scene?.emphasis;
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
  }, [current, graph, large, scene]);

  // ---- input ---------------------------------------------------------------------------------

  const onNodeClick = useCallback(
    (_event: MouseEvent, node: LineageFlowNode) => {
      select(node.data.lineageIndex);
    },
    [select],
  );

  // In the overview there are no node elements: find the node under the pointer in the layout.
  const onPaneClick = useCallback(
    (event: MouseEvent) => {
      if (current === null || !large) return;
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const local = nodeAt(current.layout, point.x, point.y);
      if (local < 0) return;
      const node = current.nodes[local]!;
      select(node);
      centerOn(current, node, false);
    },
    [centerOn, current, large, screenToFlowPosition, select],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (current === null) return;
    const element = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__node');
    if (element === null) {
      // The graph itself has focus (e.g. in the overview, where no node element exists): go to the tab stop.
      if (event.target === event.currentTarget && ['Enter', ' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(event.key)) {
        event.preventDefault();
        centerOn(current, tabStop, true);
      }
      return;
    }
    const node = lineage.indexOf(element.dataset['id'] ?? '');
    const local = node < 0 ? -1 : current.localOf[node]!;
    if (local < 0) return;
    let target = -1;
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowRight': {
        const direction = event.key === 'ArrowLeft' ? 'upstream' : 'downstream';
        const candidates = Array.from(lineage.neighbours(node, direction), (neighbour) => current.localOf[neighbour]!).filter((candidate) => candidate >= 0);
        target = nearestInHeight(current.layout, local, candidates);
        break;
      }
      case 'ArrowUp':
      case 'ArrowDown':
        target = nodeBesideInLayer(current.layout, local, event.key === 'ArrowUp' ? -1 : 1);
        break;
      case 'Enter':
        event.preventDefault();
        expand(node);
        return;
      case ' ':
        event.preventDefault();
        select(node);
        return;
      case 'Escape':
        setSelected(null);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (target < 0) return;
    const next = current.nodes[target]!;
    setTabStop(next);
    if (!isInView(current, target, containerRef.current, getViewport())) centerOn(current, next, true);
    else focusNodeSoon(graph.nodes[next]!.id);
  };

  // ---- exports -------------------------------------------------------------------------------

  const exportNodes = (layout: ShownLayout): ExportNode[] =>
    Array.from(layout.nodes, (index, local) => {
      const node = graph.nodes[index]!;
      const state = states[local]!;
      const emphasis = scene?.emphasis[local] ?? EMPHASIS.normal;
      return {
        name: node.name,
        kind: node.kind,
        detail: [KIND_LOOK[node.kind].word, ...(node.version === null ? [] : [`v${node.version}`]), ...(state === 'none' ? [] : [SUBJECT_STATE_WORDS[state]])].join(' · '),
        emphasis: emphasis === EMPHASIS.selected ? 'selected' : emphasis === EMPHASIS.highlighted ? 'highlighted' : emphasis === EMPHASIS.dimmed ? 'dimmed' : 'normal',
        failed: state === 'failed',
      };
    });

  const exportSvg = (): string | null => (current === null ? null : lineageSvg(current.layout, exportNodes(current), current.edges, `Lineage: ${graph.sourceFiles.join(', ') || 'the open bundle'}`));

  const saveSvg = () => {
    const svg = exportSvg();
    if (svg !== null) saveBlob(new Blob([svg], { type: 'image/svg+xml' }), 'lineage.svg');
  };

  const savePng = () => {
    const svg = exportSvg();
    if (svg === null || current === null) return;
    const { width, height } = exportSize(current.layout);
    setExportError(null);
    svgToPng(svg, width, height).then(
      (png) => saveBlob(png, 'lineage.png'),
      (error: unknown) => setExportError(`Could not export PNG: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  // ---- page ----------------------------------------------------------------------------------

  const selectedNode = selected === null ? null : graph.nodes[selected]!;
  const total = graph.nodes.length;
  const overview = large && detail.length === 0;

  return (
    <>
      <div className="toolbar lineage-toolbar">
        <NodeSearch nodes={graph.nodes} onPick={reveal} />
        <button type="button" onClick={() => selection !== null && showAll(withMarked(shown, lineageMask(selection)))} disabled={selection === null}>
          Show the selection's whole lineage
        </button>
        <button type="button" onClick={() => showAll(new Set(graph.nodes.keys()))} disabled={shown.size === total}>
          Show all {formatCount(total, 'node')}
        </button>
        <button type="button" onClick={() => showAll(withNeighbours(lineage, new Set(), selected ?? opening))}>
          Back to one hop
        </button>
        <span className="toolbar-gap" />
        <button type="button" onClick={saveSvg} disabled={current === null}>
          Export SVG
        </button>
        <button type="button" onClick={savePng} disabled={current === null}>
          Export PNG
        </button>
      </div>
      <p role="status" className="muted lineage-status">
        {layingOut !== null
          ? `Laying out ${formatCount(layingOut, 'node')}…`
          : current !== null &&
            `Showing ${formatNumber(current.nodes.length)} of ${formatCount(total, 'node')}, laid out in ${formatNumber(current.milliseconds)} ms` +
              (overview ? '. Overview: zoom in, click a node or find one by name to see details.' : '.')}
      </p>
      {layoutError !== null && (
        <p role="alert" className="error-notice">
          {layoutError}
        </p>
      )}
      {exportError !== null && (
        <p role="alert" className="error-notice">
          {exportError}
        </p>
      )}
      <div
        ref={containerRef}
        className={`lineage-canvas${selection === null ? '' : ' has-selection'}`}
        onKeyDown={onKeyDown}
        tabIndex={0}
        role="group"
        aria-label={`Lineage graph. ${KEYBOARD_HELP}`}
        data-level-of-detail={overview ? 'overview' : large ? 'detail-in-view' : 'full'}
      >
        <LineageNodeActionsContext value={nodeActions}>
          <ReactFlow<LineageFlowNode>
            nodes={flowNodes}
            edges={flowEdges}
            nodeTypes={LINEAGE_NODE_TYPES}
            onNodeClick={onNodeClick}
            onPaneClick={onPaneClick}
            onlyRenderVisibleElements
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            edgesFocusable={false}
            panActivationKeyCode={null}
            deleteKeyCode={null}
            selectionKeyCode={null}
            multiSelectionKeyCode={null}
            minZoom={0.002}
            maxZoom={2}
            colorMode="system"
            ariaLabelConfig={ARIA_LABELS}
          >
            {large && scene !== null && <OverviewCanvas scene={scene} />}
            <Controls showFitView={false} showInteractive={false} aria-label="Zoom">
              <ControlButton onClick={fitAll} aria-label="Zoom to fit the whole graph" title="Zoom to fit">
                <svg viewBox="0 0 16 16" aria-hidden="true">
                  <path d="M1 1h5v2H3v3H1zm9 0h5v5h-2V3h-3zM1 10h2v3h3v2H1zm12 0h2v5h-5v-2h3z" />
                </svg>
              </ControlButton>
            </Controls>
            {large && scene !== null ? (
              <OverviewMiniMap scene={scene} />
            ) : (
              <MiniMap<LineageFlowNode> pannable zoomable ariaLabel="Minimap" nodeColor={(node) => KIND_LOOK[node.data.kind].colour} />
            )}
          </ReactFlow>
        </LineageNodeActionsContext>
      </div>
      <ul className="lineage-legend" aria-label="Node kinds">
        {LINEAGE_NODE_KINDS.map((kind) => (
          <li key={kind}>
            <svg viewBox="0 0 16 16" aria-hidden="true" style={{ color: KIND_LOOK[kind].colour }}>
              <path d={KIND_LOOK[kind].icon} fillRule="evenodd" fill="currentColor" />
            </svg>
            {KIND_LOOK[kind].word}
          </li>
        ))}
      </ul>
      {selectedNode !== null && <ImpactPanel sessionId={sessionId} node={selectedNode} />}
    </>
  );
}

function isStrong(emphasis: number | undefined): boolean {
  return emphasis === EMPHASIS.selected || emphasis === EMPHASIS.highlighted;
}

function overviewScene(current: ShownLayout, graph: LineageGraphResult, states: readonly SubjectState[], selection: ReturnType<typeof lineageOf>): OverviewScene {
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

const NO_TRANSFORM: [number, number, number] = [0, 0, 1];

/**
 * Layout-local indexes of the nodes React Flow should render. All of them for a small graph;
 * for a large one, those in (or near) the viewport, or none when too many are in view. The
 * array keeps its identity while its contents stay the same, so panning re-renders nothing else.
 */
function useDetailNodes(current: ShownLayout | null, large: boolean): number[] {
  const transformOf = useCallback((state: ReactFlowState) => (large ? state.transform : NO_TRANSFORM), [large]);
  const [x, y, zoom] = useStore(transformOf);
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const previous = useRef<number[]>([]);

  let next: number[];
  if (current === null) next = [];
  else if (!large) next = Array.from(current.nodes.keys());
  else {
    // A margin of half a screen each way, so a short pan does not show empty space first.
    const margin = 0.5;
    const rect = { x: -x / zoom - (margin * width) / zoom, y: -y / zoom - (margin * height) / zoom, width: ((1 + 2 * margin) * width) / zoom, height: ((1 + 2 * margin) * height) / zoom };
    next = nodesInRect(current.layout, rect, DETAIL_LIMIT) ?? [];
  }
  if (next.length !== previous.current.length || next.some((local, i) => local !== previous.current[i])) previous.current = next;
  return previous.current;
}

/** Moves keyboard focus to a node's element once React Flow has rendered it (a few frames at most). */
function useFocusNodeSoon(containerRef: RefObject<HTMLDivElement | null>) {
  const attempt = useRef(0);
  return useCallback(
    (id: string) => {
      const token = ++attempt.current;
      let frames = 0;
      const tryFocus = () => {
        if (token !== attempt.current) return;
        const element = containerRef.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
        if (element) element.focus();
        else if (++frames < 60) requestAnimationFrame(tryFocus);
      };
      requestAnimationFrame(tryFocus);
    },
    [containerRef],
  );
}

function isInView(current: ShownLayout, local: number, container: HTMLElement | null, viewport: { x: number; y: number; zoom: number }): boolean {
  if (container === null) return false;
  const { layout } = current;
  const left = layout.x[local]! * viewport.zoom + viewport.x;
  const top = layout.y[local]! * viewport.zoom + viewport.y;
  return left >= 0 && top >= 0 && left + layout.nodeWidth * viewport.zoom <= container.clientWidth && top + layout.nodeHeight * viewport.zoom <= container.clientHeight;
}

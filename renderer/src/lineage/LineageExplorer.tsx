import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { ControlButton, Controls, getViewportForBounds, MiniMap, ReactFlow, useReactFlow, useStoreApi } from '@xyflow/react';
import type { Edge } from '@xyflow/react';
import type { LineageGraphResult } from '../../../shared/api/contract';
import { LINEAGE_NODE_KINDS } from '../../../shared/lineage/lineage-graph';
import { formatCount, formatNumber } from '../format';
import { exportNodesOf, exportTitle, flowEdgesOf, flowNodesOf, overviewScene } from './explorer-elements';
import type { ShownScene } from './explorer-elements';
import { GRAPH_KEYS, nodeKeyCommand } from './explorer-keys';
import { ImpactPanel } from './ImpactPanel';
import { NodeDetailsPanel } from './NodeDetailsPanel';
import type { VerificationReport } from '../../../shared/verify/report';
import { KIND_LOOK } from './kind-look';
import { nodeAt, readableViewport } from './layout-geometry';
import { LINEAGE_NODE_TYPES, LineageNodeActionsContext } from './LineageNodeCard';
import type { LineageFlowNode, LineageNodeActions } from './LineageNodeCard';
import { subjectStateOf } from './node-status';
import type { SubjectVerdicts } from './node-status';
import { NodeSearch } from './NodeSearch';
import { OverviewCanvas, OverviewMiniMap } from './OverviewCanvas';
import { useExplorerState } from './useExplorerState';
import { useLineageExport } from './useLineageExport';
import { isInView, useDetailNodes, useFocusNodeSoon } from './useLineageViewport';
import { useShownLayout } from './useShownLayout';
import type { ShownLayout } from './useShownLayout';

/**
 * Level of detail. Up to FULL_DETAIL_LIMIT shown nodes, React Flow holds them all (and renders
 * only those in view). Beyond that, a canvas draws every node and edge, and React Flow gets only
 * the nodes in view (useDetailNodes), and none when too many are.
 */
const FULL_DETAIL_LIMIT = 500;
/** Zoom used to show one node in detail (search, keyboard, a click on the overview), and the most "fit" zooms in. */
const DETAIL_ZOOM = 1;

const KEYBOARD_HELP = 'Arrow keys move between nodes: left upstream, right downstream, up and down within a column. Enter shows hidden neighbours, Space selects, Escape clears the selection.';

/** React Flow's own words describe editing (moving and deleting nodes); this graph is read-only. */
const ARIA_LABELS = {
  'node.a11yDescription.default': KEYBOARD_HELP,
  'node.a11yDescription.keyboardDisabled': KEYBOARD_HELP,
  'edge.a11yDescription.default': '',
  'minimap.ariaLabel': 'Minimap',
};

interface LineageExplorerProps {
  sessionId: string;
  graph: LineageGraphResult;
  verdicts: SubjectVerdicts | null;
  /** The bundle's finished verification, for the selected node's subject digest and release. */
  report: VerificationReport | null;
}

/** The lineage of the open bundle as a graph: opens on one node, grows on demand, selection shows the lineage. */
export function LineageExplorer({ sessionId, graph, verdicts, report }: LineageExplorerProps) {
  const { lineage, state, selection, dispatch } = useExplorerState(graph);
  const { shown, selected, tabStop } = state;
  const containerRef = useRef<HTMLDivElement>(null);
  const { setViewport, setCenter, getZoom, getViewport, screenToFlowPosition } = useReactFlow<LineageFlowNode>();
  const store = useStoreApi<LineageFlowNode>();
  const [panToSee, setPanToSee] = useState(false);

  const { current, layingOut, error: layoutError } = useShownLayout(lineage, shown);
  const large = current !== null && current.nodes.length > FULL_DETAIL_LIMIT;

  const states = useMemo(() => (current === null ? [] : Array.from(current.nodes, (index) => subjectStateOf(graph.nodes[index]!.subject, verdicts))), [current, graph, verdicts]);
  const shownScene = useMemo<ShownScene | null>(() => (current === null ? null : { current, graph, states, selection }), [current, graph, states, selection]);
  const scene = useMemo(() => (shownScene === null ? null : overviewScene(shownScene)), [shownScene]);
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

  const select = useCallback((node: number) => dispatch({ type: 'select', node }), [dispatch]);
  const expand = useCallback((node: number) => dispatch({ type: 'expand', node }), [dispatch]);
  const nodeActions = useMemo<LineageNodeActions>(() => ({ expand }), [expand]);

  const reveal = useCallback(
    (node: number) => {
      const laidOut = current !== null && current.localOf[node]! >= 0;
      dispatch({ type: 'reveal', node, laidOut });
      if (laidOut && shown.has(node)) centerOn(current, node, true);
    },
    [centerOn, current, dispatch, shown],
  );

  const fitAll = useCallback(() => {
    if (current === null) return;
    const { width, height, minZoom } = store.getState();
    const bounds = { x: 0, y: 0, width: current.layout.width, height: current.layout.height };
    void setViewport(getViewportForBounds(bounds, width, height, minZoom, DETAIL_ZOOM, 0.08), { duration: 0 });
    setPanToSee(false);
  }, [current, setViewport, store]);

  // What "Show all" and a grown graph get: the whole graph when it fits with readable labels, else
  // readable labels from the upstream edge, and the rest a pan away. The fit button still fits all.
  const showReadable = useCallback(() => {
    if (current === null) return null;
    const { width, height } = store.getState();
    const view = readableViewport(current.layout, { width, height }, { maxZoom: DETAIL_ZOOM, padding: 0.04 });
    void setViewport({ x: view.x, y: view.y, zoom: view.zoom }, { duration: 0 });
    setPanToSee(view.panToSee);
    return view;
  }, [current, setViewport, store]);

  // A new layout: do what the change that caused it asked. A small graph is fitted whole (so
  // every node is on screen); in a large one the node asked for is centred in detail.
  useEffect(() => {
    if (current === null) return;
    const request = state.viewRequest;
    if (request === null) return;
    dispatch({ type: 'view-request-done' });
    if (large) {
      if (request.kind === 'fit') fitAll();
      else centerOn(current, request.node, false);
    } else {
      const view = showReadable();
      // The node asked for may be in the part that is off screen.
      if (view !== null && request.kind === 'center' && !isInView(current, current.localOf[request.node]!, containerRef.current, view)) centerOn(current, request.node, false);
    }
    if (request.kind === 'center' && request.focus) focusNodeSoon(graph.nodes[request.node]!.id);
    // Only a new layout triggers this, never a change of the callbacks or of the request itself.
  }, [current]);

  // ---- React Flow elements -------------------------------------------------------------------

  const flowNodes = useMemo<LineageFlowNode[]>(() => (shownScene === null ? [] : flowNodesOf(shownScene, detail, lineage, shown, tabStop)), [shownScene, detail, lineage, shown, tabStop]);
  const flowEdges = useMemo<Edge[]>(() => (current === null || large ? [] : flowEdgesOf(current, graph, scene?.emphasis)), [current, graph, large, scene]);

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
      if (event.target === event.currentTarget && GRAPH_KEYS.includes(event.key)) {
        event.preventDefault();
        centerOn(current, tabStop, true);
      }
      return;
    }
    const command = nodeKeyCommand(event.key, lineage.indexOf(element.dataset['id'] ?? ''), current, lineage);
    switch (command.kind) {
      case 'ignore':
        return;
      case 'clear-selection':
        dispatch({ type: 'clear-selection' });
        return;
      case 'expand':
        event.preventDefault();
        expand(command.node);
        return;
      case 'select':
        event.preventDefault();
        select(command.node);
        return;
      case 'stay':
        event.preventDefault();
        return;
      case 'move':
        event.preventDefault();
        dispatch({ type: 'move-tab-stop', node: command.node });
        if (!isInView(current, command.local, containerRef.current, getViewport())) centerOn(current, command.node, true);
        else focusNodeSoon(graph.nodes[command.node]!.id);
        return;
    }
  };

  // ---- exports -------------------------------------------------------------------------------

  const { saveSvg, savePng, exportError } = useLineageExport(current, () => (shownScene === null ? [] : exportNodesOf(shownScene, scene?.emphasis)), exportTitle(graph));

  // ---- page ----------------------------------------------------------------------------------

  const selectedNode = selected === null ? null : graph.nodes[selected]!;
  const total = graph.nodes.length;
  const overview = large && detail.length === 0;

  return (
    <>
      <div className="toolbar lineage-toolbar">
        <NodeSearch nodes={graph.nodes} onPick={reveal} />
        <button type="button" onClick={() => dispatch({ type: 'show-selected-lineage' })} disabled={selection === null}>
          Show the selection's whole lineage
        </button>
        <button type="button" onClick={() => dispatch({ type: 'show-all', nodeCount: total })} disabled={shown.size === total}>
          Show all {formatCount(total, 'node')}
        </button>
        <button type="button" onClick={() => dispatch({ type: 'back-to-one-hop' })}>
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
              (overview
                ? '. Overview: zoom in, click a node or find one by name to see details.'
                : panToSee
                  ? '. Labels are kept readable, so part of the graph is off screen: drag to pan, or use the minimap.'
                  : '.')}
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
      {selectedNode !== null && selected !== null && (
        <div className="lineage-selection">
          <NodeDetailsPanel node={selectedNode} index={selected} lineage={lineage} report={report} />
          <ImpactPanel sessionId={sessionId} node={selectedNode} />
        </div>
      )}
    </>
  );
}

import { LINEAGE_NODE_KINDS } from '../../../shared/lineage/lineage-graph';
import type { LayeredLayout } from '../../../shared/lineage/layout/layered-layout';
import type { LayoutInput } from '../../../shared/lineage/layout/layout-input';
import { KIND_LOOK } from './kind-look';
import { nodesInRect } from './layout-geometry';
import type { Rect } from './layout-geometry';

/** How a node is emphasised, per layout-local index. */
export const EMPHASIS = { normal: 0, highlighted: 1, selected: 2, dimmed: 3 } as const;

/** Everything the cheap level of detail draws: one rectangle per node, one line per edge. */
export interface OverviewScene {
  layout: LayeredLayout;
  edges: LayoutInput;
  /** Index into LINEAGE_NODE_KINDS, per layout-local node. */
  kind: Uint8Array;
  /** An EMPHASIS value per layout-local node. */
  emphasis: Uint8Array;
  /** 1 where the node's subject failed verification. */
  failed: Uint8Array;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

const KIND_COLOURS = LINEAGE_NODE_KINDS.map((kind) => KIND_LOOK[kind].colour);
const FAILED_COLOUR = '#b02a00';
const SELECTED_COLOUR = '#0b5cad';

/** The part of the drawing a viewport of `width` × `height` CSS pixels shows. */
export function visibleRect(viewport: Viewport, width: number, height: number): Rect {
  return { x: -viewport.x / viewport.zoom, y: -viewport.y / viewport.zoom, width: width / viewport.zoom, height: height / viewport.zoom };
}

/**
 * Draws the scene as React Flow would place it under `viewport`, culled to what is in view. At
 * overview zoom levels thousands of nodes cost one canvas, not thousands of DOM elements.
 */
export function drawOverview(context: CanvasRenderingContext2D, scene: OverviewScene, viewport: Viewport, width: number, height: number, pixelRatio: number): void {
  const { layout, edges, kind, emphasis, failed } = scene;
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.clearRect(0, 0, width, height);
  context.setTransform(pixelRatio * viewport.zoom, 0, 0, pixelRatio * viewport.zoom, pixelRatio * viewport.x, pixelRatio * viewport.y);
  const view = visibleRect(viewport, width, height);
  const w = layout.nodeWidth;
  const h = layout.nodeHeight;
  const pixel = 1 / viewport.zoom;
  const curved = viewport.zoom > 0.2;
  // Far out, thousands of faint edges only grey the picture over: keep the selection's lineage.
  const strokes = viewport.zoom < 0.05 ? [true] : [false, true];

  // Edges in two strokes: the faint ones first, the selection's lineage on top.
  for (const strong of strokes) {
    context.beginPath();
    for (let e = 0; e < edges.edgeSources.length; e++) {
      const from = edges.edgeSources[e]!;
      const to = edges.edgeTargets[e]!;
      const isStrong = emphasis[from] !== EMPHASIS.normal && emphasis[from] !== EMPHASIS.dimmed && emphasis[to] !== EMPHASIS.normal && emphasis[to] !== EMPHASIS.dimmed;
      if (isStrong !== strong) continue;
      const x1 = layout.x[from]! + w;
      const y1 = layout.y[from]! + h / 2;
      const x2 = layout.x[to]!;
      const y2 = layout.y[to]! + h / 2;
      if (Math.max(x1, x2) < view.x || Math.min(x1, x2) > view.x + view.width) continue;
      if (Math.max(y1, y2) < view.y || Math.min(y1, y2) > view.y + view.height) continue;
      context.moveTo(x1, y1);
      if (curved) {
        const middle = (x1 + x2) / 2;
        context.bezierCurveTo(middle, y1, middle, y2, x2, y2);
      } else {
        context.lineTo(x2, y2);
      }
    }
    context.strokeStyle = strong ? 'rgba(27, 31, 36, 0.85)' : 'rgba(140, 149, 159, 0.45)';
    context.lineWidth = (strong ? 2 : 1) * pixel;
    context.stroke();
  }

  const inView = nodesInRect(layout, view, Number.MAX_SAFE_INTEGER) ?? [];
  for (const v of inView) {
    context.globalAlpha = emphasis[v] === EMPHASIS.dimmed ? 0.25 : 1;
    context.fillStyle = KIND_COLOURS[kind[v]!] ?? '#6b7280';
    context.fillRect(layout.x[v]!, layout.y[v]!, w, h);
    if (failed[v] || emphasis[v] === EMPHASIS.selected) {
      context.strokeStyle = failed[v] ? FAILED_COLOUR : SELECTED_COLOUR;
      context.lineWidth = Math.max(3, 3 * pixel);
      context.strokeRect(layout.x[v]!, layout.y[v]!, w, h);
    }
  }
  context.globalAlpha = 1;
}

/**
 * The whole scene scaled into a small canvas (the minimap of a large graph), with the viewport's
 * rectangle. Returns the scale and offset used, so a click can be mapped back to the drawing.
 */
export function drawMiniMap(
  context: CanvasRenderingContext2D,
  scene: OverviewScene,
  view: Rect,
  width: number,
  height: number,
  pixelRatio: number,
): { scale: number; offsetX: number; offsetY: number } {
  const { layout, kind, emphasis } = scene;
  const scale = Math.min(width / Math.max(1, layout.width), height / Math.max(1, layout.height));
  const offsetX = (width - layout.width * scale) / 2;
  const offsetY = (height - layout.height * scale) / 2;
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.clearRect(0, 0, width, height);
  const w = Math.max(1, layout.nodeWidth * scale);
  const h = Math.max(1, layout.nodeHeight * scale);
  for (let v = 0; v < kind.length; v++) {
    context.globalAlpha = emphasis[v] === EMPHASIS.dimmed ? 0.3 : 1;
    context.fillStyle = KIND_COLOURS[kind[v]!] ?? '#6b7280';
    context.fillRect(offsetX + layout.x[v]! * scale, offsetY + layout.y[v]! * scale, w, h);
  }
  context.globalAlpha = 1;
  context.strokeStyle = SELECTED_COLOUR;
  context.lineWidth = 2;
  context.strokeRect(offsetX + view.x * scale, offsetY + view.y * scale, view.width * scale, view.height * scale);
  return { scale, offsetX, offsetY };
}

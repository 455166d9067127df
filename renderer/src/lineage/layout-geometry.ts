import type { LayeredLayout } from '../../../shared/lineage/layout/layered-layout';

/**
 * Questions about where nodes are, answered from the layout's layers: a layer is one column and
 * its nodes are sorted top to bottom, so finding what lies in a rectangle or under a point is a
 * binary search per column, not a scan of every node.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Layout-local indexes of the nodes that overlap `rect`; null as soon as there are more than `limit`. */
export function nodesInRect(layout: LayeredLayout, rect: Rect, limit: number): number[] | null {
  const found: number[] = [];
  const layerCount = layout.layerStart.length - 1;
  for (let l = 0; l < layerCount; l++) {
    const first = layout.layerStart[l]!;
    const end = layout.layerStart[l + 1]!;
    if (first === end) continue;
    const left = layout.x[layout.layerNodes[first]!]!;
    if (left > rect.x + rect.width || left + layout.nodeWidth < rect.x) continue;
    for (let i = firstBelow(layout, first, end, rect.y - layout.nodeHeight); i < end; i++) {
      const v = layout.layerNodes[i]!;
      if (layout.y[v]! > rect.y + rect.height) break;
      if (found.length === limit) return null;
      found.push(v);
    }
  }
  return found;
}

/** The node under a point of the drawing, or -1. */
export function nodeAt(layout: LayeredLayout, px: number, py: number): number {
  const layerCount = layout.layerStart.length - 1;
  for (let l = 0; l < layerCount; l++) {
    const first = layout.layerStart[l]!;
    const end = layout.layerStart[l + 1]!;
    if (first === end) continue;
    const left = layout.x[layout.layerNodes[first]!]!;
    if (px < left || px > left + layout.nodeWidth) continue;
    const i = firstBelow(layout, first, end, py - layout.nodeHeight);
    const v = layout.layerNodes[i];
    return v !== undefined && i < end && layout.y[v]! <= py ? v : -1;
  }
  return -1;
}

/** The first slot in [first, end) whose node's top is at or below `top`. */
function firstBelow(layout: LayeredLayout, first: number, end: number, top: number): number {
  let low = first;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (layout.y[layout.layerNodes[middle]!]! < top) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The node above or below `v` in its column, or -1 at the ends. */
export function nodeBesideInLayer(layout: LayeredLayout, v: number, step: -1 | 1): number {
  const l = layout.layer[v]!;
  const slot = layout.layerStart[l]! + layout.position[v]! + step;
  return slot >= layout.layerStart[l]! && slot < layout.layerStart[l + 1]! ? layout.layerNodes[slot]! : -1;
}

/** Of `candidates`, the one drawn closest in height to `v`; -1 when there are none. */
export function nearestInHeight(layout: LayeredLayout, v: number, candidates: Iterable<number>): number {
  let best = -1;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = Math.abs(layout.y[candidate]! - layout.y[v]!);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The smallest zoom at which a node's smallest text (11.5 px) is still about 9 px on screen. */
export const READABLE_ZOOM = 0.8;

export interface FittedViewport {
  x: number;
  y: number;
  zoom: number;
  /** True when the whole graph does not fit at a readable zoom, so part of it is off screen: pan to see it. */
  panToSee: boolean;
}

/**
 * The viewport that shows a laid-out graph whole, centred, at most at `maxZoom`; but never
 * smaller than READABLE_ZOOM. When the graph is too large for that, it is shown at the readable
 * zoom from its upstream (left) edge, centred vertically when its height fits, from the top when
 * not, and the person pans to see the rest.
 */
export function readableViewport(graph: { width: number; height: number }, screen: { width: number; height: number }, options: { maxZoom: number; padding: number }): FittedViewport {
  const padX = screen.width * options.padding;
  const padY = screen.height * options.padding;
  const fit = Math.min((screen.width - 2 * padX) / Math.max(graph.width, 1), (screen.height - 2 * padY) / Math.max(graph.height, 1), options.maxZoom);
  const zoom = Math.max(fit, READABLE_ZOOM);
  const centre = (screenSize: number, graphSize: number, pad: number) => {
    const free = screenSize - graphSize * zoom;
    return free >= 2 * pad ? free / 2 : pad;
  };
  return { x: centre(screen.width, graph.width, padX), y: centre(screen.height, graph.height, padY), zoom, panToSee: fit < READABLE_ZOOM };
}

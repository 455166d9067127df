import { useCallback, useRef } from 'react';
import type { RefObject } from 'react';
import { useStore } from '@xyflow/react';
import type { ReactFlowState } from '@xyflow/react';
import { nodesInRect } from './layout-geometry';
import type { ShownLayout } from './useShownLayout';

/** React Flow's practical DOM limit is about a thousand nodes; in view, at most this many get elements. */
const DETAIL_LIMIT = 300;
const NO_TRANSFORM: [number, number, number] = [0, 0, 1];

/**
 * Layout-local indexes of the nodes React Flow should render. All of them for a small graph;
 * for a large one, those in (or near) the viewport, or none when too many are in view. The
 * array keeps its identity while its contents stay the same, so panning re-renders nothing else.
 */
export function useDetailNodes(current: ShownLayout | null, large: boolean): number[] {
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
export function useFocusNodeSoon(containerRef: RefObject<HTMLDivElement | null>) {
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

/** Whether the layout-local node is wholly inside the container at this viewport. */
export function isInView(current: ShownLayout, local: number, container: { clientWidth: number; clientHeight: number } | null, viewport: { x: number; y: number; zoom: number }): boolean {
  if (container === null) return false;
  const { layout } = current;
  const left = layout.x[local]! * viewport.zoom + viewport.x;
  const top = layout.y[local]! * viewport.zoom + viewport.y;
  return left >= 0 && top >= 0 && left + layout.nodeWidth * viewport.zoom <= container.clientWidth && top + layout.nodeHeight * viewport.zoom <= container.clientHeight;
}

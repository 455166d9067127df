import { useEffect, useRef } from 'react';
import type { MouseEvent } from 'react';
import { Panel, useReactFlow, useStore } from '@xyflow/react';
import { drawMiniMap, drawOverview, visibleRect } from './draw-overview';
import type { OverviewScene } from './draw-overview';

const MINIMAP_WIDTH = 220;
const MINIMAP_HEIGHT = 160;

/**
 * The cheap level of detail of a large graph: every node and edge on one canvas under React
 * Flow's own layer, redrawn (once per frame at most) as the view pans and zooms. Rendered as a
 * child of <ReactFlow>, so it shares the viewport.
 */
export function OverviewCanvas({ scene }: { scene: OverviewScene }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [x, y, zoom] = useStore((state) => state.transform);
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);

  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return;
      const ratio = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      drawOverview(context, scene, { x, y, zoom }, width, height, ratio);
    });
    return () => cancelAnimationFrame(frame);
  }, [scene, x, y, zoom, width, height]);

  return <canvas ref={canvasRef} className="lineage-overview react-flow__container" style={{ width, height }} aria-hidden="true" />;
}

/** The minimap of a large graph: the whole drawing on a small canvas; a click moves the view there. */
export function OverviewMiniMap({ scene }: { scene: OverviewScene }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const mappingRef = useRef({ scale: 1, offsetX: 0, offsetY: 0 });
  const [x, y, zoom] = useStore((state) => state.transform);
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const { setCenter } = useReactFlow();

  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return;
      const ratio = window.devicePixelRatio || 1;
      canvas.width = MINIMAP_WIDTH * ratio;
      canvas.height = MINIMAP_HEIGHT * ratio;
      mappingRef.current = drawMiniMap(context, scene, visibleRect({ x, y, zoom }, width, height), MINIMAP_WIDTH, MINIMAP_HEIGHT, ratio);
    });
    return () => cancelAnimationFrame(frame);
  }, [scene, x, y, zoom, width, height]);

  const moveThere = (event: MouseEvent<HTMLCanvasElement>) => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const { scale, offsetX, offsetY } = mappingRef.current;
    void setCenter((event.clientX - bounds.left - offsetX) / scale, (event.clientY - bounds.top - offsetY) / scale, { zoom });
  };

  return (
    <Panel position="bottom-right" className="lineage-minimap">
      <canvas
        ref={canvasRef}
        width={MINIMAP_WIDTH}
        height={MINIMAP_HEIGHT}
        style={{ width: MINIMAP_WIDTH, height: MINIMAP_HEIGHT }}
        role="img"
        aria-label="Minimap of the whole graph; click to move the view there"
        onClick={moveThere}
      />
    </Panel>
  );
}

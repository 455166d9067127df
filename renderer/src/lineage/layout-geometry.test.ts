import { describe, expect, it } from 'vitest';
import { layoutLayered } from '../../../shared/lineage/layout/layered-layout';
import { nearestInHeight, nodeAt, nodeBesideInLayer, nodesInRect, READABLE_ZOOM, readableViewport } from './layout-geometry';

// Two columns: 0, 1, 2 feed 3. Nodes 100 × 40, columns 150 apart, rows 50 apart.
const layout = layoutLayered(
  { nodeCount: 4, edgeSources: Int32Array.from([0, 1, 2]), edgeTargets: Int32Array.from([3, 3, 3]) },
  { nodeWidth: 100, nodeHeight: 40, layerGap: 50, nodeGap: 10 },
);

describe('layout geometry', () => {
  it('places the column of three above each other and the reader level with its middle', () => {
    expect([0, 1, 2].map((v) => layout.y[v])).toEqual([0, 50, 100]);
    expect(layout.x[3]).toBe(150);
    expect(layout.y[3]).toBe(50);
  });

  it('finds the nodes overlapping a rectangle, and gives up past a limit', () => {
    expect(nodesInRect(layout, { x: 0, y: 45, width: 10, height: 10 }, 10)).toEqual([1]);
    expect(nodesInRect(layout, { x: 90, y: 0, width: 100, height: 60 }, 10)).toEqual([0, 1, 3]);
    expect(nodesInRect(layout, { x: -10, y: -10, width: 400, height: 400 }, 3)).toBeNull();
    expect(nodesInRect(layout, { x: 500, y: 0, width: 10, height: 10 }, 10)).toEqual([]);
  });

  it('finds the node under a point, or none in the gaps', () => {
    expect(nodeAt(layout, 50, 60)).toBe(1);
    expect(nodeAt(layout, 200, 70)).toBe(3);
    expect(nodeAt(layout, 50, 45)).toBe(-1);
    expect(nodeAt(layout, 125, 10)).toBe(-1);
  });

  it('moves up and down a column and picks the neighbour nearest in height', () => {
    expect(nodeBesideInLayer(layout, 1, -1)).toBe(0);
    expect(nodeBesideInLayer(layout, 1, 1)).toBe(2);
    expect(nodeBesideInLayer(layout, 0, -1)).toBe(-1);
    expect(nearestInHeight(layout, 3, [0, 1, 2])).toBe(1);
    expect(nearestInHeight(layout, 3, [])).toBe(-1);
  });
});

describe('readableViewport', () => {
  const options = { maxZoom: 1, padding: 0.05 };

  it('fits a small graph whole and centred, never zooming past maxZoom', () => {
    const view = readableViewport({ width: 400, height: 200 }, { width: 1000, height: 600 }, options);
    expect(view).toEqual({ x: 300, y: 200, zoom: 1, panToSee: false });
  });

  it('shrinks a graph that fits at a readable zoom', () => {
    const view = readableViewport({ width: 1000, height: 300 }, { width: 1000, height: 600 }, options);
    expect(view.zoom).toBeCloseTo(0.9);
    expect(view.panToSee).toBe(false);
    expect(view.x).toBeCloseTo(50);
  });

  it('keeps labels readable on a graph too large to fit, showing its upstream edge and leaving the rest to panning', () => {
    const wide = readableViewport({ width: 20_000, height: 300 }, { width: 1000, height: 600 }, options);
    expect(wide.zoom).toBe(READABLE_ZOOM);
    expect(wide.panToSee).toBe(true);
    expect(wide.x).toBeCloseTo(50);
    expect(wide.y).toBeCloseTo((600 - 300 * READABLE_ZOOM) / 2);
    const tall = readableViewport({ width: 300, height: 50_000 }, { width: 1000, height: 600 }, options);
    expect(tall).toMatchObject({ zoom: READABLE_ZOOM, panToSee: true });
    expect(tall.y).toBeCloseTo(30);
  });
});

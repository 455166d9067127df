import type { LayeredLayout } from '../../../shared/lineage/layout/layered-layout';
import type { LayoutInput } from '../../../shared/lineage/layout/layout-input';

/** Messages between the view and the layout worker. Typed arrays travel by transfer, not copy. */
export interface LayoutRequest {
  requestId: number;
  input: LayoutInput;
}

export type LayoutResponse =
  | { requestId: number; ok: true; layout: LayeredLayout; milliseconds: number }
  | { requestId: number; ok: false; message: string };

/** The buffers of a layout, to hand over with postMessage. */
export function layoutBuffers(layout: LayeredLayout): ArrayBuffer[] {
  return [layout.x, layout.y, layout.layer, layout.layerStart, layout.layerNodes, layout.position].map((array) => array.buffer as ArrayBuffer);
}

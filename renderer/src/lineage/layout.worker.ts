// The layered layout, off the UI thread: a graph of 10,000 nodes is laid out here while the view
// stays responsive.
import { layoutLayered } from '../../../shared/lineage/layout/layered-layout';
import { layoutBuffers } from './layout-protocol';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

self.addEventListener('message', (event: MessageEvent<LayoutRequest>) => {
  const { requestId, input } = event.data;
  let response: LayoutResponse;
  try {
    const started = performance.now();
    const layout = layoutLayered(input);
    response = { requestId, ok: true, layout, milliseconds: performance.now() - started };
    self.postMessage(response, { transfer: layoutBuffers(layout) });
  } catch (error) {
    response = { requestId, ok: false, message: error instanceof Error ? error.message : String(error) };
    self.postMessage(response);
  }
});

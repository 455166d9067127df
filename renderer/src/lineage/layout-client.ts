import type { LayeredLayout } from '../../../shared/lineage/layout/layered-layout';
import type { LayoutInput } from '../../../shared/lineage/layout/layout-input';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

export interface LaidOut {
  layout: LayeredLayout;
  /** Time the layout itself took in the worker. */
  milliseconds: number;
}

/**
 * One layout worker. Each request supersedes the one before: the answer to an older request is
 * dropped (its promise never settles), so a view that changes quickly shows only the latest.
 */
export class LayoutClient {
  private readonly worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'lineage-layout' });
  private latest = 0;
  private pending: { requestId: number; resolve(result: LaidOut): void; reject(error: Error): void } | null = null;

  constructor() {
    this.worker.addEventListener('message', (event: MessageEvent<LayoutResponse>) => {
      const response = event.data;
      const pending = this.pending;
      if (pending === null || response.requestId !== pending.requestId) return;
      this.pending = null;
      if (response.ok) pending.resolve({ layout: response.layout, milliseconds: response.milliseconds });
      else pending.reject(new Error(`The lineage could not be laid out: ${response.message}`));
    });
    this.worker.addEventListener('error', (event) => {
      const pending = this.pending;
      this.pending = null;
      pending?.reject(new Error(`The layout worker failed: ${event.message || 'it could not be started'}`));
    });
  }

  layout(input: LayoutInput): Promise<LaidOut> {
    const requestId = ++this.latest;
    return new Promise((resolve, reject) => {
      this.pending = { requestId, resolve, reject };
      const request: LayoutRequest = { requestId, input };
      // Copied, not transferred: the view keeps drawing the edges from the same arrays.
      this.worker.postMessage(request);
    });
  }

  dispose(): void {
    this.pending = null;
    this.worker.terminate();
  }
}

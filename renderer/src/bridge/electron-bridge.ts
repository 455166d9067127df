import type { Bridge } from '../../../shared/api/contract';
import { failure } from './result';

declare global {
  interface Window {
    /** Exposed by the Electron preload, and only there. */
    readonly countersign?: Bridge;
  }
}

/** The Bridge over the Electron preload's IPC, or null outside Electron. */
export function electronBridge(): Bridge | null {
  const exposed = window.countersign;
  if (exposed === undefined) return null;
  return {
    // IPC rejects (rather than resolving an error Result) when the main process throws or the
    // channel is gone; the UI only ever has to handle Results.
    invoke: async (command, input) => {
      try {
        return await exposed.invoke(command, input);
      } catch (error) {
        return failure('internal', error instanceof Error ? error.message : String(error));
      }
    },
    on: (event, listener) => exposed.on(event, listener),
  };
}

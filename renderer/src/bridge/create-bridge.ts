import type { Bridge } from '../../../shared/api/contract';
import { electronBridge } from './electron-bridge';
import { createWebBridge } from './web-bridge';

/** Electron when the preload is there, the loopback web host otherwise. */
export function createBridge(): Bridge {
  return electronBridge() ?? createWebBridge();
}

import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../shared/api/contract';
import type { Dispatcher } from '../api/dispatcher';
import { APP_ORIGIN } from './app-origin';
import { decideIpcSender, type IpcSenderFacts } from './ipc-sender';
import { INVOKE_CHANNEL } from './ipc-channels';

export interface ApiOverIpcOptions {
  dispatcher: Dispatcher;
  /** The one window allowed to call; null while there is none. */
  mainWindow(): BrowserWindow | null;
  /** Told after a bundle was opened and verified, whatever the verdict. */
  onBundleOpened(path: string): void;
}

/**
 * Serves the contract's commands on one channel. The dispatcher validates the command name and
 * its input; this layer decides who may ask at all: only the main frame of the main window,
 * showing a page of the app's own origin. Anything else (a subframe, another window, a page
 * that somehow navigated elsewhere) is refused before the dispatcher sees the message.
 */
export function serveApiOverIpc(options: ApiOverIpcOptions): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, command: unknown, input: unknown): Promise<Result<unknown>> => {
    const refusal = senderRefusal(event, options.mainWindow());
    if (refusal !== null) {
      console.warn(`Refused an IPC call: ${refusal}.`);
      throw new Error(`Refused: ${refusal}.`);
    }
    if (typeof command !== 'string') return { ok: false, error: { code: 'invalid-input', message: 'The command name must be a string.' } };

    let result: Result<unknown>;
    try {
      result = await options.dispatcher.dispatch(command, input);
    } catch (error) {
      result = { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
    }
    if (command === 'bundle.verify' && result.ok) {
      const path = bundlePathOf(input);
      if (path !== null) options.onBundleOpened(path);
    }
    return result;
  });
}

/** Why the sender may not call, or null when it may: the facts read off the event, judged by decideIpcSender. */
function senderRefusal(event: IpcMainInvokeEvent, window: BrowserWindow | null): string | null {
  const decision = decideIpcSender(senderFacts(event, window), APP_ORIGIN);
  return decision.allowed ? null : decision.reason;
}

function senderFacts(event: IpcMainInvokeEvent, window: BrowserWindow | null): IpcSenderFacts {
  const live = window !== null && !window.isDestroyed() ? window : null;
  // senderFrame is null when the frame has navigated away or been destroyed since it sent.
  const frame = event.senderFrame;
  const mainFrame = live?.webContents.mainFrame;
  return {
    senderWebContentsId: event.sender.id,
    mainWindowWebContentsId: live === null ? null : live.webContents.id,
    frame:
      frame === null
        ? null
        : {
            url: frame.url,
            isWindowMainFrame: mainFrame !== undefined && frame.processId === mainFrame.processId && frame.routingId === mainFrame.routingId,
            hasParent: frame.parent !== null,
          },
  };
}

function bundlePathOf(input: unknown): string | null {
  if (typeof input === 'object' && input !== null && 'path' in input && typeof input.path === 'string') return input.path;
  return null;
}

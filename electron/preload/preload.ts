// The preload of the sandboxed window: the only code that touches Electron on the page's side.
//
// It runs in an isolated world (contextIsolation) before the page, with a reduced `require`
// (sandbox), and hands the page exactly two functions through the context bridge:
//
//   window.countersign.invoke(command, input) -> Promise<Result>   one contract command
//   window.countersign.on(event, listener)    -> unsubscribe()      one contract event
//
// ipcRenderer itself is never exposed, nor any function that takes a channel name: the page
// can reach no IPC channel but these two, and only with names from the contract. The main
// process checks the sender again and the dispatcher validates every input; this is the first
// of three gates, not the only one.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCommandName, isEventName, type Bridge, type Result } from '../../shared/api/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../main/ipc-channels';

const bridge: Bridge = {
  invoke(command, input) {
    // The page is not trusted to respect the types: check the name before any IPC happens.
    if (typeof command !== 'string' || !isCommandName(command)) {
      const refused: Result<never> = {
        ok: false,
        error: { code: 'invalid-input', message: `Unknown command "${String(command)}".` },
      };
      return Promise.resolve(refused);
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, command, input);
  },

  on(event, listener) {
    if (typeof event !== 'string' || !isEventName(event)) throw new TypeError(`Unknown event "${String(event)}".`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    // The IpcRendererEvent stays here: it carries `sender`, which is ipcRenderer.
    const forward = (_ipcEvent: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('countersign', bridge);

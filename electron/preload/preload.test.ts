import path from 'node:path';
import vm from 'node:vm';
import events from 'node:events';
import url from 'node:url';
import timers from 'node:timers';
import { build } from 'esbuild';
import { describe, it, expect, beforeAll } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../main/ipc-channels';

/**
 * The preload, bundled as for the window and run the way Electron runs a sandboxed preload: as
 * the body of a function given only require, process, exports, module, Buffer, global and the
 * immediate timers (no __filename, no __dirname), in a context of its own, with a `require`
 * that knows nothing but electron, events, timers and url.
 */

type Listener = (event: unknown, ...args: unknown[]) => void;
interface Exposed {
  invoke(command: unknown, input: unknown): Promise<unknown>;
  on(event: unknown, listener: unknown): () => void;
}

async function bundlePreload(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, 'preload.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['electron'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function runSandboxed(source: string) {
  const exposed = new Map<string, unknown>();
  const invocations: unknown[][] = [];
  const listeners: [string, Listener][] = [];
  const requiredModules: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invocations.push(args);
        return { ok: true, value: 'from main' };
      },
      on: (channel: string, listener: Listener) => listeners.push([channel, listener]),
      removeListener: (channel: string, listener: Listener) => {
        const index = listeners.findIndex(([c, l]) => c === channel && l === listener);
        if (index >= 0) listeners.splice(index, 1);
      },
    },
  };
  const sandboxModules: Record<string, unknown> = { electron, events, 'node:events': events, url, 'node:url': url, timers, 'node:timers': timers };
  const sandboxRequire = (name: string) => {
    requiredModules.push(name);
    if (!(name in sandboxModules)) throw new Error(`Cannot find module '${name}' (not available to sandboxed preloads)`);
    return sandboxModules[name];
  };
  const context = vm.createContext({ console, TextEncoder, TextDecoder, URL });
  const wrapper = vm.runInContext(`(function (require, process, exports, module, Buffer, global, setImmediate, clearImmediate) {\n${source}\n})`, context) as (
    ...args: unknown[]
  ) => void;
  const moduleExports = {};
  wrapper(sandboxRequire, { env: {} }, moduleExports, { exports: moduleExports }, Buffer, context, setImmediate, clearImmediate);
  return { exposed, invocations, listeners, requiredModules };
}

describe('preload', () => {
  let sandbox: ReturnType<typeof runSandboxed>;
  let bridge: Exposed;

  beforeAll(async () => {
    sandbox = runSandboxed(await bundlePreload());
    bridge = sandbox.exposed.get('countersign') as Exposed;
  });

  it('runs in the sandbox and exposes exactly invoke and on, as window.countersign', () => {
    expect([...sandbox.exposed.keys()]).toEqual(['countersign']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(sandbox.requiredModules).toEqual(['electron']);
  });

  it('passes contract commands to the invoke channel', async () => {
    await expect(bridge.invoke('bundle.recent', {})).resolves.toEqual({ ok: true, value: 'from main' });
    expect(sandbox.invocations.at(-1)).toEqual([INVOKE_CHANNEL, 'bundle.recent', {}]);
  });

  it.each([['fs.readFile'], ['__proto__'], ['toString'], [42], [null]])('refuses %s without any IPC', async (command) => {
    const before = sandbox.invocations.length;
    await expect(bridge.invoke(command, {})).resolves.toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(sandbox.invocations.length).toBe(before);
  });

  it('delivers only the subscribed event, without the IPC event object, until unsubscribed', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.on('job.progress', (...args: unknown[]) => received.push(args));
    const subscribed = sandbox.listeners.filter(([channel]) => channel === EVENT_CHANNEL);
    expect(subscribed).toHaveLength(1);
    const [, forward] = subscribed[0]!;

    const progress = { jobId: 'job-1', bytesDone: 1, bytesTotal: 2, filesDone: 0, filesTotal: 1 };
    forward({ sender: 'ipcRenderer' }, 'job.progress', progress);
    forward({ sender: 'ipcRenderer' }, 'some.other', { jobId: 'job-2' });
    expect(received).toEqual([[progress]]);

    unsubscribe();
    expect(sandbox.listeners.filter(([channel]) => channel === EVENT_CHANNEL)).toHaveLength(0);
  });

  it('refuses to subscribe to events outside the contract', () => {
    expect(() => bridge.on('ipc.anything', () => {})).toThrow('Unknown event "ipc.anything".');
    expect(() => bridge.on('job.progress', 'not a function')).toThrow('The listener must be a function.');
  });
});

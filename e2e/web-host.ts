import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const demoBundle = path.join(repoRoot, 'assets', 'demo', 'bundle');
const cli = path.join(repoRoot, 'electron', 'cli', 'countersign.mjs');

export interface RunningHost {
  url: string;
  dataDir: string;
  process: ChildProcess;
}

/** Starts `countersign serve` on a fresh data directory and resolves with the URL it prints. */
export async function startHost(dataDir: string, extraArgs: string[] = []): Promise<RunningHost> {
  const child = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+\/#\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)));
  });
  return { url, dataDir, process: child };
}

export async function stopHost(host: RunningHost): Promise<void> {
  if (host.process.exitCode !== null) return;
  const exited = new Promise((resolve) => host.process.once('exit', resolve));
  host.process.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
  if (!stopped) {
    host.process.kill('SIGKILL');
    throw new Error('the web host did not stop within 10 s of SIGTERM');
  }
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `countersign-e2e-${prefix}-`));
}

/** Each test gets its own profile (data directory) and its own web host over it. */
export const test = base.extend<{ host: RunningHost; workDir: string }>({
  workDir: async ({}, use) => {
    const dir = makeTempDir('work');
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  host: async ({ workDir }, use) => {
    const host = await startHost(path.join(workDir, 'profile'));
    await use(host);
    await stopHost(host);
  },
});

export { expect } from '@playwright/test';

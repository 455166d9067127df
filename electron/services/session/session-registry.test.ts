import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import { SessionRegistry } from './session-registry';

const demoBundle = fileURLToPath(new URL('../../../assets/demo/bundle', import.meta.url));

let work: string;
let archive: string;
let pool: HashPool;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-registry-'));
  archive = path.join(work, 'demo.tar');
  execFileSync('tar', ['-cf', archive, '-C', demoBundle, '.']);
  pool = createHashPool({ workers: 1 });
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const ownFolder = (parent: string) => path.join(parent, `countersign-sessions-${process.pid}`);

describe('the session registry', () => {
  it('unpacks an archive into its own folder, and removes it when the session and the registry close', async () => {
    const parent = fs.mkdtempSync(path.join(work, 'tmp-'));
    const registry = new SessionRegistry({ hashPool: pool, tempParent: parent });
    const session = await registry.open(archive);
    expect(fs.readdirSync(ownFolder(parent))).toHaveLength(1);
    expect(registry.get(session.id)).toBe(session);
    expect(await registry.close(session.id)).toBe(true);
    expect(fs.readdirSync(ownFolder(parent))).toEqual([]);
    expect(() => registry.get(session.id)).toThrow(/no longer open/);
    await registry.open(archive);
    await registry.closeAll();
    expect(fs.existsSync(ownFolder(parent))).toBe(false);
  });

  it('closes sessions left idle, with their files', async () => {
    const parent = fs.mkdtempSync(path.join(work, 'tmp-'));
    const registry = new SessionRegistry({ hashPool: pool, tempParent: parent, idleMs: 60_000 });
    const idle = await registry.open(archive);
    await registry.closeIdle(Date.now() + 30_000);
    expect(registry.openCount).toBe(1);
    await registry.closeIdle(Date.now() + 61_000);
    expect(registry.openCount).toBe(0);
    expect(() => registry.get(idle.id)).toThrow(/no longer open/);
    expect(fs.readdirSync(ownFolder(parent))).toEqual([]);
    await registry.closeAll();
  });

  it("removes the folder of a process that was killed, and keeps a living process's", async () => {
    const parent = fs.mkdtempSync(path.join(work, 'tmp-'));
    // A real process that dies: its pid is then free, its folder abandoned.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const deadPid = child.pid!;
    const abandoned = path.join(parent, `countersign-sessions-${deadPid}`);
    fs.mkdirSync(path.join(abandoned, 'unpacked'), { recursive: true });
    fs.writeFileSync(path.join(abandoned, 'unpacked', 'model.onnx'), 'left behind');
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    const living = path.join(parent, `countersign-sessions-${process.ppid}`);
    fs.mkdirSync(living);
    const unrelated = path.join(parent, 'someone-else');
    fs.mkdirSync(unrelated);

    const registry = new SessionRegistry({ hashPool: pool, tempParent: parent });
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(fs.existsSync(living)).toBe(true);
    expect(fs.existsSync(unrelated)).toBe(true);
    await registry.closeAll();
  });
});

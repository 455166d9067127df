import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/store';
import { parseBoardPolicyBytes } from './board-file';
import { importBoardPolicy } from './import-board-policy';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const producerKey = fs.readFileSync(path.join(repoRoot, 'assets/demo/bundle/keys/training-ci.pub'), 'utf8').trim();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-board-import-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const IMPORTS = 40;

function policyVersion(version: number) {
  const policy = {
    board: 'Busy Board',
    version,
    members: [{ name: 'Ada', roles: ['risk'], keys: [producerKey] }],
    producers: [{ name: 'training CI', keys: [producerKey] }],
    revokedKeys: [],
    rules: { approvalsRequired: 1, rolesRequired: { risk: 1 }, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  };
  return parseBoardPolicyBytes(new TextEncoder().encode(JSON.stringify(policy)), 'the test policy');
}

describe('importBoardPolicy', () => {
  it('succeeds every time while another process writes to the profile continuously, each import with its audit entry', async () => {
    const dataDir = path.join(work, 'profile');
    const stopFile = path.join(work, 'stop');
    const store = openStore(dataDir);
    const writer = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'busy-writer-child.ts'), dataDir, stopFile], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    writer.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => writer.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      writer.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready')) resolve();
      });
      writer.on('exit', () => reject(new Error(`the writer stopped before it was ready: ${errors}`)));
    });

    const failures: string[] = [];
    try {
      for (let version = 1; version <= IMPORTS; version++) {
        try {
          importBoardPolicy(store.boardPolicy, store.audit, policyVersion(version));
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    } finally {
      fs.writeFileSync(stopFile, '');
    }
    expect(await exited, errors).toBe(0);
    expect(output).toMatch(/writes [1-9]/);
    expect(failures).toEqual([]);
    expect(store.audit.list({ limit: 1000 }).filter((entry) => entry.action === 'board.imported')).toHaveLength(IMPORTS);
    expect(store.boardPolicy.current()?.digest).toBe(policyVersion(IMPORTS).digest);
    store.close();
  }, 180_000);
});

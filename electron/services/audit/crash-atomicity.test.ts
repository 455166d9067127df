import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKey } from '../approvals/audited-keys';
import { openStoreWithConnection, type StoreOptions } from '../store/store';

/** A store with its raw connection beside it: these tests edit rows as someone holding the file would. */
const openTestStore = (dataDir: string, options: StoreOptions = {}) => {
  const { store, db } = openStoreWithConnection(dataDir, options);
  return Object.assign(store, { db });
};
/** The passphrase crash-child.ts unlocks with. */
const CRASH_PASSPHRASE = 'crash test passphrase';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const childScript = path.join(here, 'crash-child.ts');

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-crash-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs one action in its own process, which SIGKILLs itself at the dangerous point. */
function crashChild(...args: string[]): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', childScript, ...args], { cwd: repoRoot, encoding: 'utf8' });
  expect(result.signal, `the child was to be killed at the dangerous point; it exited ${result.status}: ${result.stderr}`).toBe('SIGKILL');
}

/** Reopens the profile as the app or CLI would after the crash (reconciling what it left) and reads it. */
function reopened(dataDir: string) {
  const store = openTestStore(dataDir);
  try {
    const entries = store.audit.list({ limit: 1000 });
    return { keys: store.keys.list(), entries, verification: store.audit.verify(), pending: (store.db.prepare('SELECT COUNT(*) AS n FROM pending_file_actions').get() as { n: number }).n };
  } finally {
    store.close();
  }
}

const profile = (name: string) => path.join(work, name);

describe('a crash at the dangerous point of an audited action (a real SIGKILL) leaves no action unaudited', () => {
  it('key generation: the key and its key.generated entry are committed together or not at all', () => {
    const dataDir = profile('generate');
    for (let run = 0; run < 2; run++) crashChild('generate', dataDir);
    const after = reopened(dataDir);
    const generated = new Set(after.entries.filter((entry) => entry.action === 'key.generated').map((entry) => entry.actor));
    for (const key of after.keys) expect(generated.has(key.keyId), `key ${key.keyId} has no key.generated entry`).toBe(true);
    expect(after.keys).toHaveLength(0);
    expect(after.verification.ok).toBe(true);
  });

  it('key removal: the key stays until its key.removed entry is committed with the removal', async () => {
    const dataDir = profile('remove');
    const store = openTestStore(dataDir);
    const key = await generateKey(store.keys, store.audit, 'to remove', CRASH_PASSPHRASE);
    store.close();
    crashChild('remove', dataDir, key.keyId);
    const after = reopened(dataDir);
    const removalEntries = after.entries.filter((entry) => entry.action === 'key.removed' && entry.actor === key.keyId);
    const stillStored = after.keys.some((stored) => stored.keyId === key.keyId);
    expect(stillStored || removalEntries.length === 1).toBe(true);
    expect(stillStored).toBe(true);
  });

  describe('approval files', () => {
    let dataDir: string;
    let keyId: string;
    let boardFile: string;
    beforeAll(async () => {
      dataDir = profile('approve');
      const store = openTestStore(dataDir);
      const key = await generateKey(store.keys, store.audit, 'ada@laptop', CRASH_PASSPHRASE);
      store.close();
      keyId = key.keyId;
      const producerKey = fs.readFileSync(path.join(demoBundle, 'keys/training-ci.pub'), 'utf8').trim();
      const policy = {
        board: 'Crash Test Board',
        version: 1,
        members: [{ name: 'Ada', roles: ['risk'], keys: [key.publicKey] }],
        producers: [{ name: 'training CI', keys: [producerKey] }],
        revokedKeys: [],
        rules: { approvalsRequired: 1, rolesRequired: { risk: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
      };
      boardFile = path.join(work, 'board.json');
      fs.writeFileSync(boardFile, JSON.stringify(policy, null, 2));
    });

    const freshBundle = (label: string) => {
      const copy = path.join(work, label);
      fs.cpSync(demoBundle, copy, { recursive: true });
      return copy;
    };
    const approvalFiles = (bundle: string) => (fs.existsSync(path.join(bundle, 'approvals')) ? fs.readdirSync(path.join(bundle, 'approvals')).map((name) => path.join(bundle, 'approvals', name)) : []);

    it('killed after the file is written, before its entry: reopening records approval.made for the file (recovered)', () => {
      const bundle = freshBundle('bundle-after-write');
      const before = approvalFiles(bundle);
      for (let run = 0; run < 2; run++) crashChild('approve', dataDir, keyId, bundle, boardFile, 'after-write');
      const written = approvalFiles(bundle).filter((file) => !before.includes(file));
      expect(written.length).toBeGreaterThan(0);
      const after = reopened(dataDir);
      const made = after.entries.filter((entry) => entry.action === 'approval.made');
      for (const file of written) {
        expect(
          made.some((entry) => entry.detail['file'] === file),
          `${file} has no approval.made entry`,
        ).toBe(true);
      }
      expect(made.every((entry) => entry.detail['recovered'] === true)).toBe(true);
      expect(after.pending).toBe(0);
      expect(after.verification.ok).toBe(true);
    });

    it('killed after the intent is recorded, before the file is written: reopening records approval.abandoned, and no file exists', () => {
      const bundle = freshBundle('bundle-before-write');
      const before = approvalFiles(bundle);
      crashChild('approve', dataDir, keyId, bundle, boardFile, 'before-write');
      expect(approvalFiles(bundle).filter((file) => !before.includes(file))).toEqual([]);
      const after = reopened(dataDir);
      const abandoned = after.entries.filter((entry) => entry.action === 'approval.abandoned');
      expect(abandoned).toHaveLength(1);
      expect(abandoned[0]).toMatchObject({ actor: keyId, detail: { decision: 'approve', role: 'risk', reason: expect.stringMatching(/stopped before the file was written/) } });
      expect(String(abandoned[0]!.detail['file'])).toContain(path.join(bundle, 'approvals'));
      expect(after.pending).toBe(0);
    });
  });
});

import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStoreWithConnection, type StoreOptions } from './store';
import { openDatabase } from './database';
import { migrations } from './migrations';
import { generateKey, removeKey } from '../approvals/audited-keys';

/** A store with its raw connection beside it: these tests edit rows as someone holding the file would. */
const openTestStore = (dataDir: string, options: StoreOptions = {}) => {
  const { store, db } = openStoreWithConnection(dataDir, options);
  return Object.assign(store, { db });
};
type Store = ReturnType<typeof openTestStore>;

const dirs: string[] = [];
const stores: Store[] = [];

function freshStore(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-store-'));
  dirs.push(dir);
  const store = openTestStore(dir);
  stores.push(store);
  return store;
}

afterEach(() => {
  for (const store of stores.splice(0)) if (store.db.open) store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const KEY_A = 'SHA256:' + 'A'.repeat(43);
const KEY_B = 'SHA256:' + 'B'.repeat(43);

describe('store', () => {
  it('opens in WAL mode with synchronous=FULL and foreign keys, at the latest schema version', () => {
    const { db } = freshStore();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
  });

  it('reopens an existing profile without re-running migrations and keeps its data', () => {
    const store = freshStore();
    store.pinnedKeys.pin({ keyId: KEY_A, name: 'Ada', publicKey: 'ssh-ed25519 AAAA' });
    const dir = path.dirname(store.db.name);
    store.close();
    const again = openTestStore(dir);
    stores.push(again);
    expect(again.pinnedKeys.list().map((k) => k.name)).toEqual(['Ada']);
  });

  it('refuses a database from a newer version instead of touching it', () => {
    const store = freshStore();
    const dir = path.dirname(store.db.name);
    store.db.pragma(`user_version = ${migrations.length + 1}`);
    store.close();
    expect(() => openDatabase(dir)).toThrow(/newer than this Countersign/);
  });

  it('pins, renames on re-pin, lists by name and unpins keys', () => {
    const { pinnedKeys } = freshStore();
    pinnedKeys.pin({ keyId: KEY_B, name: 'Zed', publicKey: 'ssh-ed25519 BBBB' });
    pinnedKeys.pin({ keyId: KEY_A, name: 'Ada', publicKey: 'ssh-ed25519 AAAA' });
    pinnedKeys.pin({ keyId: KEY_B, name: 'Bea', publicKey: 'ssh-ed25519 BBBB' });
    expect(pinnedKeys.list().map((k) => [k.name, k.keyId])).toEqual([
      ['Ada', KEY_A],
      ['Bea', KEY_B],
    ]);
    expect(pinnedKeys.unpin(KEY_A)).toBe(true);
    expect(pinnedKeys.unpin(KEY_A)).toBe(false);
    expect(pinnedKeys.list()).toHaveLength(1);
  });

  it('keeps the board policy bytes exactly as imported', () => {
    const { boardPolicy } = freshStore();
    expect(boardPolicy.current()).toBeNull();
    const bytes = new TextEncoder().encode('{"board":"B"}\n');
    boardPolicy.replace(bytes, 'd'.repeat(64));
    const stored = boardPolicy.current();
    expect(Array.from(stored!.content)).toEqual(Array.from(bytes));
    expect(stored!.digest).toBe('d'.repeat(64));
  });

  it('keeps the 20 most recent bundles, newest first', () => {
    const { recentBundles } = freshStore();
    for (let i = 0; i < 25; i++) recentBundles.record(`/b/${i}`, 'verified', `r@${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)));
    const list = recentBundles.list();
    expect(list).toHaveLength(20);
    expect(list[0]).toMatchObject({ path: '/b/24', verdict: 'verified', release: 'r@24' });
    expect(list.at(-1)!.path).toBe('/b/5');
  });

  it('stores settings', () => {
    const { settings } = freshStore();
    expect(settings.get()).toEqual({ demoKeysOfferAnswered: false });
    expect(settings.set({ demoKeysOfferAnswered: true })).toEqual({ demoKeysOfferAnswered: true });
  });

  it('returns a cached hash only while path, size, mtime, inode and device all match', () => {
    const { hashCache } = freshStore();
    const id = { path: '/x', size: 10, mtimeNs: 123n, ino: 7n, dev: 1n };
    hashCache.set(id, 'a'.repeat(64));
    expect(hashCache.get(id)).toBe('a'.repeat(64));
    expect(hashCache.get({ ...id, size: 11 })).toBeUndefined();
    expect(hashCache.get({ ...id, mtimeNs: 124n })).toBeUndefined();
    expect(hashCache.get({ ...id, ino: 8n })).toBeUndefined();
    expect(hashCache.get({ ...id, path: '/y' })).toBeUndefined();
  });

  describe('file modes and leftovers', () => {
    const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
    const databaseFiles = (dir: string) => ['countersign.sqlite', 'countersign.sqlite-wal', 'countersign.sqlite-shm'].map((name) => path.join(dir, name));

    it('creates the data directory 0700 and the database, its WAL and shared memory 0600, whatever the umask', () => {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-modes-'));
      dirs.push(parent);
      const dir = path.join(parent, 'profile');
      const umask = process.umask(0);
      let store: Store;
      try {
        store = openTestStore(dir);
      } finally {
        process.umask(umask);
      }
      stores.push(store);
      store.settings.set({ demoKeysOfferAnswered: true });
      expect(modeOf(dir)).toBe(0o700);
      for (const file of databaseFiles(dir)) expect([file, modeOf(file)]).toEqual([file, 0o600]);
      expect(store.warnings).toEqual([]);
    });

    it('warns when an existing data directory can be read by others, and closes database files left open to them', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-open-dir-'));
      dirs.push(dir);
      fs.chmodSync(dir, 0o755);
      fs.writeFileSync(path.join(dir, 'countersign.sqlite'), '');
      fs.chmodSync(path.join(dir, 'countersign.sqlite'), 0o644);
      const told: string[] = [];
      const store = openTestStore(dir, { onWarning: (message) => told.push(message) });
      stores.push(store);
      expect(store.warnings).toEqual(told);
      expect(told).toEqual([expect.stringMatching(/data directory .* can be read by other users .*mode 0755.*chmod 700/), expect.stringMatching(/countersign\.sqlite could be read by other users .*mode 0644.*now 0600/)]);
      expect(modeOf(dir)).toBe(0o755);
      expect(modeOf(path.join(dir, 'countersign.sqlite'))).toBe(0o600);
    });

    it('overwrites a removed key: its sealed seed is in neither the database nor the WAL after a checkpoint', async () => {
      const store = freshStore();
      expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
      const key = await generateKey(store.keys, store.audit, 'short-lived', 'a passphrase');
      const { ciphertext } = store.db.prepare('SELECT ciphertext FROM keys WHERE key_id = ?').get(key.keyId) as { ciphertext: Buffer };
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      const dir = path.dirname(store.db.name);
      const filesHold = () => databaseFiles(dir).some((file) => fs.existsSync(file) && fs.readFileSync(file).includes(ciphertext));
      expect(filesHold()).toBe(true);
      expect(removeKey(store.keys, store.audit, key.keyId)).toBe(true);
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      expect(filesHold()).toBe(false);
    });
  });
});

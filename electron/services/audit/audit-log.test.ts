import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStoreWithConnection, type StoreOptions } from '../store/store';
import { AuditLog } from './audit-log';

/** A store with its raw connection beside it: these tests edit rows as someone holding the file would. */
const openTestStore = (dataDir: string, options: StoreOptions = {}) => {
  const { store, db } = openStoreWithConnection(dataDir, options);
  return Object.assign(store, { db });
};
type Store = ReturnType<typeof openTestStore>;

const dirs: string[] = [];
const stores: Store[] = [];

const KEY_A = 'SHA256:' + 'A'.repeat(43);
const KEY_B = 'SHA256:' + 'B'.repeat(43);
const DIGEST = 'ab'.repeat(32);

/** A store whose audit log has five entries, appended at 12:00, 12:01, ... */
function storeWithFiveEntries(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-audit-'));
  dirs.push(dir);
  const opened = openTestStore(dir);
  let minute = 0;
  const store = { ...opened, audit: new AuditLog(opened.db, { now: () => new Date(Date.UTC(2026, 2, 1, 12, minute++)) }) };
  stores.push(store);
  store.audit.append({ actor: KEY_A, action: 'key.generated', manifestDigest: null, detail: { name: 'Ada' } });
  store.audit.append({ actor: KEY_B, action: 'key.imported', manifestDigest: null, detail: { name: 'Bea' } });
  store.audit.append({ actor: null, action: 'board.imported', manifestDigest: null, detail: { board: 'fraud-review', digest: 'cd'.repeat(32) } });
  store.audit.append({ actor: KEY_A, action: 'approval.made', manifestDigest: DIGEST, detail: { decision: 'approve', role: 'ml-lead' } });
  store.audit.append({ actor: KEY_B, action: 'approval.imported', manifestDigest: DIGEST, detail: { decision: 'reject', role: 'security' } });
  return store;
}

/** Edits the database file as someone with a SQLite shell would: own connection, triggers dropped. */
function editByHand(store: Store, sql: string): void {
  const db = new Database(store.db.name);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    db.exec(sql);
  } finally {
    db.close();
  }
}

afterEach(() => {
  for (const store of stores.splice(0)) if (store.db.open) store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('AuditLog', () => {
  it('verifies an intact log and reports its newest hash as the head', () => {
    const { audit } = storeWithFiveEntries();
    const newest = audit.list({ limit: 1 })[0]!;
    expect(audit.verify()).toEqual({ ok: true, entries: 5, head: newest.hash });
  });

  it('verifies an empty log', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-audit-'));
    dirs.push(dir);
    const store = openTestStore(dir);
    stores.push(store);
    expect(store.audit.verify()).toEqual({ ok: true, entries: 0, head: null });
  });

  it('chains each entry to the one before, the first to 64 zeros', () => {
    const { audit } = storeWithFiveEntries();
    const oldestFirst = audit.list().reverse();
    expect(oldestFirst.map((entry) => entry.id)).toEqual([1, 2, 3, 4, 5]);
    expect(oldestFirst[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < oldestFirst.length; i++) expect(oldestFirst[i]!.prevHash).toBe(oldestFirst[i - 1]!.hash);
  });

  it('hashes the documented canonical encoding: SHA-256 of JSON [id, at, actor, action, manifestDigest, detail with sorted keys, prevHash]', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-audit-'));
    dirs.push(dir);
    const store = openTestStore(dir);
    stores.push(store);
    const audit = new AuditLog(store.db, { now: () => new Date('2026-03-01T12:00:00.000Z') });
    const entry = audit.append({ actor: KEY_A, action: 'approval.made', manifestDigest: DIGEST, detail: { role: 'ml-lead', conditions: [{ z: 1, a: 'x' }], comment: 'ok' } });
    const canonical = `[1,"2026-03-01T12:00:00.000Z","${KEY_A}","approval.made","${DIGEST}",{"comment":"ok","conditions":[{"a":"x","z":1}],"role":"ml-lead"},"${'0'.repeat(64)}"]`;
    expect(entry.hash).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
    expect(Object.keys(audit.list()[0]!.detail)).toEqual(['comment', 'conditions', 'role']);
  });

  it('lists newest first, a page at a time', () => {
    const { audit } = storeWithFiveEntries();
    expect(audit.list({ limit: 2 }).map((entry) => entry.action)).toEqual(['approval.imported', 'approval.made']);
    expect(audit.list({ limit: 2, beforeId: 4 }).map((entry) => entry.id)).toEqual([3, 2]);
    expect(audit.list()[0]).toMatchObject({ actor: KEY_B, manifestDigest: DIGEST, detail: { decision: 'reject', role: 'security' }, at: '2026-03-01T12:04:00.000Z' });
  });

  it('refuses entries it could not verify later', () => {
    const { audit } = storeWithFiveEntries();
    expect(() => audit.append({ actor: null, action: 'Key Generated', manifestDigest: null })).toThrow(/not of the form 'area.event'/);
    expect(() => audit.append({ actor: null, action: 'approval.made', manifestDigest: 'sha256:abc' })).toThrow(/lowercase hex SHA-256/);
    expect(() => audit.append({ actor: null, action: 'approval.made', manifestDigest: null, detail: { n: Number.NaN } })).toThrow(/cannot store exactly/);
    expect(() => audit.append({ actor: null, action: 'approval.made', manifestDigest: null, detail: { text: '\ud800' } })).toThrow(/cannot store exactly/);
    expect(audit.verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it('has no way to change or remove an entry through the store connection either', () => {
    const { db } = storeWithFiveEntries();
    expect(() => db.prepare("UPDATE audit_log SET action = 'key.removed' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 5').run()).toThrow(/append-only/);
  });

  describe('points at the first broken entry when the database file was edited by hand', () => {
    it('an edited field', () => {
      const store = storeWithFiveEntries();
      editByHand(store, "UPDATE audit_log SET actor = 'SHA256:" + 'C'.repeat(43) + "' WHERE id = 4");
      expect(store.audit.verify()).toEqual({ ok: false, entries: 5, firstBrokenId: 4, reason: 'its content does not match its hash: the entry was edited' });
    });

    it('an edited detail', () => {
      const store = storeWithFiveEntries();
      editByHand(store, `UPDATE audit_log SET detail = '{"decision":"reject","role":"ml-lead"}' WHERE id = 4`);
      expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 4, reason: expect.stringMatching(/edited/) });
    });

    it('an edited entry whose own hash was recomputed: the next entry no longer chains to it', () => {
      const store = storeWithFiveEntries();
      const forged = forgeEntry(store, 2, { action: 'key.removed' });
      editByHand(store, `UPDATE audit_log SET action = 'key.removed', hash = '${forged}' WHERE id = 2`);
      expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 3, reason: expect.stringMatching(/does not match the hash of entry 2/) });
    });

    it('a deleted entry', () => {
      const store = storeWithFiveEntries();
      editByHand(store, 'DELETE FROM audit_log WHERE id = 3');
      expect(store.audit.verify()).toEqual({ ok: false, entries: 4, firstBrokenId: 4, reason: 'entry 3 is missing: the log jumps from entry 2 to entry 4' });
    });

    it('a deleted entry whose later ids were renumbered to close the gap', () => {
      const store = storeWithFiveEntries();
      editByHand(store, 'DELETE FROM audit_log WHERE id = 3; UPDATE audit_log SET id = id - 1 WHERE id > 3;');
      expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 3, reason: expect.stringMatching(/does not match the hash of entry 2/) });
    });

    it('the first entry deleted', () => {
      const store = storeWithFiveEntries();
      editByHand(store, 'DELETE FROM audit_log WHERE id = 1');
      expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 2, reason: 'entry 1 is missing: the log jumps from entry 0 to entry 2' });
    });

    it('two entries swapped', () => {
      const store = storeWithFiveEntries();
      editByHand(store, 'UPDATE audit_log SET id = -2 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = -2;');
      expect(store.audit.verify()).toEqual({
        ok: false,
        entries: 5,
        firstBrokenId: 2,
        reason: 'its previous hash does not match the hash of entry 1: entries were reordered, removed or replaced',
      });
    });

    it('the newest entry deleted (truncation), and it stays detected after the next append', () => {
      const store = storeWithFiveEntries();
      editByHand(store, 'DELETE FROM audit_log WHERE id = 5');
      expect(store.audit.verify()).toEqual({ ok: false, entries: 4, firstBrokenId: 5, reason: 'the log ends at entry 4 but 5 entries were written: entry 5 was removed' });
      store.audit.append({ actor: KEY_A, action: 'key.removed', manifestDigest: null });
      expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 6, reason: 'entry 5 is missing: the log jumps from entry 4 to entry 6' });
    });

    it('an entry added at the end outside Countersign', () => {
      const store = storeWithFiveEntries();
      const head = store.audit.list({ limit: 1 })[0]!;
      const at = '2026-03-01T13:00:00.000Z';
      const hash = forgeEntry(store, 6, { at, prevHash: head.hash, action: 'approval.made', actor: KEY_A, manifestDigest: DIGEST, detail: {} });
      editByHand(store, `INSERT INTO audit_log VALUES (6, '${at}', '${KEY_A}', 'approval.made', '${DIGEST}', '{}', '${head.hash}', '${hash}')`);
      expect(store.audit.verify()).toMatchObject({ ok: false, entries: 6, firstBrokenId: 6, reason: expect.stringMatching(/not written by Countersign/) });
    });

    it('the head record removed', () => {
      const store = storeWithFiveEntries();
      editByHand(store, 'DELETE FROM audit_head');
      expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 6, reason: expect.stringMatching(/head record .* is missing/) });
    });
  });
});

/**
 * The hash an attacker would compute for entry `id` after changing some of its fields, using
 * the documented encoding (independently of the code under test).
 */
function forgeEntry(store: Store, id: number, changes: Partial<{ at: string; actor: string | null; action: string; manifestDigest: string | null; detail: object; prevHash: string }>): string {
  const current = store.audit.list({ limit: 1, beforeId: id + 1 }).find((entry) => entry.id === id);
  const fields = { ...current, ...changes };
  const encoded = JSON.stringify([id, fields.at, fields.actor, fields.action, fields.manifestDigest, fields.detail, fields.prevHash]);
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

describe('AuditLog: truncation, wiping and rollback (the head record, the head file in the data directory, an exported head)', () => {
  /** A profile opened as the app and the CLI open it (head file kept in the data directory), with five entries. */
  function profileWithFiveEntries(): { dir: string; store: Store } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-audit-head-'));
    dirs.push(dir);
    const store = openTestStore(dir);
    stores.push(store);
    for (let i = 1; i <= 5; i++) store.audit.append({ actor: KEY_A, action: 'key.generated', manifestDigest: null, detail: { name: `key ${i}` } });
    return { dir, store };
  }
  const reopen = (dir: string): Store => {
    const store = openTestStore(dir);
    stores.push(store);
    return store;
  };
  const hashOf = (store: Store, id: number) => store.audit.list({ limit: 1, beforeId: id + 1 })[0]!.hash;
  const databaseFiles = (dir: string) => ['countersign.sqlite', 'countersign.sqlite-wal', 'countersign.sqlite-shm'].map((name) => path.join(dir, name));

  it('keeps the head file in step with the log, in the documented format', () => {
    const { dir, store } = profileWithFiveEntries();
    // eslint-disable-next-line no-restricted-syntax -- reading back the file under test
    const kept = JSON.parse(fs.readFileSync(path.join(dir, 'audit-head.json'), 'utf8')) as Record<string, unknown>;
    expect(kept).toEqual({ format: 'countersign-audit-head/1', entries: 5, lastEntryId: 5, headHash: hashOf(store, 5), exportedAt: expect.any(String) });
    expect(fs.statSync(path.join(dir, 'audit-head.json')).mode & 0o777).toBe(0o600);
  });

  it('the head record removed stays detected after the next ordinary action: an audit.tamper-detected entry says so', () => {
    const { store } = profileWithFiveEntries();
    editByHand(store, 'DELETE FROM audit_head');
    store.audit.append({ actor: KEY_B, action: 'key.imported', manifestDigest: null, detail: {} });
    const [newest, tamper] = store.audit.list({ limit: 2 });
    expect(tamper).toMatchObject({ id: 6, action: 'audit.tamper-detected', detail: { finding: expect.stringMatching(/head record .* was missing/) } });
    expect(newest).toMatchObject({ id: 7, action: 'key.imported', prevHash: tamper!.hash });
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 6, reason: expect.stringMatching(/found changed outside Countersign.*head record/) });
    store.audit.append({ actor: KEY_B, action: 'key.removed', manifestDigest: null, detail: {} });
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 6 });
  });

  it('the last entries deleted and the head record rewritten to match', () => {
    const { store } = profileWithFiveEntries();
    editByHand(store, `DELETE FROM audit_log WHERE id > 3; UPDATE audit_head SET entries = 3, hash = '${hashOf(store, 3)}'`);
    expect(store.audit.verify()).toEqual({
      ok: false,
      entries: 3,
      firstBrokenId: 4,
      reason: 'the log ends at entry 3 but the audit head file in the data directory records 5 entries: the log was truncated or wiped, or an older copy of the database was restored',
    });
    store.audit.append({ actor: KEY_A, action: 'key.removed', manifestDigest: null, detail: {} });
    expect(store.audit.list({ limit: 2 })[1]).toMatchObject({ id: 4, action: 'audit.tamper-detected' });
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 4 });
  });

  it('every entry wiped', () => {
    const { store } = profileWithFiveEntries();
    editByHand(store, 'DELETE FROM audit_log; UPDATE audit_head SET entries = 0, hash = NULL');
    expect(store.audit.verify()).toMatchObject({ ok: false, entries: 0, firstBrokenId: 1, reason: expect.stringMatching(/ends at entry 0 .* records 5 entries/) });
  });

  it('the database file deleted: the new, empty profile is reported', () => {
    const { dir, store } = profileWithFiveEntries();
    store.close();
    for (const file of databaseFiles(dir)) fs.rmSync(file, { force: true });
    const again = reopen(dir);
    expect(again.audit.verify()).toMatchObject({ ok: false, entries: 0, reason: expect.stringMatching(/records 5 entries/) });
    again.audit.append({ actor: KEY_A, action: 'key.generated', manifestDigest: null, detail: {} });
    expect(again.audit.list({ limit: 2 }).map((entry) => entry.action)).toEqual(['key.generated', 'audit.tamper-detected']);
    expect(again.audit.verify().ok).toBe(false);
  });

  it('an older copy of the database restored: seen while the head file is newer; not seen when the head file is rolled back too, except against an exported head', () => {
    const { dir, store } = profileWithFiveEntries();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const older = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-audit-older-'));
    dirs.push(older);
    for (const file of [...databaseFiles(dir), path.join(dir, 'audit-head.json')]) if (fs.existsSync(file)) fs.copyFileSync(file, path.join(older, path.basename(file)));
    store.audit.append({ actor: KEY_B, action: 'key.removed', manifestDigest: null, detail: {} });
    const exported = store.audit.exportHead();
    expect(exported).toMatchObject({ entries: 6, lastEntryId: 6, headHash: hashOf(store, 6) });
    store.close();

    for (const file of databaseFiles(dir)) fs.rmSync(file, { force: true });
    for (const file of databaseFiles(older)) if (fs.existsSync(file)) fs.copyFileSync(file, path.join(dir, path.basename(file)));
    const restored = reopen(dir);
    expect(restored.audit.verify()).toMatchObject({ ok: false, firstBrokenId: 6, reason: expect.stringMatching(/records 6 entries/) });
    restored.close();

    fs.copyFileSync(path.join(older, 'audit-head.json'), path.join(dir, 'audit-head.json'));
    const rolledBack = reopen(dir);
    expect(rolledBack.audit.verify()).toMatchObject({ ok: true, entries: 5 });
    expect(rolledBack.audit.verifyAgainst(exported)).toMatchObject({ ok: false, firstBrokenId: 6, reason: expect.stringMatching(/the exported head .* records 6 entries/) });
  });

  it('a log forked after an exported head (rolled back, then written on) fails against it at that entry', () => {
    const { dir, store } = profileWithFiveEntries();
    const exported = store.audit.exportHead();
    editByHand(store, `DELETE FROM audit_log WHERE id > 3; UPDATE audit_head SET entries = 3, hash = '${hashOf(store, 3)}'`);
    fs.rmSync(path.join(dir, 'audit-head.json'));
    store.audit.append({ actor: KEY_B, action: 'key.imported', manifestDigest: null, detail: {} });
    store.audit.append({ actor: KEY_B, action: 'key.removed', manifestDigest: null, detail: {} });
    expect(store.audit.verify()).toMatchObject({ ok: true, entries: 5 });
    expect(store.audit.verifyAgainst(exported)).toMatchObject({ ok: false, firstBrokenId: 5, reason: expect.stringMatching(/entry 5 is not the entry the exported head/) });
    expect(store.audit.verifyAgainst(store.audit.exportHead())).toMatchObject({ ok: true });
  });

  it('a dropped audit table is reported as tampering, the profile still opens, and nothing is done unaudited', () => {
    const { dir, store } = profileWithFiveEntries();
    store.close();
    const db = new Database(path.join(dir, 'countersign.sqlite'));
    db.exec('DROP TABLE audit_log');
    db.close();
    const again = reopen(dir);
    expect(again.audit.verify()).toEqual({ ok: false, entries: 0, firstBrokenId: 1, reason: expect.stringMatching(/audit log table is missing .* dropped/) });
    expect(() => again.audit.append({ actor: KEY_A, action: 'key.generated', manifestDigest: null, detail: {} })).toThrow(/audit log table is missing/);
    expect(() => again.audit.exportHead()).toThrow(/broken at entry #1/);
  });
});

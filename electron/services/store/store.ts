import path from 'node:path';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database';
import { BoardPolicyStore } from './board-policy-store';
import { PinnedKeys } from './pinned-keys';
import { RecentBundles } from './recent-bundles';
import { SettingsStore } from './settings-store';
import { SqliteHashCache } from './sqlite-hash-cache';
import { KeyStore, type KeyStoreOptions } from '../keys/key-store';
import { AuditLog } from '../audit/audit-log';
import { AuditedFileWrites } from '../audit/audited-file-writes';
import { HEAD_FILE_NAME } from '../audit/head-file';
import { ProfileApprovals } from '../approvals/profile-approvals';

/**
 * Everything a profile keeps, over one SQLite connection. The connection itself is not part of
 * it: everything above the store reaches the database through these tables' own methods.
 */
export interface Store {
  readonly pinnedKeys: PinnedKeys;
  readonly boardPolicy: BoardPolicyStore;
  readonly recentBundles: RecentBundles;
  readonly settings: SettingsStore;
  readonly hashCache: SqliteHashCache;
  readonly keys: KeyStore;
  readonly audit: AuditLog;
  /** Files written under an audited action (approvals): intent, write, completion. */
  readonly fileWrites: AuditedFileWrites;
  /** Problems found when the profile was opened that the person should hear about (files others can read). */
  readonly warnings: readonly string[];
  /** Approval envelopes kept in this profile, by manifest digest. */
  readonly approvals: ProfileApprovals;
  /**
   * Runs `work` in one write transaction (begun immediately, busy retried, see writeTransaction):
   * all of it is committed, or none. The audit head file is brought up to date after the commit.
   */
  inTransaction<T>(work: () => T): T;
  close(): void;
}

/**
 * Opens the profile and settles what a crash left: a file written under an audited action but
 * not yet recorded gets its entry, one never written is recorded as abandoned
 * (AuditedFileWrites.reconcile). The head file is written if the profile has none yet.
 */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  return openStoreWithConnection(dataDir, options).store;
}

export type StoreOptions = OpenDatabaseOptions & { keyStore?: KeyStoreOptions };

/**
 * The store and its raw connection, for the store's own tests, which edit and delete rows as
 * someone holding the database file would. Hosts, handlers and the CLI use `openStore`.
 */
export function openStoreWithConnection(dataDir: string, options: StoreOptions = {}): { store: Store; db: SqliteDatabase } {
  const { keyStore, ...databaseOptions } = options;
  const warnings: string[] = [];
  const db = openDatabase(dataDir, {
    ...databaseOptions,
    onWarning: (message) => {
      warnings.push(message);
      options.onWarning?.(message);
    },
  });
  const keys = new KeyStore(db, keyStore);
  const audit = new AuditLog(db, { headFile: path.join(dataDir, HEAD_FILE_NAME) });
  const profileApprovals = new ProfileApprovals(db);
  const fileWrites = new AuditedFileWrites(db, audit, (copy) => {
    profileApprovals.add({ manifestDigest: copy.manifestDigest, fileName: copy.fileName, envelope: copy.bytes, reviewer: copy.reviewer, origin: 'made' });
  });
  // A profile whose audit tables were dropped still opens, so that `audit verify` can say so.
  if (audit.isPresent()) {
    for (const problem of fileWrites.reconcile().unsettled) {
      warnings.push(problem);
      options.onWarning?.(problem);
    }
    audit.ensureHeadFile();
  }
  const store: Store = {
    pinnedKeys: new PinnedKeys(db),
    boardPolicy: new BoardPolicyStore(db),
    recentBundles: new RecentBundles(db),
    settings: new SettingsStore(db),
    hashCache: new SqliteHashCache(db),
    keys,
    audit,
    fileWrites,
    warnings,
    approvals: profileApprovals,
    inTransaction: (work) => audit.atomically('the change', work),
    close: () => {
      keys.lock();
      db.close();
    },
  };
  return { store, db };
}

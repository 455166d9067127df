import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database';
import { BoardPolicyStore } from './board-policy-store';
import { PinnedKeys } from './pinned-keys';
import { RecentBundles } from './recent-bundles';
import { SettingsStore } from './settings-store';
import { SqliteHashCache } from './sqlite-hash-cache';
import { KeyStore } from '../keys/key-store';
import { AuditLog } from '../audit/audit-log';
import { ProfileApprovals } from '../approvals/profile-approvals';

/** Everything a profile keeps, over one SQLite connection. */
export interface Store {
  readonly db: SqliteDatabase;
  readonly pinnedKeys: PinnedKeys;
  readonly boardPolicy: BoardPolicyStore;
  readonly recentBundles: RecentBundles;
  readonly settings: SettingsStore;
  readonly hashCache: SqliteHashCache;
  readonly keys: KeyStore;
  readonly audit: AuditLog;
  /** Approval envelopes kept in this profile, by manifest digest. */
  readonly approvals: ProfileApprovals;
  /** Runs `work` in one write transaction (begun immediately): all of it is committed, or none. */
  inTransaction<T>(work: () => T): T;
  close(): void;
}

export function openStore(dataDir: string, options: OpenDatabaseOptions = {}): Store {
  const db = openDatabase(dataDir, options);
  const keys = new KeyStore(db);
  return {
    db,
    pinnedKeys: new PinnedKeys(db),
    boardPolicy: new BoardPolicyStore(db),
    recentBundles: new RecentBundles(db),
    settings: new SettingsStore(db),
    hashCache: new SqliteHashCache(db),
    keys,
    audit: new AuditLog(db),
    approvals: new ProfileApprovals(db),
    inTransaction: (work) => db.transaction(work).immediate(),
    close: () => {
      keys.lock();
      db.close();
    },
  };
}

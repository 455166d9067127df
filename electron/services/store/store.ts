import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database';
import { BoardPolicyStore } from './board-policy-store';
import { PinnedKeys } from './pinned-keys';
import { RecentBundles } from './recent-bundles';
import { SettingsStore } from './settings-store';
import { SqliteHashCache } from './sqlite-hash-cache';

/** Everything a profile keeps, over one SQLite connection. */
export interface Store {
  readonly db: SqliteDatabase;
  readonly pinnedKeys: PinnedKeys;
  readonly boardPolicy: BoardPolicyStore;
  readonly recentBundles: RecentBundles;
  readonly settings: SettingsStore;
  readonly hashCache: SqliteHashCache;
  close(): void;
}

export function openStore(dataDir: string, options: OpenDatabaseOptions = {}): Store {
  const db = openDatabase(dataDir, options);
  return {
    db,
    pinnedKeys: new PinnedKeys(db),
    boardPolicy: new BoardPolicyStore(db),
    recentBundles: new RecentBundles(db),
    settings: new SettingsStore(db),
    hashCache: new SqliteHashCache(db),
    close: () => db.close(),
  };
}

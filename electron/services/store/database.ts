import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE_NAME = 'countersign.sqlite';

export interface OpenDatabaseOptions {
  /** Path of a better-sqlite3 build for another runtime (Electron); the Node build otherwise. */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the profile database in `dataDir` and brings its schema up to date.
 * Every connection gets the same pragmas: WAL for concurrent readers (the CLI and the app may
 * share a profile), synchronous=FULL so a committed approval or audit entry survives power loss,
 * and foreign keys on.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, DATABASE_FILE_NAME), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies each numbered migration above the stored `user_version`, each in its own transaction. */
export function applyMigrations(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`the database is at schema version ${current}, newer than this Countersign (${migrations.length}); update Countersign`);
  }
  for (let version = current + 1; version <= migrations.length; version++) {
    const sql = migrations[version - 1]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}

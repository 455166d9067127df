import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../../shared/errors/domain-error';
import { migrations } from './migrations';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE_NAME = 'countersign.sqlite';
/** How long a write waits for another process (the app or the CLI) holding the profile's write lock. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  /** Path of a better-sqlite3 build for another runtime (Electron); the Node build otherwise. */
  nativeBinding?: string;
  /** Told about a data directory or database file other users of this machine could read. */
  onWarning?: (message: string) => void;
}

/** Another process kept the profile's write lock for longer than BUSY_TIMEOUT_MS; nothing was changed. */
export class ProfileBusyError extends DomainError {
  constructor(what: string) {
    super('conflict', `The profile database is busy: another Countersign process (the app or the command line) kept writing to it for more than ${BUSY_TIMEOUT_MS / 1000} s, so ${what} was not saved. Nothing was changed; try again.`);
  }
}

/**
 * Opens (creating if needed) the profile database in `dataDir` and brings its schema up to date.
 * Every connection gets the same pragmas: WAL for concurrent readers (the CLI and the app may
 * share a profile), synchronous=FULL so a committed approval or audit entry survives power loss,
 * secure_delete so a removed key's sealed seed is overwritten rather than left in a free page,
 * and foreign keys on.
 *
 * The directory is created 0700 and the database files 0600 whatever the umask; an existing
 * directory others can read is reported through `onWarning`, not changed (it may be one the
 * person chose with --data-dir).
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const warn = options.onWarning ?? (() => {});
  prepareDataDir(dataDir, warn);
  const file = path.join(dataDir, DATABASE_FILE_NAME);
  // Created 0600 before SQLite sees it: SQLite gives the -wal and -shm files the database file's mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  restrictFile(file, warn);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    applyMigrations(db);
    for (const suffix of ['-wal', '-shm']) restrictFile(file + suffix, warn);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function prepareDataDir(dataDir: string, warn: (message: string) => void): void {
  if (!fs.existsSync(dataDir)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
    return;
  }
  const mode = fs.statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    warn(
      `The data directory ${dataDir} can be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}): they could copy the audit log and the sealed private keys. Restrict it with: chmod 700 '${dataDir}'`,
    );
  }
}

/** Sets a profile file to 0600; says so when it was open to others (its content may already have been copied). */
function restrictFile(file: string, warn: (message: string) => void): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (mode === 0o600) return;
  fs.chmodSync(file, 0o600);
  if ((mode & 0o077) !== 0) warn(`${file} could be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}); it is now 0600.`);
}

/**
 * Runs `fn` as one write transaction that begins IMMEDIATE: the write lock is taken first, so
 * the busy timeout applies (a transaction that reads before it writes cannot wait for the lock:
 * SQLite fails it at once when another process wrote in between). A busy error that still
 * comes through is retried until BUSY_TIMEOUT_MS has passed, then reported in plain words.
 * Nested inside another transaction it joins that one.
 */
export function writeTransaction<T>(db: SqliteDatabase, what: string, fn: () => T): T {
  if (db.inTransaction) return db.transaction(fn)();
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return db.transaction(fn).immediate();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) throw new ProfileBusyError(what);
      pause(25);
    }
  }
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));
function pause(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
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
      // Another process opening the same profile may have applied it meanwhile.
      if ((db.pragma('user_version', { simple: true }) as number) >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}

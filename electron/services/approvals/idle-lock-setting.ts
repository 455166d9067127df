import type { KeyStore } from '../keys/key-store';
import type { SqliteDatabase } from '../store/database';

const SETTING_KEY = 'keys.idleLockMs';

/**
 * The idle time after which unlocked keys lock again is the person's choice, kept in the profile's
 * settings table so it survives a restart. A stored value the KeyStore refuses is ignored.
 */
export function applyStoredIdleLock(db: SqliteDatabase, keys: KeyStore): void {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING_KEY) as { value: string } | undefined;
  if (row === undefined) return;
  try {
    keys.idleLockMs = Number(row.value);
  } catch {
    // Out of range or not a number: the default stays.
  }
}

export function storeIdleLock(db: SqliteDatabase, keys: KeyStore, ms: number): void {
  keys.idleLockMs = ms;
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(SETTING_KEY, String(ms));
}

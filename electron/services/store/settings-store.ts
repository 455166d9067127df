import type { Settings } from '../../../shared/api/contract';
import { writeTransaction, type SqliteDatabase } from './database';

const DEFAULTS: Settings = { demoKeysOfferAnswered: false };
const IDLE_LOCK_KEY = 'keys.idleLockMs';
const TRUSTED_ROOT_PREFIX = 'sigstore.trustedRoot.sha256:';

/** Per-profile settings. Each setting is a row; values are stored as JSON text. */
export class SettingsStore {
  constructor(private readonly db: SqliteDatabase) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored = new Map(rows.map((row) => [row.key, row.value]));
    return { demoKeysOfferAnswered: stored.has('demoKeysOfferAnswered') ? stored.get('demoKeysOfferAnswered') === 'true' : DEFAULTS.demoKeysOfferAnswered };
  }

  set(changes: { [K in keyof Settings]?: Settings[K] | undefined }): Settings {
    const upsert = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    writeTransaction(this.db, 'the settings', () => {
      if (changes.demoKeysOfferAnswered !== undefined) upsert.run('demoKeysOfferAnswered', String(changes.demoKeysOfferAnswered));
    });
    return this.get();
  }

  /** The idle time after which unlocked keys lock again, as stored; null when never set. */
  idleLockMs(): number | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(IDLE_LOCK_KEY) as { value: string } | undefined;
    return row === undefined ? null : Number(row.value);
  }

  /** The Sigstore trusted root held under its sha256 (hex), as imported (stored as base64 text); null when none is. */
  trustedRoot(sha256: string): Uint8Array | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(`${TRUSTED_ROOT_PREFIX}${sha256}`) as { value: string } | undefined;
    return row === undefined ? null : new Uint8Array(Buffer.from(row.value, 'base64'));
  }

  /** Keeps `bytes` under their sha256; the caller checked that a board policy pins that digest. */
  putTrustedRoot(sha256: string, bytes: Uint8Array): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(`${TRUSTED_ROOT_PREFIX}${sha256}`, Buffer.from(bytes).toString('base64'));
  }

  setIdleLockMs(ms: number): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(IDLE_LOCK_KEY, String(ms));
  }
}

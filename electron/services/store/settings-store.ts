import type { Settings } from '../../../shared/api/contract';
import { writeTransaction, type SqliteDatabase } from './database';

const DEFAULTS: Settings = { demoKeysOfferAnswered: false };

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
}

import type { PinnedKey } from '../../../shared/api/contract';
import type { SqliteDatabase } from './database';

interface PinnedKeyRow {
  key_id: string;
  name: string;
  public_key: string;
  pinned_at: string;
}

const toPinnedKey = (row: PinnedKeyRow): PinnedKey => ({ keyId: row.key_id, name: row.name, publicKey: row.public_key, pinnedAt: row.pinned_at });

/** Keys a person pinned on this machine, by key ID. The public key is stored as an OpenSSH line. */
export class PinnedKeys {
  constructor(private readonly db: SqliteDatabase) {}

  list(): PinnedKey[] {
    return (this.db.prepare('SELECT * FROM pinned_keys ORDER BY name, key_id').all() as PinnedKeyRow[]).map(toPinnedKey);
  }

  pin(key: Omit<PinnedKey, 'pinnedAt'>, now: Date = new Date()): PinnedKey {
    this.db
      .prepare(
        `INSERT INTO pinned_keys (key_id, name, public_key, pinned_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key_id) DO UPDATE SET name = excluded.name`,
      )
      .run(key.keyId, key.name, key.publicKey, now.toISOString());
    return toPinnedKey(this.db.prepare('SELECT * FROM pinned_keys WHERE key_id = ?').get(key.keyId) as PinnedKeyRow);
  }

  unpin(keyId: string): boolean {
    return this.db.prepare('DELETE FROM pinned_keys WHERE key_id = ?').run(keyId).changes > 0;
  }
}

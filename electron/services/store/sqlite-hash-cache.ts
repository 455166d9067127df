import type { FileIdentity, HashCache } from '../hashing/hash-cache';
import type { SqliteDatabase } from './database';

/**
 * Hash results that survive restarts, keyed by (path, size, mtime, inode, device): any change
 * to the file changes one of them, and a stale row is simply not a hit.
 */
export class SqliteHashCache implements HashCache {
  private readonly select;
  private readonly upsert;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare('SELECT size, mtime_ns, ino, dev, sha256 FROM hash_cache WHERE path = ?');
    this.upsert = db.prepare(
      `INSERT INTO hash_cache (path, size, mtime_ns, ino, dev, sha256) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, ino = excluded.ino, dev = excluded.dev, sha256 = excluded.sha256`,
    );
  }

  get(id: FileIdentity): string | undefined {
    const row = this.select.get(id.path) as { size: number; mtime_ns: string; ino: string; dev: string; sha256: string } | undefined;
    if (!row) return undefined;
    const same = row.size === id.size && row.mtime_ns === String(id.mtimeNs) && row.ino === String(id.ino) && row.dev === String(id.dev);
    return same ? row.sha256 : undefined;
  }

  set(id: FileIdentity, sha256: string): void {
    this.upsert.run(id.path, id.size, String(id.mtimeNs), String(id.ino), String(id.dev), sha256);
  }
}

import type { SqliteDatabase } from './database';

export interface StoredBoardPolicy {
  content: Uint8Array;
  digest: string;
  importedAt: string;
}

/** The one board policy this profile trusts, kept as the exact bytes imported (its digest binds approvals). */
export class BoardPolicyStore {
  constructor(private readonly db: SqliteDatabase) {}

  current(): StoredBoardPolicy | null {
    const row = this.db.prepare('SELECT content, digest, imported_at FROM board_policy WHERE id = 1').get() as
      | { content: Buffer; digest: string; imported_at: string }
      | undefined;
    return row ? { content: new Uint8Array(row.content), digest: row.digest, importedAt: row.imported_at } : null;
  }

  replace(content: Uint8Array, digest: string, now: Date = new Date()): StoredBoardPolicy {
    const importedAt = now.toISOString();
    this.db
      .prepare(
        `INSERT INTO board_policy (id, content, digest, imported_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET content = excluded.content, digest = excluded.digest, imported_at = excluded.imported_at`,
      )
      .run(Buffer.from(content), digest, importedAt);
    return { content, digest, importedAt };
  }
}

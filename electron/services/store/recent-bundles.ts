import type { RecentBundle } from '../../../shared/api/contract';
import type { Verdict } from '../../../shared/verify/report';
import { writeTransaction, type SqliteDatabase } from './database';

const KEEP = 20;

/** The Open Recent list: the last bundles opened, newest first, with the verdict they got. */
export class RecentBundles {
  constructor(private readonly db: SqliteDatabase) {}

  list(): RecentBundle[] {
    const rows = this.db.prepare('SELECT path, opened_at, verdict, release FROM recent_bundles ORDER BY opened_at DESC, path LIMIT ?').all(KEEP) as {
      path: string;
      opened_at: string;
      verdict: Verdict | null;
      release: string | null;
    }[];
    return rows.map((row) => ({ path: row.path, openedAt: row.opened_at, verdict: row.verdict, release: row.release }));
  }

  record(path: string, verdict: Verdict | null, release: string | null, now: Date = new Date()): void {
    writeTransaction(this.db, 'the recent bundles list', () => {
      this.db
        .prepare(
          `INSERT INTO recent_bundles (path, opened_at, verdict, release) VALUES (?, ?, ?, ?)
           ON CONFLICT (path) DO UPDATE SET opened_at = excluded.opened_at, verdict = excluded.verdict, release = excluded.release`,
        )
        .run(path, now.toISOString(), verdict, release);
      this.db.prepare('DELETE FROM recent_bundles WHERE path NOT IN (SELECT path FROM recent_bundles ORDER BY opened_at DESC LIMIT ?)').run(KEEP);
    });
  }
}

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLineage, type LoadedLineage } from './load-lineage';

/**
 * The most recently loaded lineage, so that the queries a view makes one after another (the
 * graph, then an impact per selected node) do not unpack and parse the bundle each time.
 * It is reused only while the files it came from look unchanged: size, modification time and
 * inode of an archive or lineage file, or of every file at a bundle folder's root and in its
 * approvals/ folder (where everything lineage reads lives, FORMATS §9).
 */
export class LineageCache {
  private last: { path: string; fingerprint: string; loaded: Promise<LoadedLineage> } | null = null;

  async get(path: string): Promise<LoadedLineage> {
    const fingerprint = await fingerprintOf(path);
    if (this.last && this.last.path === path && fingerprint !== null && this.last.fingerprint === fingerprint) return this.last.loaded;
    const loaded = loadLineage(path);
    this.last = fingerprint === null ? null : { path, fingerprint, loaded };
    // A failed load is not kept: the next query tries again.
    loaded.catch(() => {
      if (this.last?.loaded === loaded) this.last = null;
    });
    return loaded;
  }
}

async function fingerprintOf(path: string): Promise<string | null> {
  try {
    const stats = await stat(path);
    if (!stats.isDirectory()) return describe(stats);
    const parts: string[] = [];
    for (const folder of [path, join(path, 'approvals')]) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names.sort()) {
        const entry = await stat(join(folder, name)).catch(() => null);
        if (entry?.isFile()) parts.push(`${folder === path ? '' : 'approvals/'}${name}:${describe(entry)}`);
      }
    }
    return parts.join('\n');
  } catch {
    return null;
  }
}

function describe(stats: { size: number; mtimeMs: number; ino: number; dev: number }): string {
  return `${stats.size}/${stats.mtimeMs}/${stats.ino}/${stats.dev}`;
}

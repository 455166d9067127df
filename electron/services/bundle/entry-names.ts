import { displayName, refuseEntry } from './entry-path';
import type { EntryKind, EntryPath } from './entry-path';

interface Seen {
  kind: EntryKind;
  /** The path as the bundle spelled it, to tell an exact repeat from a twin. */
  spelling: string;
}

/**
 * The key two names collide under on macOS and Windows file systems, which ignore letter
 * case and (macOS) Unicode normalisation. Folding through upper case also catches twins
 * such as `ß` / `ss`; being stricter than any one file system is the safe side.
 */
function collisionKey(path: string): string {
  return path.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/**
 * Every name seen so far in one bundle. Refuses a repeated name, a twin that differs only in
 * case or Unicode normalisation, and a name used both as a file and as a directory: on
 * unpacking, each of those would overwrite or merge with another entry.
 */
export class EntryNames {
  private readonly seen = new Map<string, Seen>();

  add(path: EntryPath, kind: EntryKind, entryName: string): void {
    for (let depth = 1; depth < path.rawSegments.length; depth += 1) {
      this.record(path.rawSegments.slice(0, depth).join('/'), 'directory', entryName);
    }
    this.record(path.rawSegments.join('/'), kind, entryName);
  }

  private record(spelling: string, kind: EntryKind, entryName: string): void {
    const key = collisionKey(spelling);
    const earlier = this.seen.get(key);
    if (earlier === undefined) {
      this.seen.set(key, { kind, spelling });
      return;
    }
    if (earlier.kind !== kind) {
      refuseEntry(entryName, `${displayName(spelling)} is both a file and a directory in this bundle`);
    }
    if (earlier.spelling !== spelling) {
      refuseEntry(
        entryName,
        `${displayName(spelling)} and ${displayName(earlier.spelling)} differ only in letter case or Unicode normalisation, so they would overwrite each other on macOS and Windows`,
      );
    }
    // The same directory named twice (explicitly, or as the parent of several files) is normal.
    if (kind === 'file') refuseEntry(entryName, 'the bundle holds this name twice');
  }
}

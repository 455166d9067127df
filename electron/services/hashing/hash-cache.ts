// Remembers the SHA-256 of files that have not changed since they were hashed, so that
// re-verifying a bundle of GiB-sized blobs costs a stat per file instead of a full read.

/** Everything that changes when a file's content may have changed (from `fs.stat(path, { bigint: true })`). */
export interface FileIdentity {
  path: string;
  size: number;
  mtimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export interface HashCache {
  get(id: FileIdentity): string | undefined;
  set(id: FileIdentity, sha256: string): void;
}

/** The whole identity is the key: a file with a new size, mtime, inode or device is a miss. */
export function identityKey(id: FileIdentity): string {
  return `${id.dev}:${id.ino}:${id.size}:${id.mtimeNs}:${id.path}`;
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.dev === b.dev;
}

/** An in-memory cache that forgets the least recently used entry beyond `maxEntries`. */
export function createMemoryHashCache(maxEntries = 100_000): HashCache {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  // A Map iterates in insertion order: re-inserting on use keeps the oldest entry first.
  const entries = new Map<string, string>();
  return {
    get(id) {
      const key = identityKey(id);
      const sha256 = entries.get(key);
      if (sha256 !== undefined) {
        entries.delete(key);
        entries.set(key, sha256);
      }
      return sha256;
    },
    set(id, sha256) {
      const key = identityKey(id);
      entries.delete(key);
      entries.set(key, sha256);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
  };
}

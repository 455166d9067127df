import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHashPool, HashCancelledError, type FileToHash, type HashPool, type HashProgressUpdate } from './hash-files';
import { createMemoryHashCache, type FileIdentity, type HashCache } from './hash-cache';

const MiB = 1024 * 1024;
let dir: string;
let pool: HashPool;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hash-files-test-'));
  pool = createHashPool({ workers: 2 });
});

afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
/** Writes random bytes and returns the file with the digest of a one-shot hash of the whole content. */
function writeRandomFile(size: number): FileToHash & { sha256: string } {
  const content = randomBytes(size);
  const filePath = path.join(dir, `file-${fileCounter++}.bin`);
  writeFileSync(filePath, content);
  return { path: filePath, size, sha256: createHash('sha256').update(content).digest('hex') };
}

/**
 * Sparse files far too large to hash within the test's timeout, using almost no disk: a test
 * that hashes them only finishes if the workers stop between chunks on cancel.
 */
function makeHugeSparseFiles(count: number): FileToHash[] {
  return Array.from({ length: count }, () => {
    const filePath = path.join(dir, `sparse-${fileCounter++}.bin`);
    writeFileSync(filePath, '');
    truncateSync(filePath, 64 * 1024 * MiB);
    return { path: filePath, size: 64 * 1024 * MiB };
  });
}

function expectedDigests(files: { path: string; sha256: string }[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.sha256]));
}

describe('createHashPool().hashFiles', () => {
  it('matches a one-shot SHA-256 around the 1 MiB read size and at random sizes', async () => {
    const sizes = [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 12_345, randomInt(1, 5 * MiB), randomInt(1, 64 * 1024)];
    const files = sizes.map(writeRandomFile);
    const digests = await pool.hashFiles(files);
    expect(digests).toEqual(expectedDigests(files));
  });

  it('hashes thousands of small files, batched across workers', async () => {
    const files = Array.from({ length: 2_000 }, () => writeRandomFile(randomInt(0, 4096)));
    const digests = await pool.hashFiles(files);
    expect(digests).toEqual(expectedDigests(files));
  });

  it('returns an empty map for no files', async () => {
    expect(await pool.hashFiles([])).toEqual(new Map());
  });

  it('reports monotonic progress that ends at the totals', async () => {
    const files = [...[9 * MiB, 5 * MiB, 0].map(writeRandomFile), ...Array.from({ length: 300 }, () => writeRandomFile(randomInt(0, 2048)))];
    const updates: HashProgressUpdate[] = [];
    await pool.hashFiles(files, { onProgress: (p) => updates.push(p) });

    const bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) expect(update).toMatchObject({ bytesTotal, filesTotal: files.length });
    for (let i = 1; i < updates.length; i++) {
      expect(updates[i]!.bytesDone).toBeGreaterThanOrEqual(updates[i - 1]!.bytesDone);
      expect(updates[i]!.filesDone).toBeGreaterThanOrEqual(updates[i - 1]!.filesDone);
    }
    expect(updates.at(-1)).toEqual({ bytesDone: bytesTotal, bytesTotal, filesDone: files.length, filesTotal: files.length });
  });

  it('stops on cancel with HashCancelledError before finishing, and stays usable', async () => {
    const huge = makeHugeSparseFiles(2);
    const controller = new AbortController();
    const updates: HashProgressUpdate[] = [];
    const hashing = pool.hashFiles(huge, {
      signal: controller.signal,
      onProgress: (p) => {
        updates.push(p);
        if (p.bytesDone > 0) controller.abort();
      },
    });

    await expect(hashing).rejects.toBeInstanceOf(HashCancelledError);
    const last = updates.at(-1)!;
    expect(last.filesDone).toBe(0);
    expect(last.bytesDone).toBeLessThan(last.bytesTotal);

    const afterCancel = writeRandomFile(2 * MiB);
    expect(await pool.hashFiles([afterCancel])).toEqual(expectedDigests([afterCancel]));
  });

  it('cancels one job without disturbing another queued on the same pool', async () => {
    const controller = new AbortController();
    const cancelled = pool.hashFiles(makeHugeSparseFiles(2), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone > 0) controller.abort();
      },
    });
    const others = [writeRandomFile(MiB), writeRandomFile(10)];
    const queuedBehind = pool.hashFiles(others);

    await expect(cancelled).rejects.toBeInstanceOf(HashCancelledError);
    expect(await queuedBehind).toEqual(expectedDigests(others));
  });

  it('rejects with the error that onProgress threw', async () => {
    const files = [writeRandomFile(3 * MiB)];
    const hashing = pool.hashFiles(files, {
      onProgress: (p) => {
        if (p.bytesDone > 0) throw new Error('progress view gone');
      },
    });
    await expect(hashing).rejects.toThrow('progress view gone');
  });

  it('rejects at once when the signal is already aborted', async () => {
    const file = writeRandomFile(10);
    await expect(pool.hashFiles([file], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(HashCancelledError);
  });

  it('names a file that does not exist', async () => {
    const missing = path.join(dir, 'no-such-file.bin');
    const files = [writeRandomFile(100), { path: missing, size: 5 }];
    await expect(pool.hashFiles(files)).rejects.toThrow(`Cannot read ${missing}: no such file or directory`);
  });

  it('names a path that cannot be read as a file', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    await expect(pool.hashFiles([{ path: folder, size: 0 }])).rejects.toThrow(folder);
  });

  it('refuses work after close', async () => {
    const closedPool = createHashPool({ workers: 1 });
    const file = writeRandomFile(10);
    expect(await closedPool.hashFiles([file])).toEqual(expectedDigests([file]));
    await closedPool.close();
    await expect(closedPool.hashFiles([file])).rejects.toThrow('closed');
  });
});

describe('hashFiles with a cache', () => {
  function countingCache(): HashCache & { stored: FileIdentity[] } {
    const inner = createMemoryHashCache();
    const stored: FileIdentity[] = [];
    return {
      stored,
      get: (id) => inner.get(id),
      set: (id, sha256) => {
        stored.push(id);
        inner.set(id, sha256);
      },
    };
  }

  function identityOf(filePath: string): FileIdentity {
    const stats = statSync(filePath, { bigint: true });
    return { path: filePath, size: Number(stats.size), mtimeNs: stats.mtimeNs, ino: stats.ino, dev: stats.dev };
  }

  it('stores each hashed file under its identity and answers later requests from the cache', async () => {
    const cache = countingCache();
    const files = [writeRandomFile(3 * MiB), writeRandomFile(10)];
    expect(await pool.hashFiles(files, { cache })).toEqual(expectedDigests(files));
    expect(cache.stored).toEqual(files.map((f) => identityOf(f.path)));

    const updates: HashProgressUpdate[] = [];
    expect(await pool.hashFiles(files, { cache, onProgress: (p) => updates.push(p) })).toEqual(expectedDigests(files));
    expect(cache.stored).toHaveLength(2); // Nothing was hashed again.
    expect(updates.at(-1)).toMatchObject({ bytesDone: 3 * MiB + 10, filesDone: 2 });
  });

  it('does not read a file whose identity is cached', async () => {
    const cache = createMemoryHashCache();
    const file = writeRandomFile(1000);
    const planted = 'ab'.repeat(32);
    cache.set(identityOf(file.path), planted);
    expect((await pool.hashFiles([file], { cache })).get(file.path)).toBe(planted);
  });

  it('re-hashes a file whose mtime or size changed', async () => {
    const cache = countingCache();
    const file = writeRandomFile(1000);
    await pool.hashFiles([file], { cache });

    // Same size, new content and a new mtime.
    const sameSize = randomBytes(1000);
    writeFileSync(file.path, sameSize);
    utimesSync(file.path, new Date(), new Date(Date.now() + 60_000));
    const afterEdit = await pool.hashFiles([file], { cache });
    expect(afterEdit.get(file.path)).toBe(createHash('sha256').update(sameSize).digest('hex'));

    // New size.
    const longer = randomBytes(2000);
    writeFileSync(file.path, longer);
    const afterGrowth = await pool.hashFiles([{ path: file.path, size: 2000 }], { cache });
    expect(afterGrowth.get(file.path)).toBe(createHash('sha256').update(longer).digest('hex'));
    expect(cache.stored).toHaveLength(3);
  });
});

describe('hashRanges', () => {
  it('digests byte ranges of one file across the workers, in the order asked, with sha256 and blake2b-512', async () => {
    const content = randomBytes(9 * MiB + 123);
    const filePath = path.join(dir, `ranges-${fileCounter++}.bin`);
    writeFileSync(filePath, content);
    const bounds = [
      [0, 4 * MiB],
      [4 * MiB, 8 * MiB],
      [8 * MiB, 9 * MiB + 123],
      [5, 6],
    ] as const;
    const ranges = bounds.flatMap(([start, end]) => (['sha256', 'blake2b512'] as const).map((algorithm) => ({ path: filePath, start, end, algorithm })));
    const digests = await pool.hashRanges([...ranges, { path: filePath, start: 0, end: null, algorithm: 'sha256', sizeHint: content.length }]);
    expect(digests).toEqual([
      ...ranges.map(({ start, end, algorithm }) => ({ hex: createHash(algorithm).update(content.subarray(start, end)).digest('hex'), bytes: end - start })),
      { hex: createHash('sha256').update(content).digest('hex'), bytes: content.length },
    ]);
  });

  it('reports how many bytes a range covered when the file is shorter than the range', async () => {
    const file = writeRandomFile(1000);
    const [digest] = await pool.hashRanges([{ path: file.path, start: 500, end: 2000, algorithm: 'sha256' }]);
    expect(digest!.bytes).toBe(500);
  });

  it('refuses a range that ends before it starts, and names the file a worker cannot read', async () => {
    await expect(pool.hashRanges([{ path: 'x', start: 10, end: 5, algorithm: 'sha256' }])).rejects.toThrow(/Not a byte range/);
    await expect(pool.hashRanges([{ path: path.join(dir, 'absent.bin'), start: 0, end: 10, algorithm: 'sha256' }])).rejects.toThrow(/absent\.bin/);
  });
});

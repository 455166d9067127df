import { describe, expect, it } from 'vitest';
import { createMemoryHashCache, type FileIdentity } from './hash-cache';

const identity: FileIdentity = { path: '/data/model.bin', size: 42, mtimeNs: 1_700_000_000_123_456_789n, ino: 77n, dev: 3n };
const digest = 'a'.repeat(64);

describe('createMemoryHashCache', () => {
  it('returns the digest stored for the same identity', () => {
    const cache = createMemoryHashCache();
    cache.set(identity, digest);
    expect(cache.get({ ...identity })).toBe(digest);
  });

  it.each([
    ['path', { path: '/data/other.bin' }],
    ['size', { size: 43 }],
    ['mtime (by one nanosecond)', { mtimeNs: identity.mtimeNs + 1n }],
    ['inode', { ino: 78n }],
    ['device', { dev: 4n }],
  ])('misses when the %s differs', (_field, change) => {
    const cache = createMemoryHashCache();
    cache.set(identity, digest);
    expect(cache.get({ ...identity, ...change })).toBeUndefined();
  });

  it('forgets the least recently used entry beyond its capacity', () => {
    const cache = createMemoryHashCache(2);
    const first = { ...identity, path: '/1' };
    const second = { ...identity, path: '/2' };
    const third = { ...identity, path: '/3' };
    cache.set(first, '1');
    cache.set(second, '2');
    expect(cache.get(first)).toBe('1'); // Now the second is the oldest.
    cache.set(third, '3');
    expect(cache.get(second)).toBeUndefined();
    expect(cache.get(first)).toBe('1');
    expect(cache.get(third)).toBe('3');
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => createMemoryHashCache(0)).toThrow('maxEntries');
  });
});

import { describe, expect, it } from 'vitest';
import { newestFirst } from './inbox-order';

const item = (name: string | null, createdAt: string | null, manifestDigest = name ?? 'x') => ({ name, createdAt, manifestDigest });

describe('the inbox order', () => {
  it('lists the newest release first, whatever order the board listed them in', () => {
    const listed = [item('m90', '2026-11-01T09:00:00Z'), item('m92', '2026-11-20T09:00:00Z'), item('m91', '2026-11-10T09:00:00Z')];
    expect(newestFirst(listed).map((entry) => entry.name)).toEqual(['m92', 'm91', 'm90']);
  });

  it('puts releases with no readable creation time last, and breaks ties by name then digest', () => {
    const listed = [item('b', null), item('z', 'not a time'), item('a', '2026-11-01T09:00:00Z', 'd2'), item('a', '2026-11-01T09:00:00Z', 'd1'), item('c', '2026-11-02T00:00:00Z')];
    expect(newestFirst(listed).map((entry) => `${entry.name}/${entry.manifestDigest}`)).toEqual(['c/c', 'a/d1', 'a/d2', 'b/b', 'z/z']);
  });

  it('leaves the list it was given as it was', () => {
    const listed = [item('old', '2026-01-01T00:00:00Z'), item('new', '2026-12-01T00:00:00Z')];
    newestFirst(listed);
    expect(listed.map((entry) => entry.name)).toEqual(['old', 'new']);
  });
});

import type { CompactLineage } from './compact-lineage';

/** Most paths a path query returns. */
export const MAX_LINEAGE_PATHS = 100;
/** Longest path a path query follows, in edges: far longer than any real pipeline. */
export const MAX_LINEAGE_PATH_EDGES = 256;

export interface PathLimits {
  /** Most paths returned. */
  maxPaths: number;
  /** Longest path followed, in edges. */
  maxEdges: number;
  /** Most partial paths expanded before giving up: bounds the work on graphs dense with paths. */
  maxExpansions: number;
}

export interface PathsFound {
  /** Node indexes from `from` to `to`, shortest first (ties in node order). */
  paths: number[][];
  /** True when more paths exist than were returned, including when every path is longer than maxEdges. */
  truncated: boolean;
}

/**
 * The paths from one node to another, shortest first. Enumerating every path is exponential
 * (a lineage of n diamonds in a row has 2^n), so the count and the length are capped.
 *
 * Best-first search over partial paths, keyed by length so far plus the exact remaining
 * distance (a breadth-first search back from `to`): every partial path expanded extends to a
 * complete one, so no work is spent on dead ends, and paths come out in order of length.
 * Among equally long candidates the deepest goes first, so ties finish paths rather than
 * widening every prefix at once. The lineage is acyclic, so every path is simple.
 */
export function findPaths(lineage: CompactLineage, from: number, to: number, limits: PathLimits): PathsFound {
  const remaining = lineage.distancesFrom(to, 'upstream');
  const shortest = remaining[from]!;
  if (shortest < 0) return { paths: [], truncated: false };
  if (shortest > limits.maxEdges) return { paths: [], truncated: true };

  // Partial paths as a tree: entry e ends at node[e], its prefix is entry parent[e].
  const node: number[] = [from];
  const parent: number[] = [-1];
  const depth: number[] = [0];
  const heap = new EntryHeap((a, b) => {
    const byLength = depth[a]! + remaining[node[a]!]! - (depth[b]! + remaining[node[b]!]!);
    return byLength !== 0 ? byLength : depth[b]! - depth[a]! || a - b;
  });
  heap.push(0);

  const paths: number[][] = [];
  let expansions = 0;
  let cutByLength = false;
  while (heap.size > 0) {
    if (paths.length === limits.maxPaths || expansions === limits.maxExpansions) return { paths: inOrder(paths), truncated: true };
    const entry = heap.pop();
    const at = node[entry]!;
    if (at === to) {
      paths.push(unwind(entry, node, parent));
      continue;
    }
    expansions++;
    const nextDepth = depth[entry]! + 1;
    for (const next of lineage.neighbours(at, 'downstream')) {
      const left = remaining[next]!;
      if (left < 0) continue;
      if (nextDepth + left > limits.maxEdges) {
        cutByLength = true;
        continue;
      }
      node.push(next);
      parent.push(entry);
      depth.push(nextDepth);
      heap.push(node.length - 1);
    }
  }
  return { paths: inOrder(paths), truncated: cutByLength };
}

/** Shortest first; equally long paths in node order, so that the answer does not depend on the search. */
function inOrder(paths: number[][]): number[][] {
  return paths.sort((a, b) => {
    if (a.length !== b.length) return a.length - b.length;
    const differs = a.findIndex((node, index) => node !== b[index]);
    return differs < 0 ? 0 : a[differs]! - b[differs]!;
  });
}

function unwind(entry: number, node: readonly number[], parent: readonly number[]): number[] {
  const path: number[] = [];
  for (let at = entry; at !== -1; at = parent[at]!) path.push(node[at]!);
  return path.reverse();
}

/** A binary min-heap of entry numbers under a comparison. */
class EntryHeap {
  private readonly items: number[] = [];

  constructor(private readonly compare: (a: number, b: number) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: number): void {
    const { items } = this;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const up = (index - 1) >> 1;
      if (this.compare(items[index]!, items[up]!) >= 0) break;
      [items[index], items[up]] = [items[up]!, items[index]!];
      index = up;
    }
  }

  pop(): number {
    const { items } = this;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < items.length && this.compare(items[left]!, items[smallest]!) < 0) smallest = left;
        if (right < items.length && this.compare(items[right]!, items[smallest]!) < 0) smallest = right;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest]!, items[index]!];
        index = smallest;
      }
    }
    return top;
  }
}

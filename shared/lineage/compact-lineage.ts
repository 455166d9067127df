import type { LineageGraph } from './lineage-graph';

export type LineageDirection = 'downstream' | 'upstream';

/** Nodes reached from a root, in breadth-first order, with their distance in hops. */
export interface Reach {
  /** Node indexes, nearest first; the root is not included. */
  nodes: Int32Array;
  /** `hops[i]` is the distance of `nodes[i]` from the root. */
  hops: Int32Array;
}

/**
 * The graph's adjacency in compressed sparse rows, both directions: the successors of node i
 * are `outTargets[outOffsets[i] .. outOffsets[i + 1])`, its predecessors likewise in `in*`.
 * Built once per graph. Queries touch only typed arrays, which is what keeps a breadth-first
 * search over 100,000 nodes in milliseconds (Maps and Sets of strings are some 30 times slower).
 */
export class CompactLineage {
  readonly nodeCount: number;
  readonly edgeCount: number;
  private readonly indexById: ReadonlyMap<string, number>;
  private readonly outOffsets: Int32Array;
  private readonly outTargets: Int32Array;
  private readonly inOffsets: Int32Array;
  private readonly inTargets: Int32Array;
  // Scratch for queries, reused: a node is visited when its stamp equals the query's.
  private readonly visitStamp: Uint32Array;
  private readonly distance: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;

  /**
   * `ids[i]` is node i; edge e runs from node `from[e]` to node `to[e]`. `indexById` maps
   * each id to its index, when the caller has it already.
   */
  constructor(readonly ids: readonly string[], from: Int32Array, to: Int32Array, indexById?: ReadonlyMap<string, number>) {
    const count = ids.length;
    this.nodeCount = count;
    this.edgeCount = from.length;
    this.indexById = indexById ?? new Map(ids.map((id, index) => [id, index]));
    [this.outOffsets, this.outTargets] = buildRows(count, from, to);
    [this.inOffsets, this.inTargets] = buildRows(count, to, from);
    this.visitStamp = new Uint32Array(count);
    this.distance = new Int32Array(count);
    this.queue = new Int32Array(count);
  }

  /** Every edge must name existing nodes. */
  static fromGraph(graph: LineageGraph): CompactLineage {
    const ids = graph.nodes.map((node) => node.id);
    const indexById = new Map(ids.map((id, index) => [id, index]));
    const indexOf = (id: string): number => {
      const index = indexById.get(id);
      if (index === undefined) throw new RangeError(`no node with id ${JSON.stringify(id)}`);
      return index;
    };
    const from = new Int32Array(graph.edges.length);
    const to = new Int32Array(graph.edges.length);
    graph.edges.forEach((edge, index) => {
      from[index] = indexOf(edge.from);
      to[index] = indexOf(edge.to);
    });
    return new CompactLineage(ids, from, to, indexById);
  }

  /** The node's index, or -1 when no node has this id. */
  indexOf(id: string): number {
    return this.indexById.get(id) ?? -1;
  }

  idOf(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`no node at index ${index}`);
    return id;
  }

  /** Successors (downstream) or predecessors (upstream) of a node. */
  neighbours(index: number, direction: LineageDirection): Int32Array {
    const [offsets, targets] = direction === 'downstream' ? [this.outOffsets, this.outTargets] : [this.inOffsets, this.inTargets];
    return targets.subarray(offsets[index]!, offsets[index + 1]!);
  }

  /** Everything downstream or upstream of `root`, breadth first, with distances in hops. */
  reach(root: number, direction: LineageDirection): Reach {
    const visited = this.search(root, direction);
    const nodes = this.queue.slice(1, visited);
    const hops = new Int32Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) hops[i] = this.distance[nodes[i]!]!;
    return { nodes, hops };
  }

  /** Distance in hops from `root` to every node in one direction; -1 where unreachable. */
  distancesFrom(root: number, direction: LineageDirection): Int32Array {
    const visited = this.search(root, direction);
    const distances = new Int32Array(this.nodeCount).fill(-1);
    for (let i = 0; i < visited; i++) {
      const node = this.queue[i]!;
      distances[node] = this.distance[node]!;
    }
    return distances;
  }

  /**
   * The nodes of one cycle in edge order (`a → b → c → a` gives [a, b, c], starting from its
   * lowest index), or null when the
   * graph is acyclic. Kahn's algorithm removes every node not on or behind a cycle; each node
   * left has a predecessor also left, so walking predecessors must come round to a cycle.
   */
  findCycle(): number[] | null {
    const count = this.nodeCount;
    const inDegree = new Int32Array(count);
    for (let node = 0; node < count; node++) inDegree[node] = this.inOffsets[node + 1]! - this.inOffsets[node]!;
    let head = 0;
    let tail = 0;
    for (let node = 0; node < count; node++) if (inDegree[node] === 0) this.queue[tail++] = node;
    while (head < tail) {
      const node = this.queue[head++]!;
      for (const next of this.neighbours(node, 'downstream')) if (--inDegree[next]! === 0) this.queue[tail++] = next;
    }
    if (tail === count) return null;

    const start = inDegree.findIndex((degree) => degree > 0);
    const seenAt = new Map<number, number>();
    const walk: number[] = [];
    let node = start;
    while (!seenAt.has(node)) {
      seenAt.set(node, walk.length);
      walk.push(node);
      node = this.neighbours(node, 'upstream').find((previous) => inDegree[previous]! > 0)!;
    }
    // The walk went against the edges: reverse the loop to read it in edge order, from its
    // earliest node so that the same cycle is always told the same way.
    const cycle = walk.slice(seenAt.get(node)!).reverse();
    const first = cycle.indexOf(cycle.reduce((lowest, index) => Math.min(lowest, index)));
    return [...cycle.slice(first), ...cycle.slice(0, first)];
  }

  /** Breadth-first from root; leaves the visit order in `queue[0 .. visited)` and returns `visited`. */
  private search(root: number, direction: LineageDirection): number {
    if (root < 0 || root >= this.nodeCount) throw new RangeError(`no node at index ${root}`);
    const [offsets, targets] = direction === 'downstream' ? [this.outOffsets, this.outTargets] : [this.inOffsets, this.inTargets];
    const { queue, distance, visitStamp } = this;
    const stamp = this.nextStamp();
    queue[0] = root;
    distance[root] = 0;
    visitStamp[root] = stamp;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const node = queue[head++]!;
      const hops = distance[node]! + 1;
      for (let edge = offsets[node]!, end = offsets[node + 1]!; edge < end; edge++) {
        const next = targets[edge]!;
        if (visitStamp[next] === stamp) continue;
        visitStamp[next] = stamp;
        distance[next] = hops;
        queue[tail++] = next;
      }
    }
    return tail;
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.visitStamp.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}

/** Rows of `to` grouped by `from`, each row in ascending target order so that results are deterministic. */
function buildRows(count: number, from: Int32Array, to: Int32Array): [Int32Array, Int32Array] {
  const offsets = new Int32Array(count + 1);
  for (const node of from) offsets[node + 1]!++;
  for (let node = 0; node < count; node++) offsets[node + 1]! += offsets[node]!;
  const targets = new Int32Array(from.length);
  const fill = offsets.slice(0, count);
  for (let edge = 0; edge < from.length; edge++) targets[fill[from[edge]!]!++] = to[edge]!;
  for (let node = 0; node < count; node++) sortRow(targets, offsets[node]!, offsets[node + 1]!);
  return [offsets, targets];
}

/** Insertion sort of `values[start .. end)`: rows are short, and a subarray per row would cost more than the sort. */
function sortRow(values: Int32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const value = values[i]!;
    let j = i - 1;
    while (j >= start && values[j]! > value) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = value;
  }
}

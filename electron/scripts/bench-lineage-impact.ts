// `npm run bench -- lineage`, impact part: the impact query on a generated pipeline-shaped
// graph of 100,000 nodes and about 150,000 edges, against the same breadth-first search over
// Map and Set adjacency, measured in the same run.
import { availableParallelism } from 'node:os';
import { syntheticLineage } from '../../shared/lineage/layout/synthetic-lineage';
import type { LineageGraph } from '../../shared/lineage/lineage-graph';
import { impactOf } from '../../shared/lineage/lineage-queries';
import { mergeLineage } from '../../shared/lineage/merge-lineage';
import { NO_RELEASE_KNOWLEDGE } from '../../shared/lineage/release-knowledge';

const NODES = 100_000;
const EDGES_PER_NODE = 1.5;
const WARM_UP_RUNS = 3;
const RUNS = 15;
const AIM_MS = 10;

export async function benchLineageImpact(scale = 1): Promise<void> {
  const nodeCount = Math.max(10, Math.round(NODES * scale));
  const graph = syntheticLineage(nodeCount, { edgesPerNode: EDGES_PER_NODE });
  console.log(`\nlineage impact: node ${process.version}, ${availableParallelism()} cores; ${graph.nodes.length.toLocaleString('en')} nodes, ${graph.edges.length.toLocaleString('en')} edges`);

  const source = { file: 'generated', nodes: graph.nodes.map((node) => ({ ...node, kindDeclared: true, linkSubjectByName: false, location: node.id })), edges: graph.edges.map((edge) => ({ ...edge, location: 'generated' })), findings: [] };
  const built = timeOnce(() => mergeLineage([source]));
  const lineage = built.result;
  const adjacency = timeOnce(() => mapAdjacency(graph));
  console.log(`built once per graph: the merged, checked graph (edge ids, duplicates, cycles) with its compact adjacency ${built.ms.toFixed(0)} ms; Map/Set adjacency alone ${adjacency.ms.toFixed(0)} ms`);

  // The widest query: a source whose downstream reaches the most nodes.
  const { compact } = lineage;
  const sources = graph.nodes.filter((node) => node.kind === 'source').slice(0, 50);
  const root = sources.reduce((widest, node) => (compact.reach(compact.indexOf(node.id), 'downstream').nodes.length > compact.reach(compact.indexOf(widest.id), 'downstream').nodes.length ? node : widest));
  const rootIndex = compact.indexOf(root.id);

  const typed = timeRuns(() => compact.reach(rootIndex, 'downstream').nodes.length);
  const baseline = timeRuns(() => mapBreadthFirst(adjacency.result, root.id).size - 1);
  const report = timeRuns(() => impactOf(lineage, root.id, 'downstream', NO_RELEASE_KNOWLEDGE).affected.length);
  if (typed.reached !== baseline.reached || typed.reached !== report.reached) {
    throw new Error(`the searches disagree: typed arrays reach ${typed.reached} nodes, Map/Set ${baseline.reached}, the impact report ${report.reached}`);
  }

  console.log(`\ndownstream of ${root.id}: ${typed.reached.toLocaleString('en')} nodes reached; ${RUNS} runs after ${WARM_UP_RUNS} warm-up runs\n`);
  const ratio = (ms: number): string => `${(baseline.median / ms).toFixed(1)}×`;
  printTable(
    ['query', 'best ms', 'median ms', 'vs Map/Set', 'aim', 'met'],
    [
      ['breadth-first search, typed arrays (CSR)', typed.best.toFixed(2), typed.median.toFixed(2), ratio(typed.median), `< ${AIM_MS} ms`, typed.median < AIM_MS ? 'yes' : 'NO'],
      ['breadth-first search, Map/Set (baseline)', baseline.best.toFixed(2), baseline.median.toFixed(2), '1.0×', '', ''],
      ['impact report (search + one row per node)', report.best.toFixed(2), report.median.toFixed(2), ratio(report.median), '', ''],
    ],
  );
}

function mapAdjacency(graph: LineageGraph): Map<string, string[]> {
  const adjacency = new Map<string, string[]>();
  for (const node of graph.nodes) adjacency.set(node.id, []);
  for (const edge of graph.edges) adjacency.get(edge.from)!.push(edge.to);
  return adjacency;
}

/** The baseline: the same search over string ids, with a Map of distances as the visited set. */
function mapBreadthFirst(adjacency: Map<string, string[]>, root: string): Map<string, number> {
  const distance = new Map<string, number>([[root, 0]]);
  const queue = [root];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const hops = distance.get(node)! + 1;
    for (const next of adjacency.get(node)!) {
      if (distance.has(next)) continue;
      distance.set(next, hops);
      queue.push(next);
    }
  }
  return distance;
}

function timeOnce<T>(operation: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = operation();
  return { ms: performance.now() - started, result };
}

function timeRuns(query: () => number): { best: number; median: number; reached: number } {
  let reached = 0;
  for (let run = 0; run < WARM_UP_RUNS; run++) reached = query();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    reached = query();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]!, reached };
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}

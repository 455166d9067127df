import type { LineageEdge, LineageGraph, LineageNode, LineageNodeKind } from '../lineage-graph';

/**
 * Synthetic pipeline-shaped lineage graphs for the layout benchmark and the large-graph tests:
 * sources on the left, deployments on the right, about √n / 5 layers, every node fed from an
 * earlier layer (mostly the one before it, sometimes further back), `edgesPerNode` edges per node.
 * Seeded, so every run of a benchmark or test sees the same graph.
 */
export function syntheticLineage(nodeCount: number, { edgesPerNode = 1.5, seed = 1 }: { edgesPerNode?: number; seed?: number } = {}): LineageGraph {
  const random = mulberry32(seed);
  const layerCount = Math.max(2, Math.round(Math.sqrt(nodeCount) / 5));
  const layerOf = (index: number) => Math.min(layerCount - 1, Math.floor((index * layerCount) / nodeCount));
  const firstOfLayer = (l: number) => Math.ceil((l * nodeCount) / layerCount);
  const width = String(nodeCount - 1).length;

  const nodes: LineageNode[] = [];
  for (let index = 0; index < nodeCount; index++) {
    const kind = kindOfLayer(layerOf(index), layerCount);
    nodes.push({ id: `n${String(index).padStart(width, '0')}`, kind, name: `${kind} ${index}`, version: null, subject: null });
  }

  const edges: LineageEdge[] = [];
  const seen = new Set<number>();
  const addEdgeInto = (to: number): boolean => {
    const l = layerOf(to);
    const fromLayer = random() < 0.8 ? l - 1 : Math.floor(random() * l);
    const first = firstOfLayer(fromLayer);
    const from = first + Math.floor(random() * (firstOfLayer(fromLayer + 1) - first));
    const key = from * nodeCount + to;
    if (seen.has(key)) return false;
    seen.add(key);
    edges.push({ from: nodes[from]!.id, to: nodes[to]!.id });
    return true;
  };

  const firstFed = firstOfLayer(1);
  if (firstFed >= nodeCount) return { nodes, edges };
  for (let to = firstFed; to < nodeCount; to++) addEdgeInto(to);
  const wanted = Math.round(nodeCount * edgesPerNode);
  for (let attempts = 0; edges.length < wanted && attempts < wanted * 4; attempts++) {
    addEdgeInto(firstFed + Math.floor(random() * (nodeCount - firstFed)));
  }
  return { nodes, edges };
}

const MIDDLE_KINDS: readonly LineageNodeKind[] = ['dataset', 'transform', 'features', 'training', 'model'];

function kindOfLayer(l: number, layerCount: number): LineageNodeKind {
  if (l === 0) return 'source';
  if (l === layerCount - 1) return 'deployment';
  return MIDDLE_KINDS[(l - 1) % MIDDLE_KINDS.length]!;
}

/** A small, fast, seeded PRNG (public domain); uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import type { Finding } from '../verify/report';
import { CompactLineage } from './compact-lineage';
import type { ImportedLineage, ImportedNode } from './imported-lineage';
import { LineageError } from './lineage-error';
import type { LineageEdge, LineageGraph, LineageNode } from './lineage-graph';

/** A checked graph, ready for queries. */
export interface Lineage {
  graph: LineageGraph;
  compact: CompactLineage;
  /** The lineage files read, in the order they were merged. */
  sourceFiles: string[];
  findings: Finding[];
}

export interface MergeOptions {
  /** The names of the manifest's subjects, when a manifest is known: nodes link to them. */
  subjectNames?: ReadonlySet<string> | null;
}

/**
 * Merges lineage sources into one graph: the same id is the same node. Throws a LineageError
 * naming the file and place when an edge names an unknown node or the graph has a cycle.
 * Kind conflicts between sources are findings: a kind a source declares wins over one an
 * importer chose, and between two declared kinds the first source read wins.
 */
export function mergeLineage(sources: readonly ImportedLineage[], options: MergeOptions = {}): Lineage {
  const findings: Finding[] = sources.flatMap((source) => source.findings);
  const nodes: ImportedNode[] = [];
  const indexById = new Map<string, number>();
  for (const source of sources) {
    for (const node of source.nodes) {
      const index = indexById.get(node.id);
      if (index === undefined) {
        indexById.set(node.id, nodes.length);
        nodes.push(copyNode(node));
      } else {
        mergeInto(nodes[index]!, node, findings);
      }
    }
  }

  const { edges, from, to } = checkedEdges(sources, indexById, nodes.length);
  const graph: LineageGraph = { nodes: nodes.map((node) => linkedNode(node, options.subjectNames ?? null, findings)), edges };
  const compact = new CompactLineage(
    nodes.map((node) => node.id),
    from,
    to,
    indexById,
  );
  const cycle = compact.findCycle();
  if (cycle) {
    const ids = cycle.map((index) => compact.idOf(index));
    throw new LineageError(sources.map((source) => source.file).join(', '), `the lineage has a cycle: ${[...ids, ids[0]].map((id) => JSON.stringify(id)).join(' → ')}`);
  }
  return { graph, compact, sourceFiles: sources.map((source) => source.file), findings };
}

/** Every edge once, as ids and as node indexes; an edge naming an unknown node, or a node itself, is refused. */
function checkedEdges(sources: readonly ImportedLineage[], indexById: ReadonlyMap<string, number>, nodeCount: number): { edges: LineageEdge[]; from: Int32Array; to: Int32Array } {
  const total = sources.reduce((sum, source) => sum + source.edges.length, 0);
  const from = new Int32Array(total);
  const to = new Int32Array(total);
  const edges: LineageEdge[] = [];
  // An edge's key is a number, from * nodeCount + to: exact below 2^53, far cheaper than strings.
  const seen = new Set<number>();
  for (const source of sources) {
    for (const edge of source.edges) {
      const fromIndex = indexById.get(edge.from);
      if (fromIndex === undefined) throw unknownEnd(edge.location, 'from', edge.from);
      const toIndex = indexById.get(edge.to);
      if (toIndex === undefined) throw unknownEnd(edge.location, 'to', edge.to);
      if (fromIndex === toIndex) throw new LineageError(edge.location, `cycle: the edge runs from ${JSON.stringify(edge.from)} to itself`);
      const key = fromIndex * nodeCount + toIndex;
      if (seen.has(key)) continue;
      seen.add(key);
      from[edges.length] = fromIndex;
      to[edges.length] = toIndex;
      edges.push({ from: edge.from, to: edge.to });
    }
  }
  return { edges, from: from.subarray(0, edges.length), to: to.subarray(0, edges.length) };
}

function unknownEnd(location: string, end: 'from' | 'to', id: string): LineageError {
  return new LineageError(`${location}.${end}`, `the edge names node id ${JSON.stringify(id)}, which no node has`);
}

/** A copy the merge may change, so that an importer's nodes stay as it made them. */
function copyNode(node: ImportedNode): ImportedNode {
  const { id, kind, kindDeclared, name, version, subject, linkSubjectByName, location } = node;
  return { id, kind, kindDeclared, name, version, subject, linkSubjectByName, location };
}

function mergeInto(known: ImportedNode, node: ImportedNode, findings: Finding[]): void {
  if (known.kind !== node.kind) {
    if (node.kindDeclared && !known.kindDeclared) {
      known.kind = node.kind;
      known.kindDeclared = true;
    } else if (node.kindDeclared) {
      findings.push({
        severity: 'warning',
        code: 'lineage-kind-conflict',
        message: `Node ${JSON.stringify(node.id)} is a ${known.kind} in ${known.location} and a ${node.kind} in ${node.location}; it is shown as a ${known.kind}.`,
        location: node.location,
      });
    }
  }
  if (known.name === known.id && node.name !== node.id) known.name = node.name;
  known.version ??= node.version;
  known.subject ??= node.subject;
  known.linkSubjectByName ||= node.linkSubjectByName;
}

/** The node as the graph shows it, linked to the manifest subject of its name where it links by name. */
function linkedNode(node: ImportedNode, subjectNames: ReadonlySet<string> | null, findings: Finding[]): LineageNode {
  if (subjectNames && node.subject !== null && !subjectNames.has(node.subject)) {
    findings.push({
      severity: 'warning',
      code: 'lineage-subject-unknown',
      message: `Node ${JSON.stringify(node.id)} names subject ${JSON.stringify(node.subject)}, which the manifest does not pin.`,
      location: node.location,
    });
  }
  const subject = node.subject ?? (node.linkSubjectByName && subjectNames?.has(node.name) ? node.name : null);
  return { id: node.id, kind: node.kind, name: node.name, version: node.version, subject };
}

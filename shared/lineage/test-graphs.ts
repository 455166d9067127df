import type { ImportedLineage } from './imported-lineage';
import type { LineageNodeKind } from './lineage-graph';

/**
 * A lineage source written as `a>b` edges over nodes that need no more than an id, for tests
 * and benchmarks: `lineageOf('g', ['a>b', 'b>c'])`. Nodes are declared in first-seen order.
 */
export function lineageOf(file: string, edges: readonly string[], kinds: Readonly<Record<string, LineageNodeKind>> = {}, subjects: Readonly<Record<string, string>> = {}): ImportedLineage {
  const ids: string[] = [];
  const pairs = edges.map((edge, index) => {
    const [from, to] = edge.split('>') as [string, string];
    for (const id of [from, to]) if (!ids.includes(id)) ids.push(id);
    return { from, to, location: `${file} $.edges[${index}]` };
  });
  for (const id of Object.keys(kinds)) if (!ids.includes(id)) ids.push(id);
  return {
    file,
    nodes: ids.map((id, index) => ({
      id,
      kind: kinds[id] ?? 'dataset',
      kindDeclared: true,
      name: id,
      version: null,
      subject: subjects[id] ?? null,
      linkSubjectByName: false,
      location: `${file} $.nodes[${index}]`,
    })),
    edges: pairs,
    findings: [],
  };
}

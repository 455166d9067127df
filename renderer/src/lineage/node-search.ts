import type { LineageNode } from '../../../shared/lineage/lineage-graph';

/** Names and ids lower-cased once, so each keystroke is one pass of `includes`. */
export interface SearchIndex {
  names: string[];
  ids: string[];
}

export function searchIndexOf(nodes: readonly LineageNode[]): SearchIndex {
  return { names: nodes.map((node) => node.name.toLowerCase()), ids: nodes.map((node) => node.id.toLowerCase()) };
}

/**
 * Nodes whose name or id contains `query` (any case): names that start with it first, then other
 * matches, each group in graph order; at most `limit`.
 */
export function searchNodes(index: SearchIndex, query: string, limit: number): number[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const starting: number[] = [];
  const containing: number[] = [];
  for (let i = 0; i < index.names.length && starting.length < limit; i++) {
    const name = index.names[i]!;
    if (name.startsWith(needle)) starting.push(i);
    else if (containing.length < limit && (name.includes(needle) || index.ids[i]!.includes(needle))) containing.push(i);
  }
  return [...starting, ...containing].slice(0, limit);
}

import { DomainError } from '../errors/domain-error';
import type { ImpactedNode, ImpactReport } from '../api/commands/lineage-commands';
import type { LineageDirection } from './compact-lineage';
import { findPaths, MAX_LINEAGE_PATHS, MAX_LINEAGE_PATH_EDGES } from './lineage-paths';
import type { Lineage } from './merge-lineage';
import type { ReleaseKnowledge } from './release-knowledge';

/** Partial paths expanded at most by one path query. */
const MAX_PATH_EXPANSIONS = 1_000_000;

/** A query named a node the lineage does not have. */
export class UnknownLineageNodeError extends DomainError {
  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super('not-found', message);
  }
}

function requireNode(lineage: Lineage, id: string): number {
  const index = lineage.compact.indexOf(id);
  if (index >= 0) return index;
  const byName = lineage.graph.nodes.filter((node) => node.name === id).map((node) => JSON.stringify(node.id));
  const hint = byName.length > 0 ? ` (${byName.join(', ')} ${byName.length === 1 ? 'is' : 'are'} named so: give the id)` : '';
  throw new UnknownLineageNodeError(id, `The lineage has no node with id ${JSON.stringify(id)}${hint}.`);
}

/**
 * Everything downstream (or upstream) of a node, nearest first (breadth-first order, which
 * the compact graph makes deterministic), each with its distance in hops, its linked subject,
 * and the releases, approvals and deployments known to pin that subject. The root itself is
 * not listed.
 */
export function impactOf(lineage: Lineage, rootId: string, direction: LineageDirection, knowledge: ReleaseKnowledge): ImpactReport {
  const root = requireNode(lineage, rootId);
  const reach = lineage.compact.reach(root, direction);
  const pinnedBy = pinningLookup(knowledge);
  const affected: ImpactedNode[] = new Array(reach.nodes.length);
  for (let i = 0; i < reach.nodes.length; i++) {
    const node = lineage.graph.nodes[reach.nodes[i]!]!;
    const { releases, approvals, deployments } = pinnedBy(node.subject);
    affected[i] = { id: node.id, name: node.name, kind: node.kind, degree: reach.hops[i]!, subject: node.subject, releases, approvals, deployments };
  }
  return { root: rootId, direction, affected };
}

type Pinning = Pick<ImpactedNode, 'releases' | 'approvals' | 'deployments'>;

/**
 * What pins a subject, worked out once per subject: a large impact has many nodes and few
 * subjects. Nodes with the same subject share one answer (reports are read, never edited),
 * which keeps a 100,000-node report from allocating two arrays per node.
 */
function pinningLookup(knowledge: ReleaseKnowledge): (subject: string | null) => Pinning {
  const none: Pinning = { releases: [], approvals: 0, deployments: [] };
  const bySubject = new Map<string, Pinning>();
  return (subject) => {
    if (subject === null) return none;
    let pinning = bySubject.get(subject);
    if (!pinning) {
      const releases = knowledge.releases.filter((release) => release.subjects.has(subject));
      pinning = {
        releases: releases.map((release) => release.release),
        approvals: releases.reduce((sum, release) => sum + release.approvals, 0),
        deployments: knowledge.deployments.filter((deployment) => deployment.artifacts.has(subject)).map((deployment) => deployment.environment),
      };
      bySubject.set(subject, pinning);
    }
    return pinning;
  };
}

/**
 * The paths from one node to another as node ids, shortest first, at most MAX_LINEAGE_PATHS
 * of at most MAX_LINEAGE_PATH_EDGES edges; `truncated` says when more exist.
 */
export function pathsBetween(lineage: Lineage, fromId: string, toId: string): { paths: string[][]; truncated: boolean } {
  const from = requireNode(lineage, fromId);
  const to = requireNode(lineage, toId);
  const found = findPaths(lineage.compact, from, to, { maxPaths: MAX_LINEAGE_PATHS, maxEdges: MAX_LINEAGE_PATH_EDGES, maxExpansions: MAX_PATH_EXPANSIONS });
  return { paths: found.paths.map((path) => path.map((index) => lineage.compact.idOf(index))), truncated: found.truncated };
}

import type { JsonValue } from '../json/strict-json';
import type { LineageGraph, LineageNode } from '../lineage/lineage-graph';
import type { ArtifactKind, DigestSet } from '../verify/report';
import type { ReleaseComparison } from './release-comparison';
import {
  REVIEW_RULE_ENVIRONMENT,
  REVIEW_RULE_LINEAGE,
  REVIEW_RULE_NO_KIND,
  REVIEW_RULE_TOLERANCE,
  REVIEW_RULES_BY_KIND,
  seatsSentence,
  type ReviewRule,
} from './review-hints';

/** One release as the comparison reads it: the pins its manifest makes, and its lineage when it has one. */
export interface ComparableRelease {
  manifestDigest: string;
  release: string | null;
  signedByTrustedKey: boolean;
  subjects: readonly { name: string; kind: ArtifactKind | null; digest: DigestSet }[];
  environment: JsonValue | null;
  tolerance: JsonValue | null;
  /** Null when the bundle has no lineage file: compared as an empty graph. */
  lineage: LineageGraph | null;
}

/**
 * How `next` differs from `previous`: subjects added, removed and re-pinned, kinds changed,
 * environment and tolerance fields changed, lineage nodes and edges added or removed, and what
 * that means for review. Pure: it compares what the two manifests say, and hashes nothing.
 */
export function compareReleases(previous: ComparableRelease, next: ComparableRelease): ReleaseComparison {
  const subjects = compareSubjects(previous.subjects, next.subjects);
  const environment = [...compareJson('environment', previous.environment, next.environment), ...compareJson('tolerance', previous.tolerance, next.tolerance)];
  const lineage = compareLineage(previous.lineage ?? EMPTY_GRAPH, next.lineage ?? EMPTY_GRAPH);
  const identical =
    subjects.added.length + subjects.removed.length + subjects.changed.length + subjects.kindChanged.length + environment.length === 0 &&
    lineage.nodesAdded.length + lineage.nodesRemoved.length + lineage.nodesChanged.length + lineage.edgesAdded.length + lineage.edgesRemoved.length === 0;

  const side = (release: ComparableRelease) => ({
    manifestDigest: release.manifestDigest,
    release: release.release,
    signedByTrustedKey: release.signedByTrustedKey,
    hasLineage: release.lineage !== null,
  });
  const comparison: Omit<ReleaseComparison, 'reviewHints'> = { old: side(previous), new: side(next), identical, subjects, environment, lineage };
  return { ...comparison, reviewHints: reviewHintsOf(comparison) };
}

const EMPTY_GRAPH: LineageGraph = { nodes: [], edges: [] };

function compareSubjects(previous: ComparableRelease['subjects'], next: ComparableRelease['subjects']): ReleaseComparison['subjects'] {
  const before = new Map(previous.map((subject) => [subject.name, subject]));
  const after = new Map(next.map((subject) => [subject.name, subject]));
  const result: ReleaseComparison['subjects'] = { added: [], removed: [], changed: [], kindChanged: [] };
  for (const subject of next) {
    const old = before.get(subject.name);
    if (old === undefined) {
      result.added.push(pinOf(subject));
      continue;
    }
    if (digestText(old.digest) !== digestText(subject.digest)) {
      result.changed.push({ name: subject.name, kind: subject.kind, oldDigest: { ...old.digest }, newDigest: { ...subject.digest } });
    }
    if (old.kind !== subject.kind) result.kindChanged.push({ name: subject.name, oldKind: old.kind, newKind: subject.kind });
  }
  for (const subject of previous) if (!after.has(subject.name)) result.removed.push(pinOf(subject));
  return result;
}

function pinOf(subject: ComparableRelease['subjects'][number]): ReleaseComparison['subjects']['added'][number] {
  return { name: subject.name, kind: subject.kind, digest: { ...subject.digest } };
}

/** A digest set as one comparable text: `gitCommit:…, sha256:…`, algorithms in order. */
export function digestText(digest: DigestSet): string {
  return Object.keys(digest)
    .sort()
    .map((algorithm) => `${algorithm}:${digest[algorithm]!}`)
    .join(', ');
}

/** Leaf fields of two JSON values that differ; arrays compare whole, as one field. */
function compareJson(path: string, previous: JsonValue | null | undefined, next: JsonValue | null | undefined): ReleaseComparison['environment'] {
  if (isObject(previous) && isObject(next)) {
    const keys = [...new Set([...Object.keys(previous), ...Object.keys(next)])].sort();
    return keys.flatMap((key) => compareJson(childPath(path, key), Object.hasOwn(previous, key) ? previous[key] : undefined, Object.hasOwn(next, key) ? next[key] : undefined));
  }
  const oldText = previous === undefined || previous === null ? null : JSON.stringify(previous);
  const newText = next === undefined || next === null ? null : JSON.stringify(next);
  return oldText === newText ? [] : [{ field: path, old: oldText, new: newText }];
}

function isObject(value: JsonValue | null | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function compareLineage(previous: LineageGraph, next: LineageGraph): ReleaseComparison['lineage'] {
  const before = new Map(previous.nodes.map((node) => [node.id, node]));
  const after = new Map(next.nodes.map((node) => [node.id, node]));
  const brief = ({ id, kind, name }: LineageNode) => ({ id, kind, name });
  const nodesChanged: ReleaseComparison['lineage']['nodesChanged'] = [];
  for (const node of next.nodes) {
    const old = before.get(node.id);
    if (old === undefined) continue;
    const changes = (['kind', 'name', 'version', 'subject'] as const).flatMap((field) =>
      old[field] === node[field] ? [] : [`${field} ${JSON.stringify(old[field])} → ${JSON.stringify(node[field])}`],
    );
    if (changes.length > 0) nodesChanged.push({ id: node.id, changes });
  }
  const edgeKey = (edge: { from: string; to: string }) => JSON.stringify([edge.from, edge.to]);
  const edgesBefore = new Set(previous.edges.map(edgeKey));
  const edgesAfter = new Set(next.edges.map(edgeKey));
  return {
    nodesAdded: next.nodes.filter((node) => !before.has(node.id)).map(brief),
    nodesRemoved: previous.nodes.filter((node) => !after.has(node.id)).map(brief),
    nodesChanged,
    edgesAdded: next.edges.filter((edge) => !edgesBefore.has(edgeKey(edge))).map(({ from, to }) => ({ from, to })),
    edgesRemoved: previous.edges.filter((edge) => !edgesAfter.has(edgeKey(edge))).map(({ from, to }) => ({ from, to })),
  };
}

/** One hint per concern (rule), naming the subjects or fields behind it, in the order of the rule table. */
function reviewHintsOf(comparison: Omit<ReleaseComparison, 'reviewHints'>): ReleaseComparison['reviewHints'] {
  const reasons = new Map<ReviewRule, string[]>();
  const note = (rule: ReviewRule, reason: string) => reasons.set(rule, [...(reasons.get(rule) ?? []), reason]);
  const ruleOf = (kind: ArtifactKind | null) => (kind === null ? REVIEW_RULE_NO_KIND : REVIEW_RULES_BY_KIND[kind]);

  const { subjects, environment, lineage } = comparison;
  for (const subject of subjects.changed) note(ruleOf(subject.kind), subject.name);
  for (const subject of subjects.added) note(ruleOf(subject.kind), `${subject.name} added`);
  for (const subject of subjects.removed) note(ruleOf(subject.kind), `${subject.name} removed`);
  for (const subject of subjects.kindChanged) note(ruleOf(subject.newKind), `${subject.name} is now ${subject.newKind ?? 'of no declared kind'}`);
  for (const field of environment) note(field.field.startsWith('tolerance') ? REVIEW_RULE_TOLERANCE : REVIEW_RULE_ENVIRONMENT, field.field);
  const lineageChanges = lineage.nodesAdded.length + lineage.nodesRemoved.length + lineage.nodesChanged.length + lineage.edgesAdded.length + lineage.edgesRemoved.length;
  if (lineageChanges > 0) note(REVIEW_RULE_LINEAGE, `${lineageChanges} node or edge change${lineageChanges === 1 ? '' : 's'}`);

  const order = [...Object.values(REVIEW_RULES_BY_KIND), REVIEW_RULE_NO_KIND, REVIEW_RULE_ENVIRONMENT, REVIEW_RULE_TOLERANCE, REVIEW_RULE_LINEAGE];
  const hints = order.flatMap((rule) => {
    const why = reasons.get(rule);
    return why === undefined ? [] : [{ message: `${capitalise(rule.what)} (${why.join('; ')}): ${seatsSentence(rule.roles)}.`, roles: [...rule.roles] }];
  });
  if (comparison.old.manifestDigest !== comparison.new.manifestDigest) {
    hints.push({ message: 'The manifest digest differs: approvals of the old release do not count for the new one.', roles: [] });
  }
  return hints;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

import { digestText } from '../../shared/compare/compare-releases';
import type { ReleaseComparison } from '../../shared/compare/release-comparison';
import { ENVIRONMENT_KINDS } from '../../shared/compare/review-hints';
import { fields } from '../../shared/text/neutralise';
import type { ArtifactKind } from '../../shared/verify/report';

/**
 * The human form of a release comparison: both releases, then subjects, environment and lineage
 * changes (each section only when something changed), then what it means for review.
 */
export function formatReleaseComparison(comparison: ReleaseComparison): string {
  const side = (label: string, release: ReleaseComparison['old']) =>
    fields`  ${label} ${release.release ?? '(unnamed release)'}  manifest sha256 ${release.manifestDigest}${release.signedByTrustedKey ? '' : '  (no trusted signature: what it claims, not verified)'}`;
  const lines = [comparison.identical ? 'IDENTICAL PINS' : 'DIFFERENT', side('old:', comparison.old), side('new:', comparison.new)];

  const isEnvironmentKind = (kind: ArtifactKind | null) => kind !== null && ENVIRONMENT_KINDS.has(kind);
  const kindOf = (kind: ArtifactKind | null) => kind ?? 'no kind';
  const subjectLines = (inEnvironment: boolean): string[] => {
    const { added, removed, changed, kindChanged } = comparison.subjects;
    const keep = (kind: ArtifactKind | null) => isEnvironmentKind(kind) === inEnvironment;
    return [
      ...added.filter((s) => keep(s.kind)).map((s) => fields`  + ${s.name} (${kindOf(s.kind)})  ${digestText(s.digest)}`),
      ...removed.filter((s) => keep(s.kind)).map((s) => fields`  - ${s.name} (${kindOf(s.kind)})  ${digestText(s.digest)}`),
      ...changed
        .filter((s) => keep(s.kind))
        .flatMap((s) => [fields`  ~ ${s.name} (${kindOf(s.kind)})`, fields`      old ${digestText(s.oldDigest)}`, fields`      new ${digestText(s.newDigest)}`]),
      ...kindChanged.filter((s) => keep(s.newKind)).map((s) => fields`  ~ ${s.name}: kind ${kindOf(s.oldKind)} → ${kindOf(s.newKind)}`),
    ];
  };

  const section = (title: string, body: string[]) => {
    if (body.length > 0) lines.push('', title, ...body);
  };
  section('Subjects', subjectLines(false));
  section('Environment', [
    ...subjectLines(true),
    ...comparison.environment.map((field) => fields`  ~ ${field.field}: ${field.old ?? '(absent)'} → ${field.new ?? '(absent)'}`),
  ]);
  const { lineage } = comparison;
  section('Lineage', [
    ...(comparison.old.hasLineage === comparison.new.hasLineage ? [] : [`  ${comparison.old.hasLineage ? 'the new release has no lineage file' : 'the old release had no lineage file'}`]),
    ...lineage.nodesAdded.map((node) => fields`  + node ${node.id} (${node.kind}) "${node.name}"`),
    ...lineage.nodesRemoved.map((node) => fields`  - node ${node.id} (${node.kind}) "${node.name}"`),
    ...lineage.nodesChanged.map((node) => fields`  ~ node ${node.id}: ${node.changes.join('; ')}`),
    ...lineage.edgesAdded.map((edge) => fields`  + edge ${edge.from} → ${edge.to}`),
    ...lineage.edgesRemoved.map((edge) => fields`  - edge ${edge.from} → ${edge.to}`),
  ]);
  section(
    'For review',
    comparison.reviewHints.map((hint) => fields`  - ${hint.message}`),
  );
  lines.push('', "Pins only: whether each bundle's files match what its manifest pins is what `countersign verify` checks.");
  return lines.join('\n');
}

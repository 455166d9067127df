import type { LineageNode } from '../../../shared/lineage/lineage-graph';
import type { SubjectStatus, VerificationReport } from '../../../shared/verify/report';

/**
 * What the open bundle's verification says about a lineage node's subject. A blob that matches its
 * digest counts as verified only when the release itself verified; under an untrusted or tampered
 * manifest the match proves nothing about who pinned the digest.
 */
export type SubjectState = 'verified' | 'digest-matches' | 'failed' | 'not-checked' | 'not-in-manifest' | 'pending' | 'none';

export const SUBJECT_STATE_WORDS: Record<SubjectState, string> = {
  verified: 'subject verified',
  'digest-matches': 'subject digest matches, release not verified',
  failed: 'subject failed verification',
  'not-checked': 'subject not checked (no blob in the bundle)',
  'not-in-manifest': 'subject not in the manifest',
  pending: 'subject not verified yet',
  none: 'no subject',
};

/** Where a node stands relative to the selected node. */
export type Relation = 'selected' | 'upstream' | 'downstream' | 'unrelated' | 'no-selection';

const RELATION_WORDS: Record<Relation, string | null> = {
  selected: 'selected',
  upstream: 'upstream of the selection',
  downstream: 'downstream of the selection',
  unrelated: 'not in the lineage of the selection',
  'no-selection': null,
};

export interface SubjectVerdicts {
  releaseVerified: boolean;
  statusBySubject: ReadonlyMap<string, SubjectStatus>;
}

/** The subjects' statuses of a finished verification; null while none has finished. */
export function subjectVerdictsOf(report: VerificationReport | null): SubjectVerdicts | null {
  if (report === null) return null;
  return {
    releaseVerified: report.verdict === 'verified',
    statusBySubject: new Map(report.subjects.map((subject) => [subject.name, subject.status])),
  };
}

export function subjectStateOf(subject: string | null, verdicts: SubjectVerdicts | null): SubjectState {
  if (subject === null) return 'none';
  if (verdicts === null) return 'pending';
  const status = verdicts.statusBySubject.get(subject);
  switch (status) {
    case undefined:
      return 'not-in-manifest';
    case 'mismatch':
    case 'missing':
      return 'failed';
    case 'not-checked':
      return 'not-checked';
    case 'ok':
      return verdicts.releaseVerified ? 'verified' : 'digest-matches';
  }
}

/** What a screen reader announces for a node, e.g. "model m92, model, subject verified, downstream of the selection". */
export function nodeAriaLabel(node: Pick<LineageNode, 'name' | 'kind'>, state: SubjectState, relation: Relation): string {
  const parts = [node.name, node.kind];
  if (state !== 'none') parts.push(SUBJECT_STATE_WORDS[state]);
  const relationWords = RELATION_WORDS[relation];
  if (relationWords !== null) parts.push(relationWords);
  return parts.join(', ');
}

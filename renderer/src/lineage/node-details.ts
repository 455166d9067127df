import type { CompactLineage } from '../../../shared/lineage/compact-lineage';
import type { LineageNode } from '../../../shared/lineage/lineage-graph';
import type { VerificationReport } from '../../../shared/verify/report';
import { KIND_LOOK } from './kind-look';
import { SUBJECT_STATE_WORDS, subjectStateOf, subjectVerdictsOf } from './node-status';

/** What the details panel says about the selected node. */
export interface NodeDetails {
  name: string;
  id: string;
  kind: string;
  version: string | null;
  /** The manifest subject the node stands for; null when it stands for none. */
  subject: { name: string; digest: string | null; status: string } | null;
  /** `name@version` of the releases that pin its subject (the open bundle's, when it does). */
  releases: string[];
  upstream: { direct: number; all: number };
  downstream: { direct: number; all: number };
}

export function nodeDetails(node: LineageNode, index: number, lineage: CompactLineage, report: VerificationReport | null): NodeDetails {
  const subjectCheck = node.subject === null ? undefined : report?.subjects.find((subject) => subject.name === node.subject);
  const manifest = report?.manifest ?? null;
  const release = manifest !== null && manifest.releaseName !== null ? `${manifest.releaseName}@${manifest.releaseVersion ?? '?'}` : null;
  const digest = subjectCheck === undefined ? null : subjectCheck.expectedSha256 !== null ? `sha256:${subjectCheck.expectedSha256}` : firstDigest(subjectCheck.digest);
  return {
    name: node.name,
    id: node.id,
    kind: KIND_LOOK[node.kind].word,
    version: node.version,
    subject: node.subject === null ? null : { name: node.subject, digest, status: SUBJECT_STATE_WORDS[subjectStateOf(node.subject, subjectVerdictsOf(report))] },
    releases: subjectCheck !== undefined && release !== null ? [release] : [],
    upstream: { direct: lineage.neighbours(index, 'upstream').length, all: lineage.reach(index, 'upstream').nodes.length },
    downstream: { direct: lineage.neighbours(index, 'downstream').length, all: lineage.reach(index, 'downstream').nodes.length },
  };
}

function firstDigest(digest: Readonly<Record<string, string>>): string | null {
  const algorithm = Object.keys(digest).sort()[0];
  return algorithm === undefined ? null : `${algorithm}:${digest[algorithm]}`;
}

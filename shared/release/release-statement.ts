import { InvalidInputError } from '../errors/domain-error';
import { IN_TOTO_STATEMENT_V1, RELEASE_PREDICATE_V1 } from '../formats/manifest';
import type { JsonObject } from '../json/strict-json';
import type { ArtifactKind } from '../verify/report';

/** One pinned thing of a release, as the manifest will list it. */
export interface ReleaseSubject {
  name: string;
  digest: Record<string, string>;
  kind: ArtifactKind;
  /** Bytes of a shipped blob. */
  size?: number;
  mediaType?: string;
}

export interface Tolerance {
  metric: string;
  maxDelta: number;
}

/** The release's own evaluation: metrics by name (Countersign's compatible extension of FORMATS §4). */
export interface Evaluation {
  metrics: Record<string, number>;
}

export interface ReleaseStatementInput {
  release: { name: string; version: string };
  subjects: readonly ReleaseSubject[];
  /** `predicate.environment`; left out when empty. */
  environment: JsonObject;
  tolerance: Tolerance | null;
  evaluation: Evaluation | null;
  createdBy: string;
  createdAt: string;
}

/**
 * The manifest payload (FORMATS §4): an in-toto Statement v1, subjects sorted by name (UTF-16
 * code unit order, as the artifacts map lists them), written as `JSON.stringify(…, null, 2)`
 * and a line feed. The same input gives the same bytes: no field depends on anything else.
 */
export function releaseStatementPayload(input: ReleaseStatementInput): Uint8Array {
  const subjects = [...input.subjects].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < subjects.length; i++) {
    if (subjects[i]!.name === subjects[i - 1]!.name) throw new InvalidInputError(`two subjects are named ${JSON.stringify(subjects[i]!.name)}: subject names must be unique`);
  }
  if (subjects.length === 0) throw new InvalidInputError('a release needs at least one subject: give files, --image, --lock or --subject');
  const artifacts: Record<string, JsonObject> = {};
  for (const subject of subjects) {
    artifacts[subject.name] = {
      kind: subject.kind,
      ...(subject.size !== undefined ? { size: subject.size } : {}),
      ...(subject.mediaType !== undefined ? { mediaType: subject.mediaType } : {}),
    };
  }
  const statement = {
    _type: IN_TOTO_STATEMENT_V1,
    subject: subjects.map((subject) => ({ name: subject.name, digest: sortedDigest(subject.digest) })),
    predicateType: RELEASE_PREDICATE_V1,
    predicate: {
      release: { name: input.release.name, version: input.release.version },
      artifacts,
      ...(Object.keys(input.environment).length > 0 ? { environment: input.environment } : {}),
      ...(input.tolerance !== null ? { tolerance: { metric: input.tolerance.metric, maxDelta: input.tolerance.maxDelta } } : {}),
      ...(input.evaluation !== null ? { evaluation: { metrics: sortedRecord(input.evaluation.metrics) } } : {}),
      createdBy: input.createdBy,
      createdAt: input.createdAt,
    },
  };
  return new TextEncoder().encode(JSON.stringify(statement, null, 2) + '\n');
}

function sortedDigest(digest: Record<string, string>): Record<string, string> {
  return sortedRecord(digest);
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}

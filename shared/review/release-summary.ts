import { jsonPathChild } from '../json/json-path';
import type { ManifestSummary, SubjectCheck } from '../verify/report';

/**
 * What a release says about itself, for a reviewer to read at a glance: who made it and when, the
 * code, containers and locked dependencies it pins, how it was trained (seed, hardware), the
 * tolerance it was accepted under and its metrics; then every other predicate field, so that
 * nothing the manifest carries goes unseen. Pure: it reads the verified statement and the subjects.
 * Values are returned as written (strings) or as compact JSON; the caller neutralises them for display.
 */
export interface ReleaseSummary {
  name: string | null;
  version: string | null;
  /** The manifest's createdBy key, and the name the board or a pinned key gives it. */
  author: { keyId: string; name: string | null } | null;
  createdAt: string | null;
  /** Code subjects pinned by commit, and `predicate.environment.git.commit` when it names another. */
  codeCommits: { name: string; commit: string }[];
  /** `predicate.environment.git.dirty`: whether the working tree had uncommitted changes; null when not said. */
  gitDirty: boolean | null;
  containers: { name: string; digest: string }[];
  lockFiles: { name: string; digest: string }[];
  seed: string | null;
  hardware: NamedValue[];
  tolerance: NamedValue[];
  /** `predicate.evaluation.metrics`. */
  metrics: NamedValue[];
  /** Every other field of the predicate (and unknown fields elsewhere in the statement). */
  otherFields: OtherField[];
  subjectCounts: { byKind: { kind: string; count: number }[]; byStatus: { status: SubjectCheck['status']; count: number }[] };
}

export interface NamedValue {
  name: string;
  value: string;
}

export interface OtherField {
  /** JSON path, e.g. `$.predicate.environment.python`. */
  path: string;
  /** As written (a string) or compact JSON, cut at MAX_VALUE_CHARS; null when the path holds no readable value. */
  value: string | null;
  /** This version of Countersign does not interpret the field: shown, never checked. */
  unknown: boolean;
}

/** A value longer than this is cut, with its length said: the full statement stays one click away. */
export const MAX_VALUE_CHARS = 400;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonRecord = { [key: string]: Json };

/** Predicate fields the summary shows in its own rows; all others are "other fields". */
const SHOWN: Readonly<Record<string, readonly string[] | true>> = {
  release: ['name', 'version'],
  artifacts: true,
  createdBy: true,
  createdAt: true,
  tolerance: true,
  environment: ['seed', 'hardware', 'git'],
  evaluation: ['metrics'],
};

export function summariseRelease(manifest: ManifestSummary, subjects: readonly Pick<SubjectCheck, 'name' | 'kind' | 'digest' | 'status'>[], authorName: string | null): ReleaseSummary {
  const statement = asRecord(manifest.statement);
  const predicate = manifest.understood ? asRecord(statement?.['predicate']) : null;
  const environment = asRecord(predicate?.['environment']);
  const git = asRecord(environment?.['git']);
  const evaluation = asRecord(predicate?.['evaluation']);

  const codeCommits = subjects.flatMap((subject) => (subject.kind === 'code' && subject.digest['gitCommit'] !== undefined ? [{ name: subject.name, commit: subject.digest['gitCommit'] }] : []));
  const gitCommit = git?.['commit'];
  if (typeof gitCommit === 'string' && !codeCommits.some((entry) => entry.commit === gitCommit)) codeCommits.push({ name: 'environment.git', commit: gitCommit });
  const dirty = git?.['dirty'];
  const pinOf = (subject: (typeof subjects)[number]) => ({ name: subject.name, digest: Object.entries(subject.digest).map(([algorithm, value]) => `${algorithm}:${value}`).join(', ') });

  return {
    name: manifest.releaseName,
    version: manifest.releaseVersion,
    author: manifest.createdBy === null ? null : { keyId: manifest.createdBy, name: authorName },
    createdAt: manifest.createdAt,
    codeCommits,
    gitDirty: typeof dirty === 'boolean' ? dirty : null,
    containers: subjects.filter((subject) => subject.kind === 'container').map(pinOf),
    lockFiles: subjects.filter((subject) => subject.kind === 'lockfile').map(pinOf),
    seed: environment !== null && Object.hasOwn(environment, 'seed') ? valueText(environment['seed']!) : null,
    hardware: namedValues(environment?.['hardware']),
    tolerance: namedValues(predicate?.['tolerance']),
    metrics: namedValues(evaluation?.['metrics']),
    otherFields: otherFields(statement, predicate, manifest.unknownFields),
    subjectCounts: countSubjects(subjects),
  };
}

function otherFields(statement: JsonRecord | null, predicate: JsonRecord | null, unknownFields: readonly string[]): OtherField[] {
  const isUnknown = (path: string) => unknownFields.some((unknown) => unknown === path || path.startsWith(`${unknown}.`) || path.startsWith(`${unknown}[`));
  const fields: OtherField[] = [];
  const seen = new Set<string>();
  const add = (path: string, value: Json | undefined) => {
    seen.add(path);
    fields.push({ path, value: value === undefined ? null : valueText(value), unknown: isUnknown(path) });
  };
  if (predicate !== null) {
    for (const [key, value] of Object.entries(predicate)) {
      const path = jsonPathChild('$.predicate', key);
      const shown = Object.hasOwn(SHOWN, key) ? SHOWN[key] : undefined;
      if (shown === true) continue;
      const record = asRecord(value);
      if (shown === undefined || record === null) {
        if (shown === undefined) add(path, value);
        continue;
      }
      for (const [childKey, childValue] of Object.entries(record)) {
        const childPath = jsonPathChild(path, childKey);
        if (key === 'environment' && childKey === 'git') {
          for (const [gitKey, gitValue] of Object.entries(asRecord(childValue) ?? {})) if (gitKey !== 'commit' && gitKey !== 'dirty') add(jsonPathChild(childPath, gitKey), gitValue);
        } else if (!shown.includes(childKey)) {
          add(childPath, childValue);
        }
      }
    }
  }
  // Unknown fields outside the predicate (the statement's, a subject's) are listed too, by path.
  for (const path of unknownFields) {
    if (seen.has(path) || path.startsWith('$.predicate.') || path === '$.predicate') {
      if (path === '$.predicate' && predicate === null) add(path, statement?.['predicate']);
      continue;
    }
    add(path, valueAt(statement, path));
  }
  return fields;
}

/** The value at a simple path under the statement (`$.key`), else undefined: deeper unknown fields are named, not read. */
function valueAt(statement: JsonRecord | null, path: string): Json | undefined {
  const match = /^\$\.([A-Za-z_$][A-Za-z0-9_$]*)$/.exec(path);
  if (statement === null || match === null || !Object.hasOwn(statement, match[1]!)) return undefined;
  return statement[match[1]!];
}

function countSubjects(subjects: readonly Pick<SubjectCheck, 'kind' | 'status'>[]): ReleaseSummary['subjectCounts'] {
  const kinds = new Map<string, number>();
  const statuses = new Map<SubjectCheck['status'], number>();
  for (const subject of subjects) {
    const kind = subject.kind ?? 'no declared kind';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    statuses.set(subject.status, (statuses.get(subject.status) ?? 0) + 1);
  }
  return {
    byKind: [...kinds].map(([kind, count]) => ({ kind, count })),
    byStatus: [...statuses].map(([status, count]) => ({ status, count })),
  };
}

/** An object's fields as name and value; any other value as one unnamed entry. */
function namedValues(value: Json | undefined): NamedValue[] {
  if (value === undefined || value === null) return [];
  const record = asRecord(value);
  if (record === null) return [{ name: '', value: valueText(value) }];
  return Object.entries(record).map(([name, field]) => ({ name, value: valueText(field) }));
}

function valueText(value: Json): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} characters)`;
}

function asRecord(value: unknown): JsonRecord | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : null;
}

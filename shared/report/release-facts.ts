import type { SubjectCheck, VerificationReport } from '../verify/report';

/**
 * The release's own account of itself, read from the verified statement's predicate: who made
 * it and when, what it was built from, and how to reproduce it. Fields this version does not
 * interpret are listed as such, never dropped.
 */

/** Predicate fields with a row of their own in the summary; every other one is shown as "other". */
const SUMMARISED_FIELDS = new Set(['release', 'artifacts', 'environment', 'tolerance', 'metrics', 'createdBy', 'createdAt']);

export interface FactRow {
  label: string;
  value: string;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The predicate object of the statement, or an empty one when there is none. */
export function predicateOf(verification: VerificationReport): JsonRecord {
  const statement = verification.manifest?.statement;
  if (!isRecord(statement)) return {};
  const predicate = statement['predicate'];
  return isRecord(predicate) ? predicate : {};
}

/** A JSON value in one line: strings as they are, objects as `key: value` pairs. */
export function plainValue(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(plainValue).join('; ');
  if (isRecord(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? 'none' : entries.map(([key, inner]) => `${key}: ${isRecord(inner) || Array.isArray(inner) ? `(${plainValue(inner)})` : plainValue(inner)}`).join(', ');
  }
  return String(value);
}

/** Every leaf of a JSON value as `path = value` rows, e.g. `hardware.gpu`. */
export function flattenFields(value: unknown, prefix: string): FactRow[] {
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ label: prefix, value: 'none' }];
    return entries.flatMap(([key, inner]) => flattenFields(inner, prefix === '' ? key : `${prefix}.${key}`));
  }
  if (Array.isArray(value) && value.some((item) => isRecord(item) || Array.isArray(item))) {
    return value.flatMap((item, index) => flattenFields(item, `${prefix}[${index}]`));
  }
  return [{ label: prefix, value: plainValue(value) }];
}

/** A subject's digest in one line: `sha256:…`, or every algorithm it pins. */
export function digestText(digest: Record<string, string>): string {
  const entries = Object.entries(digest);
  return entries.length === 0 ? 'none' : entries.map(([algorithm, value]) => `${algorithm}:${value}`).join(' ');
}

function subjectsOfKind(verification: VerificationReport, kind: SubjectCheck['kind']): SubjectCheck[] {
  return verification.subjects.filter((subject) => subject.kind === kind);
}

function listOrNone(subjects: SubjectCheck[]): string {
  return subjects.length === 0 ? 'none' : subjects.map((subject) => `${subject.name} (${digestText(subject.digest)})`).join('; ');
}

/** The author: the member or producer holding the createdBy key, and the key itself. */
export function authorText(verification: VerificationReport, authorMember: string | null): string {
  const keyId = verification.manifest?.createdBy ?? null;
  if (keyId === null) return 'not stated';
  const signer = authorMember ?? verification.signatures.find((signature) => signature.keyId === keyId)?.signerName ?? null;
  return signer === null ? `unknown holder of key ${keyId}` : `${signer} (key ${keyId})`;
}

/** The release summary of the record. */
export function releaseSummary(verification: VerificationReport, authorMember: string | null): FactRow[] {
  const manifest = verification.manifest;
  const predicate = predicateOf(verification);
  const environment = isRecord(predicate['environment']) ? predicate['environment'] : {};
  const codeSubjects = verification.subjects.filter((subject) => subject.kind === 'code' || subject.digest['gitCommit'] !== undefined);
  const rows: FactRow[] = [
    { label: 'Release', value: manifest?.releaseName ? `${manifest.releaseName} ${manifest.releaseVersion ?? ''}`.trim() : 'not named' },
    { label: 'Manifest digest', value: manifest ? `sha256:${manifest.digest}` : 'the manifest cannot be read' },
    { label: 'Author', value: authorText(verification, authorMember) },
    { label: 'Created at', value: manifest?.createdAt ?? 'not stated' },
    { label: 'Code commit', value: listOrNone(codeSubjects) },
    { label: 'Containers', value: listOrNone(subjectsOfKind(verification, 'container')) },
    { label: 'Lock files', value: listOrNone(subjectsOfKind(verification, 'lockfile')) },
    { label: 'Seed', value: plainValue(environment['seed']) },
    { label: 'Hardware', value: plainValue(environment['hardware']) },
    { label: 'Tolerance', value: plainValue(predicate['tolerance']) },
    { label: 'Metrics', value: predicate['metrics'] === undefined ? 'none recorded' : plainValue(predicate['metrics']) },
    { label: 'Subjects', value: subjectCounts(verification) },
  ];
  for (const [key, value] of Object.entries(predicate)) {
    if (!SUMMARISED_FIELDS.has(key)) rows.push({ label: `Other field "${key}"`, value: plainValue(value) });
  }
  if (manifest && manifest.unknownFields.length > 0) {
    rows.push({ label: 'Not interpreted by this version', value: manifest.unknownFields.join(', ') });
  }
  return rows;
}

/** Subject counts by kind and by status, e.g. "6: 1 model, 1 dataset…; 4 ok, 2 not checked". */
function subjectCounts(verification: VerificationReport): string {
  const byKind = new Map<string, number>();
  for (const subject of verification.subjects) byKind.set(subject.kind ?? 'unknown kind', (byKind.get(subject.kind ?? 'unknown kind') ?? 0) + 1);
  const { counts } = verification;
  const kinds = [...byKind].map(([kind, count]) => `${count} ${kind}`).join(', ');
  return `${counts.subjects} (${kinds || 'none'}); ${counts.ok} match, ${counts.mismatched} do not match, ${counts.notChecked} not checked`;
}

/** The reproducibility record: every environment and tolerance field, and every pinned input with its digest. */
export function reproducibilityRows(verification: VerificationReport): FactRow[] {
  const predicate = predicateOf(verification);
  const rows = [
    ...(predicate['environment'] === undefined ? [{ label: 'environment', value: 'not recorded' }] : flattenFields(predicate['environment'], 'environment')),
    ...(predicate['tolerance'] === undefined ? [{ label: 'tolerance', value: 'not recorded' }] : flattenFields(predicate['tolerance'], 'tolerance')),
  ];
  if (predicate['metrics'] !== undefined) rows.push(...flattenFields(predicate['metrics'], 'metrics'));
  return rows;
}

// Filtering and sorting the subjects of a verification report for the subjects table.
import type { SubjectCheck, SubjectStatus } from '../../../shared/verify/report';

export type StatusFilter = 'all' | SubjectStatus;
export type SubjectSortKey = 'name' | 'status' | 'kind' | 'size';
export type SortDirection = 'ascending' | 'descending';

export interface SubjectSort {
  key: SubjectSortKey;
  direction: SortDirection;
}

export const DEFAULT_SUBJECT_SORT: SubjectSort = { key: 'status', direction: 'ascending' };

/** Problems first: a mismatch matters more than a file that was not checked, which matters more than a match. */
const STATUS_ORDER: Record<SubjectStatus, number> = { mismatch: 0, missing: 0, 'not-checked': 1, ok: 2 };

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Keeps (in order) subjects whose status matches and whose name, kind, blob path or a digest contains the text (any case). */
export function filterSubjects(subjects: readonly SubjectCheck[], text: string, status: StatusFilter): SubjectCheck[] {
  const needle = text.trim().toLowerCase();
  return subjects.filter((subject) => {
    if (status !== 'all' && subject.status !== status) return false;
    if (needle === '') return true;
    return searchableFields(subject).some((field) => field.toLowerCase().includes(needle));
  });
}

function searchableFields(subject: SubjectCheck): string[] {
  const fields = [subject.name];
  if (subject.kind !== null) fields.push(subject.kind);
  if (subject.blobPath !== null) fields.push(subject.blobPath);
  if (subject.expectedSha256 !== null) fields.push(subject.expectedSha256);
  if (subject.actualSha256 !== null) fields.push(subject.actualSha256);
  return fields;
}

/**
 * Sorts a copy. Subjects without a kind or size go last in either direction; ties are broken by
 * name so the order never depends on the report's order.
 */
export function sortSubjects(subjects: readonly SubjectCheck[], sort: SubjectSort): SubjectCheck[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const primary = primaryComparator(sort.key);
  return [...subjects].sort((a, b) => {
    const missing = missingLast(sort.key, a, b);
    if (missing !== 0) return missing;
    const byKey = primary(a, b);
    if (byKey !== 0) return sign * byKey;
    return sign * collator.compare(a.name, b.name);
  });
}

function primaryComparator(key: SubjectSortKey): (a: SubjectCheck, b: SubjectCheck) => number {
  switch (key) {
    case 'name':
      return (a, b) => collator.compare(a.name, b.name);
    case 'status':
      return (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    case 'kind':
      return (a, b) => collator.compare(a.kind ?? '', b.kind ?? '');
    case 'size':
      return (a, b) => (a.size ?? 0) - (b.size ?? 0);
  }
}

function missingLast(key: SubjectSortKey, a: SubjectCheck, b: SubjectCheck): number {
  const field = key === 'kind' ? 'kind' : key === 'size' ? 'size' : null;
  if (field === null) return 0;
  const aMissing = a[field] === null;
  const bMissing = b[field] === null;
  return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
}

/** Clicking the sorted column's header flips its direction; another column starts ascending. */
export function nextSort(current: SubjectSort, key: SubjectSortKey): SubjectSort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: 'ascending' };
}

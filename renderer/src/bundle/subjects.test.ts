import { describe, it, expect } from 'vitest';
import type { SubjectCheck } from '../../../shared/verify/report';
import { filterSubjects, nextSort, sortSubjects } from './subjects';

const EXPECTED = 'a'.repeat(64);
const ACTUAL = 'b'.repeat(64);

function subject(name: string, overrides: Partial<SubjectCheck> = {}): SubjectCheck {
  return {
    name,
    kind: 'dataset',
    digest: { sha256: EXPECTED },
    blobPath: `artifacts/${name}`,
    size: 100,
    status: 'ok',
    expectedSha256: EXPECTED,
    actualSha256: EXPECTED,
    reason: 'matches',
    ...overrides,
  };
}

const model = subject('model.onnx', { kind: 'model', size: 5000, status: 'mismatch', actualSha256: ACTUAL });
const train = subject('train-10.parquet', { size: 300 });
const train2 = subject('train-2.parquet', { size: 200 });
const missing = subject('eval.csv', { kind: null, size: null, blobPath: null, status: 'not-checked', actualSha256: null });
const all = [train, model, missing, train2];

const names = (subjects: SubjectCheck[]) => subjects.map((s) => s.name);

describe('filterSubjects', () => {
  it('keeps only the chosen status', () => {
    expect(names(filterSubjects(all, '', 'mismatch'))).toEqual(['model.onnx']);
    expect(names(filterSubjects(all, '', 'not-checked'))).toEqual(['eval.csv']);
    expect(filterSubjects(all, '', 'all')).toHaveLength(4);
  });

  it('matches text in the name, kind, blob path or a digest, ignoring case', () => {
    expect(names(filterSubjects(all, 'MODEL', 'all'))).toEqual(['model.onnx']);
    expect(names(filterSubjects(all, 'parquet', 'all'))).toEqual(['train-10.parquet', 'train-2.parquet']);
    expect(names(filterSubjects(all, 'bbbb', 'all'))).toEqual(['model.onnx']);
    expect(names(filterSubjects(all, '  eval ', 'all'))).toEqual(['eval.csv']);
  });

  it('combines text and status', () => {
    expect(filterSubjects(all, 'parquet', 'mismatch')).toEqual([]);
  });
});

describe('sortSubjects', () => {
  it('sorts names naturally, so 2 comes before 10', () => {
    expect(names(sortSubjects(all, { key: 'name', direction: 'ascending' }))).toEqual([
      'eval.csv',
      'model.onnx',
      'train-2.parquet',
      'train-10.parquet',
    ]);
  });

  it('puts problems first when sorting by status', () => {
    expect(names(sortSubjects(all, { key: 'status', direction: 'ascending' }))).toEqual([
      'model.onnx',
      'eval.csv',
      'train-2.parquet',
      'train-10.parquet',
    ]);
  });

  it('sorts by size both ways and keeps unknown sizes last', () => {
    expect(names(sortSubjects(all, { key: 'size', direction: 'ascending' }))).toEqual([
      'train-2.parquet',
      'train-10.parquet',
      'model.onnx',
      'eval.csv',
    ]);
    expect(names(sortSubjects(all, { key: 'size', direction: 'descending' }))).toEqual([
      'model.onnx',
      'train-10.parquet',
      'train-2.parquet',
      'eval.csv',
    ]);
  });

  it('sorts by kind and breaks ties by name', () => {
    expect(names(sortSubjects(all, { key: 'kind', direction: 'ascending' }))).toEqual([
      'train-2.parquet',
      'train-10.parquet',
      'model.onnx',
      'eval.csv',
    ]);
  });

  it('leaves the input untouched', () => {
    const before = names(all);
    sortSubjects(all, { key: 'name', direction: 'descending' });
    expect(names(all)).toEqual(before);
  });
});

describe('filtering a sorted list', () => {
  it('keeps the sort order', () => {
    const sorted = sortSubjects(all, { key: 'name', direction: 'descending' });
    expect(names(filterSubjects(sorted, 'parquet', 'ok'))).toEqual(['train-10.parquet', 'train-2.parquet']);
  });
});

describe('nextSort', () => {
  it('flips the direction of the sorted column and starts others ascending', () => {
    expect(nextSort({ key: 'name', direction: 'ascending' }, 'name')).toEqual({ key: 'name', direction: 'descending' });
    expect(nextSort({ key: 'name', direction: 'descending' }, 'name')).toEqual({ key: 'name', direction: 'ascending' });
    expect(nextSort({ key: 'name', direction: 'descending' }, 'size')).toEqual({ key: 'size', direction: 'ascending' });
  });
});

import { describe, expect, it } from 'vitest';
import type { SubjectCheck } from '../../../shared/verify/report';
import { countFileStatuses, fileRowsOf, filterFileRows, sortFileRows, splitShard } from './foreign-files';

function subject(name: string, status: SubjectCheck['status'], expected = 'aa', actual: string | null = expected): SubjectCheck {
  return { name, kind: null, digest: { sha256: expected }, blobPath: null, size: 10, status, expectedSha256: expected, actualSha256: actual, reason: `${name} ${status}` };
}

describe('the file table of a foreign signature', () => {
  it('splits shard names at the last two colons, keeping colons inside the file name', () => {
    expect(splitShard('weights/a:b.bin:0:1048576')).toEqual({ file: 'weights/a:b.bin', start: 0, end: 1048576 });
    expect(splitShard('config.json')).toBeNull();
    expect(splitShard('odd:9:3')).toBeNull();
    expect(splitShard('x:1:')).toBeNull();
  });

  it('names a changed file with both digests, a missing one, and extra files on disk', () => {
    const rows = fileRowsOf({
      subjects: [subject('config.json', 'ok'), subject('weights.bin', 'mismatch', 'aa', 'bb'), subject('tokenizer.json', 'missing', 'cc', null)],
      unexpectedBlobs: ['notes.txt'],
    });
    expect(rows.map((row) => [row.file, row.status, row.expected, row.actual])).toEqual([
      ['config.json', 'ok', 'aa', 'aa'],
      ['weights.bin', 'changed', 'aa', 'bb'],
      ['tokenizer.json', 'missing', 'cc', null],
      ['notes.txt', 'unexpected', null, null],
    ]);
    expect(countFileStatuses(rows)).toEqual({ ok: 1, changed: 1, missing: 1, unexpected: 1, 'not-checked': 0 });
  });

  it('lists problems first and keeps a file’s shards together in byte order, under the file’s worst status', () => {
    const rows = fileRowsOf({
      subjects: [subject('b.bin:10:20', 'ok'), subject('a.json', 'ok'), subject('b.bin:20:30', 'mismatch', 'aa', 'bb'), subject('b.bin:0:10', 'ok')],
      unexpectedBlobs: [],
    });
    expect(sortFileRows(rows).map((row) => [row.file, row.shard?.start ?? null, row.status])).toEqual([
      ['b.bin', 0, 'ok'],
      ['b.bin', 10, 'ok'],
      ['b.bin', 20, 'changed'],
      ['a.json', null, 'ok'],
    ]);
  });

  it('filters by status and by path or digest text', () => {
    const rows = fileRowsOf({ subjects: [subject('config.json', 'ok', 'aa'), subject('weights.bin', 'mismatch', 'aa', 'beef')], unexpectedBlobs: ['extra.txt'] });
    expect(filterFileRows(rows, '', 'changed').map((row) => row.file)).toEqual(['weights.bin']);
    expect(filterFileRows(rows, 'BEEF', 'all').map((row) => row.file)).toEqual(['weights.bin']);
    expect(filterFileRows(rows, 'extra', 'unexpected').map((row) => row.file)).toEqual(['extra.txt']);
  });
});

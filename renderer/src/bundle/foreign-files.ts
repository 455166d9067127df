// The file table of a foreign signature (OMS, Sigstore, DSSE): one row per signed file or shard,
// and one per file present but signed by nothing.
import type { SignatureFormat, SubjectCheck, VerificationReport } from '../../../shared/verify/report';

/** ok: matches; changed: differs from the signed digest; missing: signed, not on disk; unexpected: on disk, signed by nothing. */
export type FileStatus = 'ok' | 'changed' | 'missing' | 'unexpected' | 'not-checked';
export type FileStatusFilter = 'all' | FileStatus;

export interface FileRow {
  /** The file's path, without a shard's byte range. */
  file: string;
  /** An OMS shard (`path:start:end`): the byte range of the file it covers. */
  shard: { start: number; end: number } | null;
  status: FileStatus;
  size: number | null;
  /** The digest algorithm, e.g. sha256 or blake2b; null for an unexpected file. */
  algorithm: string | null;
  expected: string | null;
  actual: string | null;
  reason: string;
}

/** How a reviewer names each format where something is not available for it. */
export const FOREIGN_FORMAT_NAMES: Record<Exclude<SignatureFormat, 'countersign'>, string> = {
  oms: 'an OMS model signature',
  sigstore: 'a Sigstore bundle',
  dsse: 'a DSSE envelope',
  sshsig: 'an SSH signature',
  'in-toto': 'in-toto metadata',
};

const SHARD = /^(.*):(\d+):(\d+)$/;

/** An OMS shard name split at its last two colons (a file name may hold colons itself); null for a whole file. */
export function splitShard(name: string): { file: string; start: number; end: number } | null {
  const match = SHARD.exec(name);
  if (match === null) return null;
  const start = Number(match[2]);
  const end = Number(match[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  return { file: match[1]!, start, end };
}

export function fileRowsOf(report: Pick<VerificationReport, 'subjects' | 'unexpectedBlobs'>): FileRow[] {
  const rows = report.subjects.map(rowOfSubject);
  for (const file of report.unexpectedBlobs) {
    rows.push({ file, shard: null, status: 'unexpected', size: null, algorithm: null, expected: null, actual: null, reason: 'On disk, but no signed entry names it: nothing vouches for its content.' });
  }
  return rows;
}

function rowOfSubject(subject: SubjectCheck): FileRow {
  const shard = splitShard(subject.name);
  const status: FileStatus = subject.status === 'mismatch' ? 'changed' : subject.status;
  return {
    file: shard?.file ?? subject.name,
    shard: shard === null ? null : { start: shard.start, end: shard.end },
    status,
    size: subject.size,
    algorithm: subject.digestAlgorithm ?? 'sha256',
    expected: subject.expectedSha256 ?? subject.expectedDigest ?? firstDigest(subject),
    actual: subject.actualSha256 ?? subject.actualDigest ?? null,
    reason: subject.reason,
  };
}

function firstDigest(subject: SubjectCheck): string | null {
  return Object.values(subject.digest)[0] ?? null;
}

const STATUS_ORDER: Record<FileStatus, number> = { changed: 0, missing: 0, unexpected: 1, 'not-checked': 2, ok: 3 };
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Problems first; then by file, so a file's shards stay together in byte order. A file with one
 * changed shard is listed with the problems, all its shards with it.
 */
export function sortFileRows(rows: readonly FileRow[]): FileRow[] {
  const worst = new Map<string, number>();
  for (const row of rows) worst.set(row.file, Math.min(worst.get(row.file) ?? Infinity, STATUS_ORDER[row.status]));
  return [...rows].sort(
    (a, b) => worst.get(a.file)! - worst.get(b.file)! || collator.compare(a.file, b.file) || (a.shard?.start ?? 0) - (b.shard?.start ?? 0),
  );
}

/** Rows whose status matches and whose path or a digest contains the text (any case). */
export function filterFileRows(rows: readonly FileRow[], text: string, status: FileStatusFilter): FileRow[] {
  const needle = text.trim().toLowerCase();
  return rows.filter((row) => {
    if (status !== 'all' && row.status !== status) return false;
    if (needle === '') return true;
    return [row.file, row.expected ?? '', row.actual ?? ''].some((field) => field.toLowerCase().includes(needle));
  });
}

export function countFileStatuses(rows: readonly FileRow[]): Record<FileStatus, number> {
  const counts: Record<FileStatus, number> = { ok: 0, changed: 0, missing: 0, unexpected: 0, 'not-checked': 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}

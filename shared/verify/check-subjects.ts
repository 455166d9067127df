import type { ReleaseManifest } from '../formats/manifest';
import type { Finding, SubjectCheck } from './report';

/** A subject whose blob ships in the bundle and must be hashed. */
export interface BlobToHash {
  subject: string;
  blobPath: string;
}

export interface SubjectPlan {
  toHash: BlobToHash[];
  /** Blobs in artifacts/ that no subject names (FORMATS §9: reported as unexpected). */
  unexpectedBlobs: string[];
}

/**
 * Decides which blobs to hash. Blobs are found only through the bundle's own artifact map
 * (subject name → bundle path), never by building a path from a subject name.
 */
export function planSubjectChecks(manifest: ReleaseManifest, artifacts: ReadonlyMap<string, string>): SubjectPlan {
  const named = new Set(manifest.subjects.map((subject) => subject.name));
  const toHash = manifest.subjects.flatMap((subject) => {
    const blobPath = artifacts.get(subject.name);
    return blobPath !== undefined && subject.digest.sha256 !== undefined ? [{ subject: subject.name, blobPath }] : [];
  });
  const unexpectedBlobs = [...artifacts].filter(([name]) => !named.has(name)).map(([, blobPath]) => blobPath).sort();
  return { toHash, unexpectedBlobs };
}

/** Compares each subject's pinned sha256 with the hash of its blob, where the bundle has one. */
export function checkSubjects(
  manifest: ReleaseManifest,
  artifacts: ReadonlyMap<string, string>,
  blobs: ReadonlyMap<string, { sha256: string; size: number }>,
): SubjectCheck[] {
  return manifest.subjects.map((subject) => {
    const blobPath = artifacts.get(subject.name) ?? null;
    const expected = subject.digest.sha256 ?? null;
    const blob = blobPath === null ? undefined : blobs.get(blobPath);
    const common = { name: subject.name, kind: subject.kind, digest: subject.digest, blobPath, expectedSha256: expected };

    if (blob === undefined || expected === null) {
      const reason =
        blobPath === null
          ? 'No blob in the bundle: pinned by digest only, not checked here.'
          : `The subject pins no sha256 (${Object.keys(subject.digest).join(', ')}), so its blob cannot be checked.`;
      return { ...common, size: blob?.size ?? null, status: 'not-checked', actualSha256: blob?.sha256 ?? null, reason };
    }
    if (blob.sha256 === expected) {
      return { ...common, size: blob.size, status: 'ok', actualSha256: blob.sha256, reason: 'The blob hashes to the pinned sha256.' };
    }
    return {
      ...common,
      size: blob.size,
      status: 'mismatch',
      actualSha256: blob.sha256,
      reason: `${blobPath} does not match the manifest: expected sha256 ${expected}, actual ${blob.sha256}.`,
    };
  });
}

/**
 * Without a readable manifest nothing says what the blobs should be: they are neither checked nor
 * "unexpected" (which would mean a readable manifest names no such subject). One finding says so.
 */
export function blobsWithoutManifestFindings(blobPaths: readonly string[]): Finding[] {
  if (blobPaths.length === 0) return [];
  const shown = [...blobPaths].sort().slice(0, 3).join(', ');
  const more = blobPaths.length > 3 ? ` and ${blobPaths.length - 3} more` : '';
  return [
    {
      severity: 'warning',
      code: 'blobs-not-checked',
      message: `${blobPaths.length} blob(s) in artifacts/ were not checked, because the manifest could not be read: ${shown}${more}.`,
      location: 'artifacts/',
    },
  ];
}

/** Digest algorithms that are checked against blobs: the hash workers compute SHA-256 only. */
const CHECKED_ALGORITHMS = new Set(['sha256']);
/** Algorithms that could be checked against content but are not: never shown as if they were. */
const CONTENT_ALGORITHMS = new Set(['sha384', 'sha512']);

/**
 * A subject may pin sha384 or sha512 beside sha256 (FORMATS §1). Blobs are hashed once, with
 * SHA-256, so those other digests are not compared with the blob: one finding per algorithm says
 * so, naming the subjects, rather than letting them pass as checked.
 */
export function uncheckedDigestFindings(subjects: readonly SubjectCheck[]): Finding[] {
  const byAlgorithm = new Map<string, string[]>();
  for (const subject of subjects) {
    if (subject.blobPath === null || subject.status === 'not-checked') continue;
    for (const algorithm of Object.keys(subject.digest)) {
      if (CHECKED_ALGORITHMS.has(algorithm) || !CONTENT_ALGORITHMS.has(algorithm)) continue;
      const names = byAlgorithm.get(algorithm) ?? [];
      names.push(subject.name);
      byAlgorithm.set(algorithm, names);
    }
  }
  return [...byAlgorithm].map(([algorithm, names]) => ({
    severity: 'warning',
    code: 'digest-not-checked',
    message: `The ${algorithm} digests of ${names.length} subject(s) were not checked against their blobs (only sha256 is): ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}.`,
    location: null,
  }));
}

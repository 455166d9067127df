import type { ReleaseManifest } from '../formats/manifest';
import type { SubjectCheck } from './report';

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

import { checkManifest, MANIFEST_FILE, type ManifestCheck } from '../../../shared/verify/check-manifest';
import { blobsWithoutManifestFindings, checkSubjects, planSubjectChecks } from '../../../shared/verify/check-subjects';
import type { Finding, SubjectCheck, VerificationReport } from '../../../shared/verify/report';
import type { TrustContext } from '../../../shared/verify/trust';
import { assembleReport } from '../../../shared/verify/verdict';
import type { BundleLayout } from '../bundle/layout';
import type { OpenedBundle } from '../bundle/open-bundle';
import type { HashCache } from '../hashing/hash-cache';
import type { HashPool } from '../hashing/hash-files';
import type { JobControl } from '../jobs/job-registry';
import type { ReadOfferedKey } from './offered-keys';

/** What hashing the blobs found: it depends on the manifest's subjects, never on trust. */
export interface HashedSubjects {
  subjects: SubjectCheck[];
  unexpectedBlobs: string[];
  /** Blobs nothing could be checked against, because the manifest cannot be read. */
  blobsWithoutManifest: string[];
  bytesHashed: number;
}

/** The manifest check of a bundle with no manifest file. */
export function missingManifest(): ManifestCheck {
  return {
    envelope: null,
    manifest: null,
    summary: null,
    signatures: [],
    findings: [{ severity: 'error', code: 'manifest-missing', message: `The bundle has no ${MANIFEST_FILE}.`, location: MANIFEST_FILE }],
  };
}

/** Checks the manifest envelope's signatures under `trust`: cheap, repeated whenever trust changes. */
export function checkManifestUnder(manifestBytes: Uint8Array | null, trust: TrustContext, offered: readonly ReadOfferedKey[]): ManifestCheck {
  if (manifestBytes === null) return missingManifest();
  return checkManifest(
    manifestBytes,
    trust,
    offered.flatMap(({ key }) => (key ? [key] : [])),
  );
}

/** Hashes every blob a subject names, in the hash pool, and compares it with its subject. */
export async function hashSubjects(
  bundle: OpenedBundle,
  layout: BundleLayout,
  manifest: ManifestCheck,
  services: { hashPool: HashPool; hashCache?: HashCache },
  job: JobControl = {},
): Promise<HashedSubjects> {
  if (manifest.manifest === null) return { subjects: [], unexpectedBlobs: [], blobsWithoutManifest: [...layout.artifacts.values()], bytesHashed: 0 };
  const plan = planSubjectChecks(manifest.manifest, layout.artifacts);
  const files = plan.toHash.map(({ blobPath }) => {
    const entry = bundle.entries.get(blobPath)!;
    return { path: entry.absPath, size: entry.size, blobPath };
  });
  const digests = await services.hashPool.hashFiles(files, {
    ...(job.signal ? { signal: job.signal } : {}),
    ...(job.onProgress ? { onProgress: job.onProgress } : {}),
    // Archive bundles unpack to a fresh temp dir each time: caching their paths would only add rows.
    ...(services.hashCache && bundle.format === 'directory' ? { cache: services.hashCache } : {}),
  });
  const blobs = new Map(files.map((file) => [file.blobPath, { sha256: digests.get(file.path)!, size: file.size }]));
  return {
    subjects: checkSubjects(manifest.manifest, layout.artifacts, blobs),
    unexpectedBlobs: plan.unexpectedBlobs,
    blobsWithoutManifest: [],
    bytesHashed: files.reduce((sum, file) => sum + file.size, 0),
  };
}

/** The verification report of one snapshot under one trust. */
export function reportOf(
  bundle: OpenedBundle,
  manifest: ManifestCheck,
  hashed: HashedSubjects,
  offered: readonly ReadOfferedKey[],
  trust: TrustContext,
  now: Date,
): VerificationReport {
  const extraFindings: Finding[] = [
    ...offered.flatMap(({ offered: key }) =>
      key.error ? [{ severity: 'warning' as const, code: 'offered-key-unreadable', message: `${key.file} is not a usable public key: ${key.error}`, location: key.file }] : [],
    ),
    ...blobsWithoutManifestFindings(hashed.blobsWithoutManifest),
  ];
  return assembleReport({
    manifest,
    subjects: hashed.subjects,
    unexpectedBlobs: hashed.unexpectedBlobs,
    trust,
    bundle: { path: bundle.sourcePath, container: bundle.format, fileCount: bundle.entries.size },
    extraFindings,
    bytesHashed: hashed.bytesHashed,
    now,
  });
}

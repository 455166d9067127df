import { checkManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES, type ManifestCheck } from '../../../shared/verify/check-manifest';
import { blobsWithoutManifestFindings, checkSubjects, planSubjectChecks } from '../../../shared/verify/check-subjects';
import type { Finding, SubjectCheck, VerificationReport } from '../../../shared/verify/report';
import type { TrustContext } from '../../../shared/verify/trust';
import { assembleReport } from '../../../shared/verify/verdict';
import { classifyBundle } from '../bundle/layout';
import { openBundle, readBundleFile, type OpenedBundle } from '../bundle/open-bundle';
import type { HashCache } from '../hashing/hash-cache';
import type { HashPool, HashProgressUpdate } from '../hashing/hash-files';
import { readOfferedKeys } from './offered-keys';

export interface VerifyBundleOptions {
  trust: TrustContext;
  hashPool: HashPool;
  hashCache?: HashCache;
  signal?: AbortSignal;
  onProgress?: (progress: HashProgressUpdate) => void;
  tempRoot?: string;
  now?: () => Date;
}

/**
 * Opens a bundle, checks the manifest's signatures and every blob's hash, and returns the report.
 * Throws only when the bundle cannot be read at all (missing, unreadable, hostile) or on cancel;
 * everything found inside a readable bundle is in the report.
 */
export async function verifyBundle(path: string, options: VerifyBundleOptions): Promise<VerificationReport> {
  const bundle = await openBundle(path, { ...(options.signal ? { signal: options.signal } : {}), ...(options.tempRoot ? { tempRoot: options.tempRoot } : {}) });
  try {
    return await verifyOpenedBundle(bundle, options);
  } finally {
    await bundle.close();
  }
}

/** verifyBundle over a bundle the caller opened (and closes), so other files of the same snapshot can be read alongside. */
export async function verifyOpenedBundle(bundle: OpenedBundle, options: VerifyBundleOptions): Promise<VerificationReport> {
  const layout = classifyBundle(bundle.entries.keys());
  const offered = await readOfferedKeys(bundle, layout);
  const extraFindings: Finding[] = offered.flatMap(({ offered: key }) =>
    key.error ? [{ severity: 'warning' as const, code: 'offered-key-unreadable', message: `${key.file} is not a usable public key: ${key.error}`, location: key.file }] : [],
  );

  const manifest: ManifestCheck = layout.manifest
    ? checkManifest(await readBundleFile(bundle, layout.manifest, MAX_MANIFEST_BYTES), options.trust, offered.flatMap(({ key }) => (key ? [key] : [])))
    : {
        envelope: null,
        manifest: null,
        summary: null,
        signatures: [],
        findings: [{ severity: 'error', code: 'manifest-missing', message: `The bundle has no ${MANIFEST_FILE}.`, location: MANIFEST_FILE }],
      };

  let subjects: SubjectCheck[] = [];
  let unexpectedBlobs: string[] = [];
  let bytesHashed = 0;
  if (manifest.manifest) {
    const plan = planSubjectChecks(manifest.manifest, layout.artifacts);
    unexpectedBlobs = plan.unexpectedBlobs;
    const files = plan.toHash.map(({ blobPath }) => {
      const entry = bundle.entries.get(blobPath)!;
      return { path: entry.absPath, size: entry.size, blobPath };
    });
    const digests = await options.hashPool.hashFiles(files, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      // Archive bundles unpack to a fresh temp dir each time: caching their paths would only add rows.
      ...(options.hashCache && bundle.format === 'directory' ? { cache: options.hashCache } : {}),
    });
    const blobs = new Map(files.map((file) => [file.blobPath, { sha256: digests.get(file.path)!, size: file.size }]));
    bytesHashed = files.reduce((sum, file) => sum + file.size, 0);
    subjects = checkSubjects(manifest.manifest, layout.artifacts, blobs);
  } else {
    extraFindings.push(...blobsWithoutManifestFindings([...layout.artifacts.values()]));
  }

  return assembleReport({
    manifest,
    subjects,
    unexpectedBlobs,
    trust: options.trust,
    bundle: { path: bundle.sourcePath, format: bundle.format, fileCount: bundle.entries.size },
    extraFindings,
    bytesHashed,
    now: (options.now ?? (() => new Date()))(),
  });
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, type ManifestCheck } from '../../../shared/verify/check-manifest';
import { decideDeployment, type ApprovalOutcome } from '../../../shared/deployment/decide-deployment';
import type { DeploymentDiff, DeploymentSource } from '../../../shared/deployment/deployment-report';
import { diffDeployment } from '../../../shared/deployment/diff-deployment';
import { DEPLOYMENT_LIMITS, DeploymentFormatError, type ProposedDeployment } from '../../../shared/deployment/proposed-deployment';
import { parseDeploymentFile } from '../../../shared/deployment/read-deployment';
import { FormatError } from '../../../shared/formats/format-error';
import type { ReleaseManifest } from '../../../shared/formats/manifest';
import { BundleError, NoBundleDeploymentError } from '../bundle/bundle-error';
import { readBundleFile, type OpenedBundle } from '../bundle/open-bundle';
import type { JobControl } from '../jobs/job-registry';

/** Where the proposed deployment comes from (FORMATS §9 for the bundle's own). */
export type DeploymentInput =
  | { from: 'bundle' }
  | { from: 'file'; path: string }
  /** A file the person opened or dropped in the UI, read there and sent as text. */
  | { from: 'text'; fileName: string; text: string };

/** The bundle's own proposed deployment, and where it was read from. */
export interface BundleDeployment {
  deployment: ProposedDeployment;
  source: DeploymentSource;
}

/** What the diff needs of the release: its verified manifest, as the session checked it. */
export interface DiffRelease {
  manifest: ManifestCheck;
  /** The bundle's own deployment, read from the same snapshot as the manifest. */
  bundleDeployment: () => Promise<BundleDeployment>;
}

/**
 * Diffs a release manifest against a proposed deployment and decides whether it is deployable.
 * Throws (bad input) when the manifest or the deployment file cannot be read; everything else
 * is in the result. `approval` is the release's approval outcome under the board policy, from
 * the same snapshot (null when there is no board policy).
 */
export async function diffReleaseDeployment(release: DiffRelease, input: DeploymentInput, approval: ApprovalOutcome | null, job: JobControl = {}): Promise<Omit<DeploymentDiff, 'integrity'>> {
  const { manifest, digest } = diffableManifest(release.manifest);
  const { deployment, source } = await readDeployment(release, input, job);
  const rows = diffDeployment(manifest.subjects, deployment.artifacts);
  const { verdict, reasons } = decideDeployment({ rows, approval });
  const name = manifest.release;
  return {
    release: name === null ? null : `${name.name}@${name.version}`,
    manifestDigest: digest,
    source,
    rows,
    verdict,
    reasons,
    findings: deployment.findings,
    approved: approval?.approved ?? null,
  };
}

/** The release statement a deployment can be diffed against; a manifest that cannot be read as one is bad input. */
export function diffableManifest(checked: ManifestCheck): { manifest: ReleaseManifest; digest: string } {
  if (checked.manifest === null || checked.summary === null || !checked.manifest.understood) {
    const problem = checked.findings.find((finding) => finding.severity === 'error')?.message ?? 'it is not a release manifest';
    throw new FormatError(MANIFEST_FILE, `cannot diff a deployment against it: ${problem}`);
  }
  return { manifest: checked.manifest, digest: checked.summary.digest };
}

async function readDeployment(release: DiffRelease, input: DeploymentInput, job: JobControl): Promise<BundleDeployment> {
  switch (input.from) {
    case 'bundle':
      return release.bundleDeployment();
    case 'file': {
      const fileName = path.basename(input.path);
      const bytes = await readDeploymentPath(input.path, job);
      const deployment = parseDeploymentFile(bytes, fileName);
      return { deployment, source: sourceOf('file', input.path, deployment) };
    }
    case 'text': {
      const fileName = path.basename(input.fileName.replaceAll('\\', '/'));
      const deployment = parseDeploymentFile(input.text, fileName);
      return { deployment, source: sourceOf('opened', fileName, deployment) };
    }
  }
}

/**
 * The bundle's own deployment (FORMATS §9): `deployment.json`, or its Kubernetes YAML files
 * (`deployment.yaml`, `*.k8s.yaml`) read together as one deployment. Both kinds at once are
 * refused: which one is proposed would be a guess.
 */
export async function readBundleDeployment(bundle: OpenedBundle, files: readonly string[]): Promise<BundleDeployment> {
  if (files.length === 0) {
    throw new NoBundleDeploymentError();
  }
  if (files.includes('deployment.json') && files.length > 1) {
    throw new DeploymentFormatError(files.join(', '), 'the bundle proposes both deployment.json and Kubernetes YAML; keep one, or give the deployment file to compare with');
  }
  const parts: ProposedDeployment[] = [];
  for (const file of files) parts.push(parseDeploymentFile(await readBundleFile(bundle, file, DEPLOYMENT_LIMITS.maxBytes), file));
  const artifacts = parts.flatMap((part) => part.artifacts);
  if (artifacts.length > DEPLOYMENT_LIMITS.maxArtifacts) throw new DeploymentFormatError(files.join(', '), `more than ${DEPLOYMENT_LIMITS.maxArtifacts} artifacts in one deployment`);
  const environments = new Set(parts.map((part) => part.environment));
  const deployment: ProposedDeployment = {
    format: parts[0]!.format,
    environment: environments.size === 1 ? parts[0]!.environment : null,
    artifacts,
    findings: parts.flatMap((part) => part.findings),
  };
  return { deployment, source: sourceOf('bundle', files.join(', '), deployment) };
}

function sourceOf(origin: DeploymentSource['origin'], file: string, deployment: ProposedDeployment): DeploymentSource {
  return { origin, file, format: deployment.format, environment: deployment.environment };
}

/** A deployment file named on the command line (or by the UI), refused past the size cap before it is read. */
async function readDeploymentPath(filePath: string, job: JobControl): Promise<Uint8Array> {
  const fail = (reason: string) => new DeploymentFormatError(filePath, reason);
  let stats;
  try {
    stats = await fs.stat(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' || code === 'ENOTDIR' ? new BundleError('not-found', `No such deployment file: ${filePath}`) : fail(`cannot be read: ${(error as Error).message}`);
  }
  if (!stats.isFile()) throw fail('is not a regular file');
  if (stats.size > DEPLOYMENT_LIMITS.maxBytes) throw fail(`the file is ${stats.size} bytes, more than the limit of ${DEPLOYMENT_LIMITS.maxBytes} bytes`);
  job.onProgress?.({ bytesDone: 0, bytesTotal: stats.size, filesDone: 0, filesTotal: 1 });
  const bytes = new Uint8Array(await fs.readFile(filePath, job.signal ? { signal: job.signal } : {}));
  job.onProgress?.({ bytesDone: bytes.length, bytesTotal: stats.size, filesDone: 1, filesTotal: 1 });
  if (bytes.length > DEPLOYMENT_LIMITS.maxBytes) throw fail(`the file grew past the limit of ${DEPLOYMENT_LIMITS.maxBytes} bytes while being read`);
  return bytes;
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { checkManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES } from '../../../shared/verify/check-manifest';
import type { TrustContext } from '../../../shared/verify/trust';
import { decideDeployment, type ApprovalOutcome } from '../../../shared/deployment/decide-deployment';
import type { DeploymentDiff, DeploymentSource } from '../../../shared/deployment/deployment-report';
import { diffDeployment } from '../../../shared/deployment/diff-deployment';
import { DEPLOYMENT_LIMITS, DeploymentFormatError, type ProposedDeployment } from '../../../shared/deployment/proposed-deployment';
import { parseDeploymentFile } from '../../../shared/deployment/read-deployment';
import { FormatError } from '../../../shared/formats/format-error';
import { BundleError } from '../bundle/bundle-error';
import { classifyBundle } from '../bundle/layout';
import { openBundle, readBundleFile, type OpenedBundle } from '../bundle/open-bundle';

/** Where the proposed deployment comes from (FORMATS §9 for the bundle's own). */
export type DeploymentInput =
  | { from: 'bundle' }
  | { from: 'file'; path: string }
  /** A file the person opened or dropped in the UI, read there and sent as text. */
  | { from: 'text'; fileName: string; text: string };

export interface DiffBundleDeploymentOptions {
  deployment: DeploymentInput;
  /** Used only to read the manifest; the verdict's trust comes from the approval evaluation. */
  trust: TrustContext;
  /** Judges the release's approvals under the board policy; null when there is no board policy. */
  evaluateApproval: (bundlePath: string) => Promise<ApprovalOutcome | null>;
  tempRoot?: string;
}

/**
 * Diffs a bundle's release manifest against a proposed deployment and decides whether it is
 * deployable. Throws (bad input) when the bundle, its manifest or the deployment file cannot be
 * read; everything else is in the result.
 */
export async function diffBundleDeployment(bundlePath: string, options: DiffBundleDeploymentOptions): Promise<DeploymentDiff> {
  const bundle = await openBundle(bundlePath, options.tempRoot ? { tempRoot: options.tempRoot } : {});
  let read;
  try {
    read = await readManifestAndDeployment(bundle, options);
  } finally {
    await bundle.close();
  }
  const { manifest, deployment, source } = read;
  const rows = diffDeployment(manifest.manifest.subjects, deployment.artifacts);
  const approval = await options.evaluateApproval(bundlePath);
  const { verdict, reasons } = decideDeployment({ rows, approval });
  const release = manifest.manifest.release;
  return {
    release: release === null ? null : `${release.name}@${release.version}`,
    manifestDigest: manifest.digest,
    source,
    rows,
    verdict,
    reasons,
    findings: deployment.findings,
    approved: approval?.approved ?? null,
  };
}

async function readManifestAndDeployment(bundle: OpenedBundle, options: DiffBundleDeploymentOptions) {
  const layout = classifyBundle(bundle.entries.keys());
  if (layout.manifest === null) throw new BundleError('not-found', `The bundle has no ${MANIFEST_FILE}.`, MANIFEST_FILE);
  const checked = checkManifest(await readBundleFile(bundle, layout.manifest, MAX_MANIFEST_BYTES), options.trust);
  if (checked.manifest === null || checked.summary === null || !checked.manifest.understood) {
    const problem = checked.findings.find((finding) => finding.severity === 'error')?.message ?? 'it is not a release manifest';
    throw new FormatError(MANIFEST_FILE, `cannot diff a deployment against it: ${problem}`);
  }
  const manifest = { manifest: checked.manifest, digest: checked.summary.digest };

  const input = options.deployment;
  switch (input.from) {
    case 'bundle': {
      const { deployment, source } = await readBundleDeployment(bundle, layout.deployment);
      return { manifest, deployment, source };
    }
    case 'file': {
      const fileName = path.basename(input.path);
      const deployment = parseDeploymentFile(await readDeploymentPath(input.path), fileName);
      return { manifest, deployment, source: sourceOf('file', input.path, deployment) };
    }
    case 'text': {
      const fileName = path.basename(input.fileName.replaceAll('\\', '/'));
      const deployment = parseDeploymentFile(input.text, fileName);
      return { manifest, deployment, source: sourceOf('opened', fileName, deployment) };
    }
  }
}

/**
 * The bundle's own deployment (FORMATS §9): `deployment.json`, or its Kubernetes YAML files
 * (`deployment.yaml`, `*.k8s.yaml`) read together as one deployment. Both kinds at once are
 * refused: which one is proposed would be a guess.
 */
async function readBundleDeployment(bundle: OpenedBundle, files: readonly string[]): Promise<{ deployment: ProposedDeployment; source: DeploymentSource }> {
  if (files.length === 0) {
    throw new BundleError('not-found', 'The bundle has no deployment.json, deployment.yaml or *.k8s.yaml: give a deployment file to compare with.');
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
async function readDeploymentPath(filePath: string): Promise<Uint8Array> {
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
  const bytes = new Uint8Array(await fs.readFile(filePath));
  if (bytes.length > DEPLOYMENT_LIMITS.maxBytes) throw fail(`the file grew past the limit of ${DEPLOYMENT_LIMITS.maxBytes} bytes while being read`);
  return bytes;
}

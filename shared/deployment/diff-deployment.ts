import type { DigestSet } from '../formats/digest';
import { isKnownDigestAlgorithm } from '../formats/digest';
import type { ManifestSubject } from '../formats/manifest';
import type { ArtifactKind } from '../verify/report';
import type { DeploymentRow } from './deployment-report';
import { normaliseRepositoryName } from './image-reference';
import { pathAfterBucket, type ProposedArtifact } from './proposed-deployment';

/**
 * Subjects of these kinds are what a deployment runs, so only they are reported as
 * not-deployed when absent. Datasets, features, code, lockfiles, configs and reports are
 * pinned for review, not deployed; listing them as missing would only be noise.
 */
export const DEPLOYED_KINDS: ReadonlySet<ArtifactKind> = new Set(['model', 'container']);

/**
 * Matches each deployed artifact to the manifest subject it claims to be, and gives each a
 * status (FORMATS §8). A deployed artifact finds its subject by, in order:
 * 1. the subject whose name equals the artifact's name;
 * 2. for a container image: the container subject whose name, normalised as an image
 *    repository, equals the image's repository (`nginx` ≡ `docker.io/library/nginx`);
 * 3. for a KServe storage URI: the subject whose name equals the URI's path after the bucket
 *    (`s3://models/model/fraud.onnx` → `model/fraud.onnx`).
 * Rows come in manifest order (deployed or not-deployed), then what the manifest never named.
 */
export function diffDeployment(subjects: readonly ManifestSubject[], artifacts: readonly ProposedArtifact[]): DeploymentRow[] {
  const byName = new Map(subjects.map((subject) => [subject.name, subject]));
  const byRepository = new Map<string, ManifestSubject>();
  for (const subject of subjects) {
    if (subject.kind !== 'container') continue;
    const repository = normaliseRepositoryName(subject.name);
    if (repository !== null && !byRepository.has(repository)) byRepository.set(repository, subject);
  }
  const findSubject = (artifact: ProposedArtifact): ManifestSubject | null => {
    const named = byName.get(artifact.name);
    if (named !== undefined) return named;
    if (artifact.image !== null) return byRepository.get(artifact.image.repository) ?? null;
    if (artifact.storageUri !== null) {
      const objectPath = pathAfterBucket(artifact.storageUri);
      return objectPath === null ? null : (byName.get(objectPath) ?? null);
    }
    return null;
  };

  const rowsBySubject = new Map<string, DeploymentRow[]>();
  const unknown: DeploymentRow[] = [];
  for (const artifact of artifacts) {
    const subject = findSubject(artifact);
    const row = rowFor(subject, artifact);
    if (subject === null) unknown.push(row);
    else rowsBySubject.set(subject.name, [...(rowsBySubject.get(subject.name) ?? []), row]);
  }

  const rows: DeploymentRow[] = [];
  for (const subject of subjects) {
    const deployed = rowsBySubject.get(subject.name);
    if (deployed !== undefined) rows.push(...deployed);
    else if (subject.kind !== null && DEPLOYED_KINDS.has(subject.kind)) {
      rows.push({ status: 'not-deployed', subject: subject.name, kind: subject.kind, manifestDigest: subject.digest, deployed: null, detail: `the manifest's ${subject.kind} is not in this deployment` });
    }
  }
  return [...rows, ...unknown];
}

function rowFor(subject: ManifestSubject | null, artifact: ProposedArtifact): DeploymentRow {
  const deployed = { name: artifact.name, reference: artifact.reference, digest: artifact.digest, location: artifact.location };
  if (subject === null) {
    return { status: 'not-in-manifest', subject: null, kind: null, manifestDigest: null, deployed, detail: 'no subject of the manifest names it: it was never approved' };
  }
  const row = { subject: subject.name, kind: subject.kind, manifestDigest: subject.digest, deployed };
  if (artifact.digest === null) return { ...row, status: 'mutable-reference', detail: mutableDetail(artifact) };
  const comparison = compareDigests(subject.digest, artifact.digest);
  if (comparison === 'equal') return { ...row, status: 'match', detail: 'deployed digest equals the manifest' };
  if (comparison === 'incomparable') {
    return { ...row, status: 'digest-mismatch', detail: `deployed by ${Object.keys(artifact.digest).join(', ')}, which the manifest does not pin: it cannot be shown to be the approved content` };
  }
  return { ...row, status: 'digest-mismatch', detail: 'deployed digest differs from the manifest: not the approved content' };
}

function mutableDetail(artifact: ProposedArtifact): string {
  if (artifact.storageUri !== null) return 'a storage URI carries no digest: whatever the location holds at startup is served';
  if (artifact.image !== null) {
    return artifact.image.tag === null ? 'no tag and no digest: the runtime pulls whatever latest is then' : `deployed by the tag ${artifact.image.tag}, with no digest: tags move`;
  }
  return 'no digest';
}

/** Equal when every known algorithm both sides give agrees (and there is at least one). */
function compareDigests(manifest: DigestSet, deployed: DigestSet): 'equal' | 'different' | 'incomparable' {
  const common = Object.keys(deployed).filter((algorithm) => isKnownDigestAlgorithm(algorithm) && Object.hasOwn(manifest, algorithm));
  if (common.length === 0) return 'incomparable';
  return common.every((algorithm) => manifest[algorithm] === deployed[algorithm]) ? 'equal' : 'different';
}

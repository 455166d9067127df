/**
 * Where each file of a bundle belongs (FORMATS §9), by relPath alone. Pure: no file is read.
 *
 * Lineage and deployment files are recognised at the bundle root only, as §9 lists them;
 * approvals and keys one level down in their folders. Anything else is `other`, so a file in an
 * unexpected place is shown rather than silently used.
 */
export interface BundleLayout {
  manifest: string | null;
  approvals: string[];
  lineage: string[];
  deployment: string[];
  /** Subject name (the relPath after `artifacts/`) to relPath. Look blobs up here; never build a path from a subject name. */
  artifacts: ReadonlyMap<string, string>;
  keys: string[];
  other: string[];
}

const MANIFEST = 'manifest.dsse.json';
const ARTIFACTS_PREFIX = 'artifacts/';

/** `*suffix` with a non-empty stem and no directory part. */
function isNamed(fileName: string, suffix: string): boolean {
  return fileName.length > suffix.length && fileName.endsWith(suffix) && !fileName.includes('/');
}

function inFolder(relPath: string, folder: string, suffix: string): boolean {
  return relPath.startsWith(`${folder}/`) && isNamed(relPath.slice(folder.length + 1), suffix);
}

function isLineage(relPath: string): boolean {
  return relPath === 'lineage.json' || relPath === 'dvc.lock' || isNamed(relPath, '.openlineage.json') || isNamed(relPath, '.openlineage.jsonl');
}

function isDeployment(relPath: string): boolean {
  return relPath === 'deployment.json' || relPath === 'deployment.yaml' || isNamed(relPath, '.k8s.yaml');
}

export function classifyBundle(relPaths: Iterable<string>): BundleLayout {
  const layout = { manifest: null as string | null, approvals: [] as string[], lineage: [] as string[], deployment: [] as string[], keys: [] as string[], other: [] as string[] };
  const artifacts = new Map<string, string>();
  for (const relPath of [...relPaths].sort()) {
    if (relPath === MANIFEST) layout.manifest = relPath;
    else if (inFolder(relPath, 'approvals', '.dsse.json')) layout.approvals.push(relPath);
    else if (isLineage(relPath)) layout.lineage.push(relPath);
    else if (isDeployment(relPath)) layout.deployment.push(relPath);
    else if (relPath.startsWith(ARTIFACTS_PREFIX) && relPath.length > ARTIFACTS_PREFIX.length) artifacts.set(relPath.slice(ARTIFACTS_PREFIX.length), relPath);
    else if (inFolder(relPath, 'keys', '.pub')) layout.keys.push(relPath);
    else layout.other.push(relPath);
  }
  return { ...layout, artifacts };
}

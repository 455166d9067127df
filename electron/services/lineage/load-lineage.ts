import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseEnvelope } from '../../../shared/crypto/dsse';
import { parseDeploymentFile } from '../../../shared/deployment/read-deployment';
import { DEPLOYMENT_LIMITS } from '../../../shared/deployment/proposed-deployment';
import { parseReleaseStatement, type ReleaseManifest } from '../../../shared/formats/manifest';
import { parseStrictJson } from '../../../shared/json/strict-json';
import type { ImportedLineage } from '../../../shared/lineage/imported-lineage';
import { LineageError } from '../../../shared/lineage/lineage-error';
import { importLineageFile, lineageFormatOf, MAX_LINEAGE_FILE_BYTES, type LineageFormat } from '../../../shared/lineage/lineage-sources';
import { mergeLineage, type Lineage } from '../../../shared/lineage/merge-lineage';
import type { KnownDeployment, KnownRelease, ReleaseKnowledge } from '../../../shared/lineage/release-knowledge';
import { IN_TOTO_PAYLOAD_TYPE, MAX_MANIFEST_BYTES } from '../../../shared/verify/check-manifest';
import type { Finding } from '../../../shared/verify/report';
import { BundleError } from '../bundle/bundle-error';
import { classifyBundle, type BundleLayout } from '../bundle/layout';
import { readBundleFile, type OpenedBundle } from '../bundle/open-bundle';

/** A lineage graph ready for queries, with what the app knows about the releases around it. */
export interface LoadedLineage {
  lineage: Lineage;
  knowledge: ReleaseKnowledge;
}

/** A lineage file on its own (`lineage.json` or any other `.json`, `*.openlineage.json`, `*.jsonl`, `dvc.lock`). */
export async function loadLineageFile(path: string, format: LineageFormat): Promise<LoadedLineage> {
  const lineage = mergeLineage([importLineageFile(basename(path), format, await readCappedFile(path, MAX_LINEAGE_FILE_BYTES))]);
  return { lineage, knowledge: { releases: [], deployments: [] } };
}

/**
 * The lineage of an opened bundle: its lineage files at the root merge into one graph. The
 * manifest's subjects link lineage nodes to them, and the release it names, its approval files
 * and its proposed deployment become what impact reports list. These are what the bundle says;
 * whether its signatures hold is the verification's business.
 */
export async function loadBundleLineage(bundle: OpenedBundle): Promise<LoadedLineage> {
  const layout = classifyBundle(bundle.entries.keys());
  if (layout.lineage.length === 0) throw new LineageError(basename(bundle.sourcePath), 'the bundle has no lineage file (lineage.json, *.openlineage.json, *.openlineage.jsonl or dvc.lock)');
  const findings: Finding[] = [];
  const manifest = await readManifest(bundle, layout, findings);

  const sources: ImportedLineage[] = [];
  // The native file first: between two kinds declared for one node, the first source read wins.
  for (const file of [...layout.lineage].sort((a, b) => Number(b === 'lineage.json') - Number(a === 'lineage.json'))) {
    sources.push(importLineageFile(file, lineageFormatOf(file)!, await readBundleFile(bundle, file, MAX_LINEAGE_FILE_BYTES)));
  }
  const lineage = mergeLineage(sources, { subjectNames: manifest ? new Set(manifest.subjects.map((subject) => subject.name)) : null });
  lineage.findings.unshift(...findings);

  const releases: KnownRelease[] =
    manifest?.release != null
      ? [{ release: `${manifest.release.name}@${manifest.release.version}`, subjects: new Set(manifest.subjects.map((subject) => subject.name)), approvals: layout.approvals.length }]
      : [];
  const deployments = await readDeployments(bundle, layout, lineage.findings);
  return { lineage, knowledge: { releases, deployments } };
}

/** The release statement the bundle carries, parsed but not verified; null (and a finding) when it cannot be read. */
async function readManifest(bundle: OpenedBundle, layout: BundleLayout, findings: Finding[]): Promise<ReleaseManifest | null> {
  if (layout.manifest === null) return null;
  try {
    const envelope = parseEnvelope(parseStrictJson(await readBundleFile(bundle, layout.manifest, MAX_MANIFEST_BYTES), { maxBytes: MAX_MANIFEST_BYTES }));
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new Error(`payloadType is "${envelope.payloadType}"`);
    return parseReleaseStatement(parseStrictJson(envelope.payload, { maxBytes: MAX_MANIFEST_BYTES }));
  } catch (error) {
    if (error instanceof BundleError) throw error;
    findings.push({
      severity: 'warning',
      code: 'lineage-manifest-unreadable',
      message: `The manifest cannot be read (${error instanceof Error ? error.message : String(error)}): no node is linked to a subject by name, and impact lists no release.`,
      location: layout.manifest,
    });
    return null;
  }
}

async function readDeployments(bundle: OpenedBundle, layout: BundleLayout, findings: Finding[]): Promise<KnownDeployment[]> {
  const deployments: KnownDeployment[] = [];
  for (const file of layout.deployment) {
    try {
      const deployment = parseDeploymentFile(await readBundleFile(bundle, file, DEPLOYMENT_LIMITS.maxBytes), file);
      deployments.push({ environment: deployment.environment ?? file, artifacts: new Set(deployment.artifacts.map((artifact) => artifact.name)) });
    } catch (error) {
      if (error instanceof BundleError) throw error;
      findings.push({
        severity: 'warning',
        code: 'lineage-deployment-unreadable',
        message: `${file} cannot be read (${error instanceof Error ? error.message : String(error)}): impact lists no deployment from it.`,
        location: file,
      });
    }
  }
  return deployments;
}

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** Reads a whole file that is not in a bundle, refusing it past maxBytes (checked on the open handle, reading one byte past the cap at most). */
async function readCappedFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BundleError('not-found', `No such file: ${path}`);
    if (code === 'ELOOP') throw new BundleError('hostile-input', `${path} is a symbolic link; open the file it points to.`);
    throw new BundleError('unreadable', `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new BundleError('unreadable', `${path} is not a regular file.`);
    if (stats.size > maxBytes) throw new BundleError('hostile-input', `${basename(path)} is larger than the ${maxBytes}-byte cap for a lineage file.`);
    const buffer = new Uint8Array(stats.size + 1);
    let filled = 0;
    while (filled < buffer.byteLength) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled !== stats.size) throw new BundleError('unreadable', `${path} changed while it was being read.`);
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

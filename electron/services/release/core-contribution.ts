import fs from 'node:fs/promises';
import path from 'node:path';
import { parseImageReference, ImageReferenceError } from '../../../shared/deployment/image-reference';
import { parseStrictJson, type JsonObject } from '../../../shared/json/strict-json';
import { importLineageFile, lineageFormatOf, MAX_LINEAGE_FILE_BYTES } from '../../../shared/lineage/lineage-sources';
import { parseDeploymentFile } from '../../../shared/deployment/read-deployment';
import type { KindOverride } from '../../../shared/release/artifact-kind';
import type { GlobMatcher } from '../../../shared/release/glob';
import { parseMetric, parsePinnedSubject } from '../../../shared/release/release-flags';
import { DomainError } from '../../../shared/errors/domain-error';
import { collectFiles, describe } from './collect-files';
import { ReleaseInputError } from './release-error';
import type { LineageFile, PinnedSubject, SourceContribution } from './sources/contribution';

/** What `release create` itself gathers from its paths and flags, as one more source. */
export interface CoreInputs {
  baseDir: string;
  paths: readonly string[];
  locks: readonly string[];
  images: readonly string[];
  subjects: readonly string[];
  lineage: readonly string[];
  seed: number | undefined;
  hardwareFile: string | undefined;
  metrics: readonly string[];
  excludes: readonly GlobMatcher[];
  kinds: readonly KindOverride[];
}

const MAX_SMALL_FILE_BYTES = 16 * 1024 * 1024;

export async function coreContribution(inputs: CoreInputs): Promise<SourceContribution> {
  const collectOptions = { baseDir: inputs.baseDir, excludes: inputs.excludes, kinds: inputs.kinds };
  const files = await collectFiles(inputs.paths, collectOptions);
  for (const lock of await collectFiles(inputs.locks, { ...collectOptions, excludes: [] })) files.push({ ...lock, kind: 'lockfile' });
  const pinned: PinnedSubject[] = [...inputs.images.map(imageSubject), ...inputs.subjects.map(parsePinnedSubject)];
  const environment: JsonObject = {};
  if (inputs.seed !== undefined) environment['seed'] = inputs.seed;
  if (inputs.hardwareFile !== undefined) environment['hardware'] = await readHardwareFile(path.resolve(inputs.baseDir, inputs.hardwareFile));
  const metrics: Record<string, number> = {};
  for (const text of inputs.metrics) {
    const { name, value } = parseMetric(text);
    if (Object.hasOwn(metrics, name)) throw new ReleaseInputError(`--metric ${name} is given twice`);
    metrics[name] = value;
  }
  const lineage = await Promise.all(inputs.lineage.map((file) => readLineageFile(path.resolve(inputs.baseDir, file))));
  return { files, pinned, lineage, environment, metrics };
}

/**
 * `--image registry/repo@sha256:<hex>`: a container pinned by digest, named by its repository
 * (normalised as the deployment diff matches it: `nginx` is `docker.io/library/nginx`). A tag
 * alone can be moved to another image, so it is refused.
 */
export function imageSubject(text: string): PinnedSubject {
  let reference;
  try {
    reference = parseImageReference(text);
  } catch (error) {
    if (error instanceof ImageReferenceError) throw new ReleaseInputError(`--image ${error.message}`);
    throw error;
  }
  if (reference.digest === null) {
    const tag = reference.tag === null ? 'no tag or digest, which means the tag "latest"' : `only the tag "${reference.tag}"`;
    throw new ReleaseInputError(
      `--image ${JSON.stringify(text)} names ${tag}: a tag can be moved to another image, so it pins nothing. Give the digest: ${reference.repository}@sha256:<64 hex> (\`docker buildx imagetools inspect\` or \`crane digest\` prints it)`,
    );
  }
  if (reference.digest.algorithm !== 'sha256') throw new ReleaseInputError(`--image ${JSON.stringify(text)}: a container subject is pinned by sha256 (FORMATS §4), not ${reference.digest.algorithm}`);
  return { name: reference.repository, kind: 'container', digest: { sha256: reference.digest.hex } };
}

async function readSmallFile(file: string, flag: string, maxBytes = MAX_SMALL_FILE_BYTES): Promise<Uint8Array> {
  let stats;
  try {
    stats = await fs.lstat(file);
  } catch (error) {
    throw new ReleaseInputError(`${flag} ${file}: ${describe(error)}`);
  }
  if (stats.isSymbolicLink()) throw new ReleaseInputError(`${flag} ${file} is a symbolic link: refused`);
  if (!stats.isFile()) throw new ReleaseInputError(`${flag} ${file} is not a regular file`);
  if (stats.size > maxBytes) throw new ReleaseInputError(`${flag} ${file} is larger than ${maxBytes} bytes`);
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new ReleaseInputError(`${flag} ${file}: ${describe(error)}`);
  }
}

async function readHardwareFile(file: string): Promise<JsonObject> {
  const bytes = await readSmallFile(file, '--hardware-file');
  const parsed = withFileNamed(file, () => parseStrictJson(bytes), '--hardware-file');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ReleaseInputError(`--hardware-file ${file}: expected a JSON object, e.g. {"cpu": "x86_64", "gpu": "NVIDIA A100"}`);
  return parsed;
}

/**
 * `--lineage <file>` (FORMATS §7): checked by the same importer that reads it from a bundle, and
 * shipped under the name a bundle gives that format: `lineage.json`, `dvc.lock`, or
 * `<stem>.openlineage.json(l)`.
 */
async function readLineageFile(file: string): Promise<LineageFile> {
  const base = path.basename(file);
  const format = lineageFormatOf(base);
  if (format === null) throw new ReleaseInputError(`--lineage ${file}: not a lineage file by its name (lineage.json or any .json, *.openlineage.json, *.jsonl, dvc.lock)`);
  const bytes = await readSmallFile(file, '--lineage', MAX_LINEAGE_FILE_BYTES);
  withFileNamed(file, () => importLineageFile(base, format, bytes), '--lineage');
  const stem = base.replace(/\.openlineage\.jsonl?$|\.jsonl?$/, '');
  const fileName = format === 'native' ? 'lineage.json' : format === 'dvc-lock' ? 'dvc.lock' : format === 'openlineage' ? `${stem}.openlineage.json` : `${stem}.openlineage.jsonl`;
  return { fileName, bytes };
}

/** `--deployment <file>` (FORMATS §8), checked as the diff reads it, shipped as deployment.json, deployment.yaml or *.k8s.yaml. */
export async function readDeploymentFile(file: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const base = path.basename(file);
  const bytes = await readSmallFile(file, '--deployment');
  withFileNamed(file, () => parseDeploymentFile(bytes, base), '--deployment');
  const lower = base.toLowerCase();
  const fileName = lower.endsWith('.json') ? 'deployment.json' : lower.endsWith('.k8s.yaml') ? base : 'deployment.yaml';
  return { fileName, bytes };
}

function withFileNamed<T>(file: string, read: () => T, flag: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DomainError) throw new ReleaseInputError(`${flag} ${file}: ${error.message}`);
    throw error;
  }
}

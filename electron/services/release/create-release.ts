import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pae, serializeEnvelope } from '../../../shared/crypto/dsse';
import { verifyEd25519Strict } from '../../../shared/crypto/ed25519';
import { sha256Hex } from '../../../shared/crypto/hash';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { DomainError } from '../../../shared/errors/domain-error';
import { parseReleaseStatement } from '../../../shared/formats/manifest';
import { parseStrictJson, type JsonObject } from '../../../shared/json/strict-json';
import { compileGlob } from '../../../shared/release/glob';
import { parseKindOverride } from '../../../shared/release/artifact-kind';
import { createdAtNow, parseCreatedAt, parseSeed, parseTolerance } from '../../../shared/release/release-flags';
import { releaseStatementPayload, type ReleaseSubject } from '../../../shared/release/release-statement';
import { MAX_ATTESTATION_BYTES } from '../../../shared/verify/attestations';
import { IN_TOTO_PAYLOAD_TYPE, MANIFEST_FILE } from '../../../shared/verify/check-manifest';
import { detectSignatureFormat } from '../../../shared/verify/foreign/detect-format';
import { checkEntryPath } from '../bundle/entry-path';
import { EntryNames } from '../bundle/entry-names';
import { DEFAULT_BUNDLE_LIMITS } from '../bundle/limits';
import { HashCancelledError, type HashPool, type HashProgressUpdate } from '../hashing/hash-files';
import type { BundleEntry } from './bundle-entries';
import { describe } from './collect-files';
import { coreContribution, readDeploymentFile } from './core-contribution';
import type { ManifestSigner, OfferedPublicKey } from './manifest-signer';
import { ReleaseInputError } from './release-error';
import type { ShippedFile, SourceContribution } from './sources/contribution';
import { writeTarGz } from './write-tar-gz';
import { writeZip } from './write-zip';

/** What `release create` is asked for, its flags as text (checked here, each error naming its flag). */
export interface CreateReleaseRequest {
  /** The working directory: relative paths resolve against it, and subject names are relative to it. */
  baseDir: string;
  paths: readonly string[];
  out: string;
  name: string;
  version: string;
  images?: readonly string[] | undefined;
  locks?: readonly string[] | undefined;
  subjects?: readonly string[] | undefined;
  lineage?: readonly string[] | undefined;
  deployment?: string | undefined;
  /** Producers' attestations, shipped as `attestations/<file name>`; each must be a signature format verify checks as one. */
  attestations?: readonly string[] | undefined;
  seed?: string | undefined;
  hardwareFile?: string | undefined;
  tolerance?: string | undefined;
  metrics?: readonly string[] | undefined;
  createdAt?: string | undefined;
  excludes?: readonly string[] | undefined;
  kinds?: readonly string[] | undefined;
}

export interface CreateReleaseContext {
  hashPool: HashPool;
  signer: ManifestSigner;
  /** Shipped as `keys/<fileName>`, for the board to compare and pin. */
  offeredKey?: OfferedPublicKey | undefined;
  /** What other sources add (git, MLflow, DVC, the hardware probe): merged with the paths and flags. */
  sources?: readonly SourceContribution[];
  now?: () => Date;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: HashProgressUpdate) => void) | undefined;
}

export type BundleOutputFormat = 'directory' | 'tar.gz' | 'zip';

export interface CreatedRelease {
  out: string;
  format: BundleOutputFormat;
  manifestDigest: string;
  release: { name: string; version: string };
  createdBy: string;
  createdAt: string;
  subjects: number;
  /** Subjects whose blob ships under artifacts/. */
  shipped: number;
  shippedBytes: number;
}

/**
 * Makes a signed release bundle (FORMATS §4, §9) from files, pins and sources. Every shipped
 * file is read once, on the hash pool's workers, which hash it and copy it into the bundle in
 * the same pass. The bundle is built in a temporary sibling of `out` and renamed into place at
 * the end: bad input, a failed read or a cancel leaves nothing behind. The same inputs, key
 * and `createdAt` give the same bytes (manifest and archives).
 */
export async function createRelease(request: CreateReleaseRequest, context: CreateReleaseContext): Promise<CreatedRelease> {
  const out = path.resolve(request.baseDir, request.out);
  const format = outputFormatOf(out);
  await refuseExistingOutput(out, format);
  const createdAt = request.createdAt !== undefined ? parseCreatedAt(request.createdAt) : createdAtNow((context.now ?? (() => new Date()))());
  const tolerance = request.tolerance !== undefined ? parseTolerance(request.tolerance) : null;
  const core = await coreContribution({
    baseDir: request.baseDir,
    paths: request.paths,
    locks: request.locks ?? [],
    images: request.images ?? [],
    subjects: request.subjects ?? [],
    lineage: request.lineage ?? [],
    seed: request.seed !== undefined ? parseSeed(request.seed) : undefined,
    hardwareFile: request.hardwareFile,
    metrics: request.metrics ?? [],
    excludes: (request.excludes ?? []).map(compileGlob),
    kinds: (request.kinds ?? []).map(parseKindOverride),
  });
  const merged = mergeContributions([core, ...(context.sources ?? [])]);
  const deployment = request.deployment !== undefined ? await readDeploymentFile(path.resolve(request.baseDir, request.deployment)) : null;
  const attestations = await readAttestations(request.baseDir, request.attestations ?? []);
  const shipped = await checkShippedFiles(merged.files);
  if (tolerance !== null && Object.keys(merged.metrics).length > 0 && !Object.hasOwn(merged.metrics, tolerance.metric)) {
    throw new ReleaseInputError(`--tolerance names the metric ${JSON.stringify(tolerance.metric)}, which no --metric gives (${Object.keys(merged.metrics).join(', ')})`);
  }

  const staging = temporarySibling(out, format === 'directory' ? '' : '.staging');
  const archiveFile = format === 'directory' ? null : temporarySibling(out, '');
  try {
    await fs.mkdir(staging, { mode: 0o755 });
    for (const dir of new Set(shipped.map((file) => path.dirname(artifactPath(staging, file.name))))) await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    const digests = await hashAndCopy(context, shipped, staging);

    const subjects: ReleaseSubject[] = [
      ...shipped.map((file) => ({
        name: file.name,
        digest: { sha256: digests.get(file.path)! },
        kind: file.kind,
        size: file.size,
        ...(file.mediaType !== undefined ? { mediaType: file.mediaType } : {}),
      })),
      ...merged.pinned.map((subject) => ({ name: subject.name, digest: subject.digest, kind: subject.kind })),
    ];
    const payload = releaseStatementPayload({
      release: { name: request.name, version: request.version },
      subjects,
      environment: merged.environment,
      tolerance,
      evaluation: Object.keys(merged.metrics).length > 0 ? { metrics: merged.metrics } : null,
      createdBy: context.signer.keyId,
      createdAt,
    });
    // The payload is read back as any verifier will read it: a release the reader refuses is never signed.
    parseReleaseStatement(parseStrictJson(payload));
    const envelopeText = serializeEnvelope({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload, signatures: [{ keyid: context.signer.keyId, sig: await signChecked(context, payload) }] }) + '\n';

    const extra: { name: string; bytes: Uint8Array }[] = [
      { name: MANIFEST_FILE, bytes: new TextEncoder().encode(envelopeText) },
      ...merged.lineage.map((file) => ({ name: file.fileName, bytes: file.bytes })),
      ...(deployment !== null ? [{ name: deployment.fileName, bytes: deployment.bytes }] : []),
      ...attestations,
      ...(context.offeredKey !== undefined ? [{ name: `keys/${context.offeredKey.fileName}`, bytes: new TextEncoder().encode(context.offeredKey.line + '\n') }] : []),
    ];
    refuseUnreadableNames([...extra.map((entry) => entry.name), ...shipped.map((file) => `artifacts/${file.name}`)]);
    for (const entry of extra) {
      await fs.mkdir(path.dirname(path.join(staging, entry.name)), { recursive: true, mode: 0o755 });
      await fs.writeFile(path.join(staging, entry.name), entry.bytes, { flag: 'wx', mode: 0o644 });
    }

    if (archiveFile === null) {
      await fs.rename(staging, out);
    } else {
      const entries: BundleEntry[] = [
        ...extra.map((entry) => ({ name: entry.name, source: { bytes: entry.bytes } })),
        ...shipped.map((file) => ({ name: `artifacts/${file.name}`, source: { file: artifactPath(staging, file.name), size: file.size } })),
      ];
      const mtime = new Date(Date.parse(createdAt));
      await (format === 'zip' ? writeZip(entries, archiveFile, mtime) : writeTarGz(entries, archiveFile, mtime));
      await fs.rename(archiveFile, out);
      await fs.rm(staging, { recursive: true, force: true });
    }
    return {
      out,
      format,
      manifestDigest: sha256Hex(payload),
      release: { name: request.name, version: request.version },
      createdBy: context.signer.keyId,
      createdAt,
      subjects: subjects.length,
      shipped: shipped.length,
      shippedBytes: shipped.reduce((sum, file) => sum + file.size, 0),
    };
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    if (archiveFile !== null) await fs.rm(archiveFile, { force: true });
    if (error instanceof DomainError) throw error;
    throw new ReleaseInputError(`cannot write the bundle ${out}: ${describe(error)}`);
  }
}

/** `.zip` → zip; `.tar.gz`, `.tgz` and `.csbundle` → gzip-compressed tar; anything else a directory. */
export function outputFormatOf(out: string): BundleOutputFormat {
  const lower = out.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz') || lower.endsWith('.csbundle')) return 'tar.gz';
  if (lower.endsWith('.tar')) throw new ReleaseInputError(`--out ${out}: write a .tar.gz, .csbundle or .zip (an uncompressed .tar is not written)`);
  return 'directory';
}

async function refuseExistingOutput(out: string, format: BundleOutputFormat): Promise<void> {
  let stats;
  try {
    stats = await fs.lstat(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ReleaseInputError(`--out ${out}: ${describe(error)}`);
    const parent = path.dirname(out);
    const parentStats = await fs.stat(parent).catch(() => null);
    if (parentStats === null || !parentStats.isDirectory()) throw new ReleaseInputError(`--out ${out}: the directory ${parent} does not exist`);
    return;
  }
  if (format === 'directory' && stats.isDirectory() && (await fs.readdir(out)).length === 0) return;
  throw new ReleaseInputError(`--out ${out} already exists${stats.isDirectory() ? ' and is not empty' : ''}: a release is never written over anything`);
}

/** A hidden name beside `out`, on the same file system, so the final rename is atomic. */
function temporarySibling(out: string, suffix: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.partial-${randomBytes(6).toString('hex')}${suffix}`);
}

function artifactPath(bundleDir: string, subjectName: string): string {
  return path.join(bundleDir, 'artifacts', ...subjectName.split('/'));
}

interface SizedFile extends ShippedFile {
  size: number;
}

/** Each shipped file is a regular file (no symlink), readable, and its name a valid bundle path. */
async function checkShippedFiles(files: readonly ShippedFile[]): Promise<SizedFile[]> {
  const sized: SizedFile[] = [];
  for (const file of files) {
    let stats;
    try {
      stats = await fs.lstat(file.path);
    } catch (error) {
      throw new ReleaseInputError(`cannot read ${file.path}: ${describe(error)}`);
    }
    if (stats.isSymbolicLink()) throw new ReleaseInputError(`${file.path} is a symbolic link: refused`);
    if (!stats.isFile()) throw new ReleaseInputError(`${file.path} is not a regular file`);
    // Opened once now, so an unreadable file is named before anything is written.
    try {
      await (await fs.open(file.path, 'r')).close();
    } catch (error) {
      throw new ReleaseInputError(`cannot read ${file.path}: ${describe(error)}`);
    }
    sized.push({ ...file, size: stats.size });
  }
  return sized;
}

/** The names the bundle reader would refuse (`..`, twins by case or Unicode form, nested archives) are refused here first. */
function refuseUnreadableNames(names: readonly string[]): void {
  const seen = new EntryNames();
  for (const name of names) {
    try {
      const checked = checkEntryPath(name, 'file', DEFAULT_BUNDLE_LIMITS);
      if (checked !== null) seen.add(checked, 'file', name);
    } catch (error) {
      if (error instanceof DomainError) throw new ReleaseInputError(`the bundle cannot hold ${JSON.stringify(name)}: ${error.message}`);
      throw error;
    }
  }
}

async function hashAndCopy(context: CreateReleaseContext, files: readonly SizedFile[], staging: string): Promise<Map<string, string>> {
  try {
    return await context.hashPool.hashFiles(
      files.map((file) => ({ path: file.path, size: file.size, copyTo: artifactPath(staging, file.name) })),
      { ...(context.signal ? { signal: context.signal } : {}), ...(context.onProgress ? { onProgress: context.onProgress } : {}) },
    );
  } catch (error) {
    if (error instanceof HashCancelledError || error instanceof DomainError) throw error;
    throw new ReleaseInputError(error instanceof Error ? error.message : String(error));
  }
}

/** The signature over the PAE, checked against the offered public key when there is one: a signer that signs wrong is caught here. */
async function signChecked(context: CreateReleaseContext, payload: Uint8Array): Promise<Uint8Array> {
  const message = pae(IN_TOTO_PAYLOAD_TYPE, payload);
  const signature = await context.signer.sign(message);
  if (context.offeredKey !== undefined) {
    const publicKey = parsePublicKey(context.offeredKey.line).publicKey;
    if (!verifyEd25519Strict(signature, message, publicKey)) throw new ReleaseInputError(`the signature made with ${context.signer.keyId} does not verify under its public key; nothing was written`);
  }
  return signature;
}

interface MergedSources {
  files: ShippedFile[];
  pinned: SourceContribution['pinned'];
  lineage: SourceContribution['lineage'];
  environment: JsonObject;
  metrics: Record<string, number>;
}

/** All sources together; a subject name or lineage file given twice is an error, and so is an environment field or metric given twice with different values. */
export function mergeContributions(contributions: readonly SourceContribution[]): MergedSources {
  const merged: MergedSources = { files: [], pinned: [], lineage: [], environment: {}, metrics: {} };
  const names = new Set<string>();
  const claim = (name: string) => {
    if (names.has(name)) throw new ReleaseInputError(`two subjects would be named ${JSON.stringify(name)}: subject names must be unique (use --exclude, or rename one)`);
    names.add(name);
  };
  const lineageNames = new Set<string>();
  for (const contribution of contributions) {
    for (const file of contribution.files) {
      claim(file.name);
      merged.files.push(file);
    }
    for (const pinned of contribution.pinned) {
      claim(pinned.name);
      merged.pinned.push(pinned);
    }
    for (const lineage of contribution.lineage) {
      if (lineageNames.has(lineage.fileName)) throw new ReleaseInputError(`two lineage files would both be ${lineage.fileName} in the bundle`);
      lineageNames.add(lineage.fileName);
      merged.lineage.push(lineage);
    }
    for (const [key, value] of Object.entries(contribution.environment)) {
      if (Object.hasOwn(merged.environment, key) && JSON.stringify(merged.environment[key]) !== JSON.stringify(value)) {
        throw new ReleaseInputError(`environment.${key} is given twice, as ${JSON.stringify(merged.environment[key])} and ${JSON.stringify(value)} (by two sources or flags)`);
      }
      merged.environment[key] = value;
    }
    for (const [key, value] of Object.entries(contribution.metrics)) {
      if (Object.hasOwn(merged.metrics, key) && merged.metrics[key] !== value) throw new ReleaseInputError(`the metric ${key} is given twice, as ${merged.metrics[key]} and ${value} (by two sources or flags)`);
      merged.metrics[key] = value;
    }
  }
  return merged;
}

const ATTESTATION_FORMATS = new Set(['oms', 'dsse', 'sigstore']);

/** Reads each --attestation whole (capped), refusing one verify would not check as an attestation and two of one file name. */
async function readAttestations(baseDir: string, files: readonly string[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  const read: { name: string; bytes: Uint8Array }[] = [];
  for (const file of files) {
    const name = `attestations/${path.basename(file)}`;
    if (read.some((entry) => entry.name === name)) throw new ReleaseInputError(`two attestations would both be ${name} in the bundle`);
    let bytes: Uint8Array;
    try {
      const stat = await fs.stat(path.resolve(baseDir, file));
      if (!stat.isFile()) throw new ReleaseInputError(`--attestation ${file} is not a regular file`);
      if (stat.size > MAX_ATTESTATION_BYTES) throw new ReleaseInputError(`--attestation ${file} is ${stat.size} bytes, more than the ${MAX_ATTESTATION_BYTES} an attestation may be`);
      bytes = new Uint8Array(await fs.readFile(path.resolve(baseDir, file)));
    } catch (error) {
      if (error instanceof ReleaseInputError) throw error;
      throw new ReleaseInputError(`--attestation ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    const detected = detectSignatureFormat(bytes);
    if (detected.format === null || !ATTESTATION_FORMATS.has(detected.format)) {
      throw new ReleaseInputError(`--attestation ${file} is ${detected.format === null ? `not a signature: ${detected.reason}` : `a ${detected.format} signature`}; an attestation is an OMS model signature, a DSSE envelope or a Sigstore bundle`);
    }
    read.push({ name, bytes });
  }
  return read;
}

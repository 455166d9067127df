// OMS v1.0 verification of a model directory or single model file against its Sigstore bundle
// (model_signing's model.sig): who signed, with trust from --key, --ca, or keyless (a Fulcio
// certificate against --trusted-root, for the identity and issuer given), then every
// listed file or shard hashed on the worker pool and compared, and every unlisted file found.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pae } from '../../../shared/crypto/dsse';
import { FormatError } from '../../../shared/formats/format-error';
import { parseStrictJson } from '../../../shared/json/strict-json';
import type { Finding, SignatureCheck, SubjectCheck, VerificationReport } from '../../../shared/verify/report';
import { assembleForeignReport, type ForeignFindings } from '../../../shared/verify/foreign/foreign-report';
import type { ForeignVerificationRequest, FormatVerifier } from '../foreign/format-verifier';
import type { ByteRange, RangeDigest } from '../hashing/hash-files';
import { DEFAULT_IGNORED_TOP_LEVEL, isUnder, ModelTreeError, readModelTree, type ModelTree } from './model-tree';
import { IN_TOTO_PAYLOAD_TYPE, NODE_DIGEST, OMS_PREDICATE_V1, readOmsStatement, type OmsManifest, type OmsResource } from './oms-manifest';
import { readSigstoreBundle, type SigstoreBundle } from '../sigstore/sigstore-bundle';
import { checkBundleSigner } from '../sigstore/check-bundle-signer';
import { checkTrustedRoot, readRoots, trustedAnchorCount, TrustRootError, type X509Anchor } from '../sigstore/verify-signer';

/** OMS: a model directory or single model file, and its Sigstore bundle given with --signature. */
export const omsVerifier: FormatVerifier = {
  format: 'oms',
  verify: verifyOmsModel,
};

/** An OMS check that could not even start: the report says `invalid` and why. */
class OmsRefusal extends Error {}

export async function verifyOmsModel(request: ForeignVerificationRequest): Promise<VerificationReport> {
  const findings: Finding[] = [];
  const base: ReportBase = { request, fileCount: 0 };
  let bundle: SigstoreBundle;
  let manifest: OmsManifest;
  let roots: X509Anchor[];
  try {
    if (!request.signature.separate) throw new OmsRefusal('An OMS signature is checked against a model: give the model directory or file as the target and the signature with --signature.');
    checkIgnorePaths(request.trust.ignorePaths);
    roots = readRoots(request.trust.certificateAuthorities);
    checkTrustedRoot(request.trust);
    bundle = readSigstoreBundle(request.signature.bytes);
    if (bundle.content.kind !== 'dsse') throw new OmsRefusal('The bundle holds a message signature, not a DSSE envelope: it is not an OMS signature.');
    const envelope = bundle.content.envelope;
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new OmsRefusal(`The envelope's payload type is ${JSON.stringify(envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}.`);
    manifest = readOmsStatement(envelope.payload);
  } catch (error) {
    return refusedReport(base, describeRefusal(error), findings);
  }

  const envelope = bundle.content.envelope;
  const message = pae(envelope.payloadType, envelope.payload);
  const signer = checkBundleSigner(bundle, request.trust, roots, envelope.signatures, message, null, request.now);
  const summary = manifestSummary(manifest, envelope.payload);
  if (signer.refusal !== null) return refusedReport(base, signer.refusal, findings, summary);

  let tree: ModelTree;
  let plan: CheckPlan;
  try {
    tree = readModelTree(request.target.path);
    plan = planChecks(manifest, tree, request.signature.path, request.trust.ignorePaths);
  } catch (error) {
    return refusedReport(base, describeRefusal(error), findings, summary, signer.checks);
  }

  const digests = await request.hashPool.hashRanges(plan.ranges, {
    ...(request.job.signal ? { signal: request.job.signal } : {}),
    ...(request.job.onProgress ? { onProgress: request.job.onProgress } : {}),
  });
  const subjects = manifest.resources.map((resource, index) => subjectCheck(resource, plan, digests, index));
  const bytesHashed = digests.reduce((total, digest) => total + digest.bytes, 0);
  if (signer.transparency === null && (bundle.tlogEntryCount > 0 || bundle.hasTimestamps)) {
    findings.push({ severity: 'info', code: 'transparency-not-checked', message: 'The bundle carries transparency-log entries or timestamps; they were not checked (trust came from the keys or roots given).', location: request.signature.path });
  }
  if (manifest.predicateType !== OMS_PREDICATE_V1) {
    findings.push({ severity: 'info', code: 'historical-predicate', message: `Historical model_signing layout ${manifest.predicateType}: no root digest, no serialization record.`, location: null });
  }
  const report = assembleForeignReport({
    ...foundBase({ ...base, fileCount: tree.entries.size }),
    signatures: signer.checks,
    subjects,
    unexpectedFiles: plan.extras,
    unexpectedFilesFail: !request.trust.ignoreUnsignedFiles,
    findings,
    bytesHashed,
    transparency: signer.transparency,
  });
  return { ...report, manifest: summary };
}

function checkIgnorePaths(ignorePaths: readonly string[]): void {
  for (const entry of ignorePaths) {
    if (entry === '' || entry.startsWith('/') || entry.split('/').some((part) => part === '..' || part === '') || /[*?[]/.test(entry)) {
      throw new OmsRefusal(`--ignore-paths ${JSON.stringify(entry)}: give an exact path relative to the model root (no leading /, no .., no glob characters).`);
    }
  }
}

interface CheckPlan {
  ranges: ByteRange[];
  /** For each resource (by index): the range index it was hashed as, or why it was not. */
  outcome: ({ kind: 'hashed'; range: number; size: number } | { kind: 'missing' } | { kind: 'changed'; reason: string; size: number })[];
  extras: string[];
}

/**
 * Decides what to read before reading anything: every listed path must be a regular file inside
 * the root, reached through no symlink, or the whole check is refused.
 */
function planChecks(manifest: OmsManifest, tree: ModelTree, signaturePath: string, ignorePaths: readonly string[]): CheckPlan {
  const singleFileName = tree.singleFile ? path.basename(tree.root) : null;
  const localName = (resourcePath: string): string => (tree.singleFile && (resourcePath === '.' || resourcePath === singleFileName) ? '.' : resourcePath);
  const symlinks = [...tree.entries.values()].filter((entry) => entry.kind === 'symlink').map((entry) => entry.name);
  for (const resource of manifest.resources) {
    const name = localName(resource.path);
    const link = symlinks.find((symlink) => isUnder(name, symlink));
    if (link !== undefined) throw new OmsRefusal(`Resource ${JSON.stringify(resource.name)} is reached through the symbolic link ${JSON.stringify(link)}: symlinks are refused, nothing was read.`);
    if (tree.singleFile && name !== '.') throw new OmsRefusal(`The model is a single file, but resource ${JSON.stringify(resource.name)} names another path: nothing was read.`);
    const entry = tree.entries.get(name);
    if (entry && entry.kind !== 'file') throw new OmsRefusal(`Resource ${JSON.stringify(resource.name)} is not a regular file: nothing was read.`);
  }

  const ranges: ByteRange[] = [];
  const algorithm = NODE_DIGEST[manifest.hashType];
  const shardsByFile = new Map<string, Set<string>>();
  for (const resource of manifest.resources) {
    if (!resource.shard) continue;
    const name = localName(resource.path);
    const listed = shardsByFile.get(name) ?? new Set<string>();
    listed.add(`${resource.shard.start}:${resource.shard.end}`);
    shardsByFile.set(name, listed);
  }
  const unsignedTail = new Map<string, string>();
  for (const [name, listed] of shardsByFile) {
    const entry = tree.entries.get(name);
    if (!entry || manifest.shardSize === null) continue;
    const expected = expectedShards(entry.size, manifest.shardSize);
    const unlisted = expected.filter((shard) => !listed.has(shard));
    if (unlisted.length > 0) unsignedTail.set(name, `${displayName(name, singleFileName)} has ${entry.size} bytes; bytes ${unlisted.map((s) => s.replace(':', '..')).join(', ')} are in no signed shard.`);
  }

  const outcome = manifest.resources.map((resource): CheckPlan['outcome'][number] => {
    const name = localName(resource.path);
    const entry = tree.entries.get(name);
    if (!entry) return { kind: 'missing' };
    const filePath = tree.singleFile ? tree.root : path.join(tree.root, ...name.split('/'));
    if (resource.shard) {
      const tail = unsignedTail.get(name);
      if (tail) return { kind: 'changed', reason: tail, size: entry.size };
      if (resource.shard.end > entry.size) return { kind: 'changed', reason: `${displayName(name, singleFileName)} has ${entry.size} bytes, shorter than the signed shard ${resource.shard.start}..${resource.shard.end}.`, size: entry.size };
      ranges.push({ path: filePath, start: resource.shard.start, end: resource.shard.end, algorithm });
    } else {
      ranges.push({ path: filePath, start: 0, end: null, algorithm, sizeHint: entry.size });
    }
    return { kind: 'hashed', range: ranges.length - 1, size: entry.size };
  });

  const listedFiles = new Set(manifest.resources.map((resource) => localName(resource.path)));
  const ignored = [...DEFAULT_IGNORED_TOP_LEVEL, ...manifest.ignorePaths, ...ignorePaths];
  const signatureName = relativeInside(tree.root, signaturePath);
  const extras = tree.singleFile
    ? []
    : [...tree.entries.values()]
        .filter((entry) => !listedFiles.has(entry.name))
        .filter((entry) => !ignored.some((prefix) => isUnder(entry.name, prefix)))
        .filter((entry) => entry.name !== signatureName)
        // Shard serialization omits empty files: an empty file is no extra there.
        .filter((entry) => !(manifest.method === 'shards' && entry.kind === 'file' && entry.size === 0))
        .map((entry) => (entry.kind === 'file' ? entry.name : `${entry.name} (${entry.kind === 'symlink' ? 'symbolic link, not followed' : 'not a regular file'})`))
        .sort();
  return { ranges, outcome, extras };
}

function expectedShards(size: number, shardSize: number): string[] {
  const shards: string[] = [];
  for (let start = 0; start < size; start += shardSize) shards.push(`${start}:${Math.min(start + shardSize, size)}`);
  return shards;
}

function displayName(name: string, singleFileName: string | null): string {
  return name === '.' && singleFileName !== null ? singleFileName : name;
}

/** The signature file's path relative to the model root when it lies inside it, else null. */
function relativeInside(root: string, file: string): string | null {
  const relative = path.relative(path.resolve(root), path.resolve(file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}

function subjectCheck(resource: OmsResource, plan: CheckPlan, digests: readonly RangeDigest[], index: number): SubjectCheck {
  const outcome = plan.outcome[index]!;
  const sha256 = resource.algorithm === 'sha256';
  const common = { name: resource.name, kind: 'model' as const, digest: { [resource.algorithm]: resource.digest }, blobPath: resource.path, expectedSha256: sha256 ? resource.digest : null };
  const other = sha256 ? {} : { digestAlgorithm: resource.algorithm, expectedDigest: resource.digest, actualDigest: null };
  if (outcome.kind === 'missing') return { ...common, ...other, size: null, status: 'missing', actualSha256: null, reason: `${resource.name} is signed but missing from the model.` };
  if (outcome.kind === 'changed') return { ...common, ...other, size: outcome.size, status: 'mismatch', actualSha256: null, reason: `${resource.name} changed: ${outcome.reason}` };
  const actual = digests[outcome.range]!;
  const matches = actual.hex === resource.digest;
  return {
    ...common,
    size: outcome.size,
    status: matches ? 'ok' : 'mismatch',
    actualSha256: sha256 ? actual.hex : null,
    ...(sha256 ? {} : { digestAlgorithm: resource.algorithm, expectedDigest: resource.digest, actualDigest: actual.hex }),
    reason: matches ? `${resource.algorithm} matches.` : `${resource.name} changed: ${resource.algorithm} is ${actual.hex}, signed ${resource.digest}.`,
  };
}

function manifestSummary(manifest: OmsManifest, payload: Uint8Array): NonNullable<VerificationReport['manifest']> {
  // Already read strictly by readOmsStatement; parsed again here to be shown in full.
  const statement = parseStrictJson(payload, { maxBytes: payload.length + 1 });
  return {
    digest: createHash('sha256').update(payload).digest('hex'),
    releaseName: manifest.modelName,
    releaseVersion: null,
    predicateType: manifest.predicateType,
    understood: true,
    createdBy: null,
    createdAt: null,
    unknownFields: [],
    statement,
  };
}

function describeRefusal(error: unknown): string {
  if (error instanceof FormatError) return `The OMS signature is malformed: ${error.message}`;
  if (error instanceof OmsRefusal || error instanceof ModelTreeError || error instanceof TrustRootError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code) return `Cannot read: ${(error as Error).message}`;
  throw error;
}

interface ReportBase {
  request: ForeignVerificationRequest;
  fileCount: number;
}

function foundBase({ request, fileCount }: ReportBase): Pick<ForeignFindings, 'format' | 'target' | 'trust' | 'now'> {
  const trust = request.trust;
  return {
    format: 'oms',
    target: { path: request.target.path, container: request.target.kind, fileCount, signaturePath: request.signature.separate ? request.signature.path : null },
    trust: { source: trust.source, anchors: trust.anchors, trustedKeyCount: trustedAnchorCount(trust), threshold: trust.threshold },
    now: request.now,
  };
}

function refusedReport(base: ReportBase, reason: string, findings: Finding[], summary: VerificationReport['manifest'] = null, signatures: SignatureCheck[] = []): VerificationReport {
  const report = assembleForeignReport({
    ...foundBase(base),
    signatures,
    subjects: [],
    unexpectedFiles: [],
    unexpectedFilesFail: false,
    findings: [...findings, { severity: 'error', code: 'oms-refused', message: reason, location: base.request.signature.path }],
  });
  return { ...report, manifest: summary };
}

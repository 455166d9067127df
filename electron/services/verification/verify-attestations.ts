// The attestations a Countersign bundle carries under attestations/, checked under the producers'
// trust (the board policy's producers, never a key the attestation brings) with the foreign
// verifiers, and bound to the release: every subject an attestation names must be the manifest's.
import path from 'node:path';
import { readEnvelope } from '../../../shared/crypto/dsse';
import type { ManifestSubject, ReleaseManifest } from '../../../shared/formats/manifest';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { bindStatementSubjects, compareProvenanceCommits, isSlsaProvenance, MAX_ATTESTATION_BYTES } from '../../../shared/verify/attestations';
import { detectSignatureFormat, MAX_DETECTED_JSON_BYTES, type ForeignFormat } from '../../../shared/verify/foreign/detect-format';
import { IN_TOTO_PAYLOAD_TYPE, readStatementSubjects, type StatementSummary } from '../../../shared/verify/foreign/statement-subjects';
import type { AttestationBinding, AttestationCheck, SignatureCheck, VerificationReport } from '../../../shared/verify/report';
import type { TrustContext } from '../../../shared/verify/trust';
import type { OpenedBundle } from '../bundle/open-bundle';
import { readBundleFile } from '../bundle/open-bundle';
import type { HashPool } from '../hashing/hash-files';
import type { JobControl } from '../jobs/job-registry';
import type { TrustFlags } from '../foreign/format-verifier';
import { verifyForeignSignature } from '../foreign/registry';
import { readSigstoreBundle } from '../sigstore/sigstore-bundle';

const ATTESTATIONS_PREFIX = 'attestations/';
const SHARD_SUFFIX = /:\d+:\d+$/;

export interface AttestationServices {
  hashPool: HashPool;
  now: Date;
  job?: JobControl;
}

/** The bundle files that are attestations: directly under attestations/. */
export function attestationPaths(relPaths: Iterable<string>): string[] {
  return [...relPaths].filter((relPath) => relPath.startsWith(ATTESTATIONS_PREFIX) && relPath.length > ATTESTATIONS_PREFIX.length && !relPath.slice(ATTESTATIONS_PREFIX.length).includes('/')).sort();
}

/**
 * Checks each attestation. Nothing here changes the manifest's own checks: the caller folds the
 * results into the report (withAttestations), where they can lower the verdict, never raise it.
 */
export async function checkAttestations(bundle: OpenedBundle, paths: readonly string[], manifest: ReleaseManifest | null, context: TrustContext, trust: TrustFlags, services: AttestationServices): Promise<AttestationCheck[]> {
  const checks: AttestationCheck[] = [];
  for (const relPath of paths) checks.push(await checkOne(bundle, relPath, manifest, context, trust, services));
  return checks;
}

async function checkOne(bundle: OpenedBundle, relPath: string, manifest: ReleaseManifest | null, context: TrustContext, trust: TrustFlags, services: AttestationServices): Promise<AttestationCheck> {
  const blank = { path: relPath, format: null, predicateType: null, signer: null, keyId: null, trustSource: null, bindings: [], provenance: null };
  let bytes: Uint8Array;
  try {
    bytes = await readBundleFile(bundle, relPath, MAX_ATTESTATION_BYTES);
  } catch (error) {
    return { ...blank, status: 'invalid', reasons: [`It cannot be read: ${messageOf(error)}`] };
  }
  const detected = detectSignatureFormat(bytes);
  if (detected.format === null) return { ...blank, status: 'invalid', reasons: [`It is not a signature Countersign recognises: ${detected.reason}.`] };
  const format = detected.format;
  if (manifest === null) return { ...blank, format, status: 'invalid', reasons: ['The manifest cannot be read, so there is nothing to bind the attestation to.'] };
  if (format === 'oms') return checkModelSignature(bundle, relPath, bytes, manifest, context, trust, services);
  if (format === 'dsse' || format === 'sigstore') return checkStatementAttestation(bundle, relPath, format, bytes, manifest, context, trust, services);
  return { ...blank, format, status: 'unsupported', reasons: [`A ${format} signature is not checked as an attestation: attestations are OMS model signatures, DSSE envelopes and Sigstore bundles of in-toto statements.`] };
}

/**
 * OMS: the model root is the one `model` subject (a single-file model), or the longest common
 * folder of the `model` subjects. The signature must cover exactly those files: each signed file
 * is a model subject (its bytes checked by the verifier, and by the manifest's sha256), and each
 * model subject under the root is signed.
 */
async function checkModelSignature(bundle: OpenedBundle, relPath: string, bytes: Uint8Array, manifest: ReleaseManifest, context: TrustContext, trust: TrustFlags, services: AttestationServices): Promise<AttestationCheck> {
  const blank = { path: relPath, format: 'oms' as const, predicateType: null, signer: null, keyId: null, trustSource: null, bindings: [], provenance: null };
  const models = manifest.subjects.filter((subject) => subject.kind === 'model' && bundle.entries.has(`artifacts/${subject.name}`));
  if (models.length === 0) return { ...blank, status: 'invalid', reasons: ['An OMS model signature needs a model subject whose file the bundle holds; this release has none.'] };
  const single = models.length === 1 ? models[0]! : null;
  const root = single !== null ? single.name : commonFolder(models.map((model) => model.name));
  if (root === null) return { ...blank, status: 'invalid', reasons: ['The model subjects share no folder, so no one model root can be checked against the OMS signature.'] };
  const target = single !== null ? { path: bundle.entries.get(`artifacts/${single.name}`)!.absPath, kind: 'file' as const } : { path: path.join(bundle.root, 'artifacts', ...root.split('/')), kind: 'directory' as const };
  const report = await verifyForeignSignature({ format: 'oms', target, signature: { path: entryPath(bundle, relPath), bytes, separate: true }, trust, job: services.job ?? {}, hashPool: services.hashPool, now: services.now });
  const bindings = bindModelFiles(report, models, single !== null ? null : root);
  return finish(relPath, 'oms', report.manifest?.predicateType ?? null, report, bindings, null, context);
}

function bindModelFiles(report: VerificationReport, models: readonly ManifestSubject[], root: string | null): AttestationBinding[] {
  const subjectOf = (file: string): ManifestSubject | undefined => (root === null ? models[0] : models.find((model) => model.name === `${root}/${file}`));
  const covered = new Set<string>();
  const bindings: AttestationBinding[] = report.subjects.map((signed) => {
    const file = (signed.blobPath ?? signed.name).replace(SHARD_SUFFIX, '');
    const subject = subjectOf(file);
    if (subject !== undefined) covered.add(subject.name);
    if (subject === undefined) return { name: signed.name, digest: { ...signed.digest }, manifestSubject: null, status: 'unbound', reason: `${file} is signed, but no model subject of the manifest is this file.` };
    if (signed.status !== 'ok') return { name: signed.name, digest: { ...signed.digest }, manifestSubject: subject.name, status: 'mismatch', reason: signed.reason };
    return { name: signed.name, digest: { ...signed.digest }, manifestSubject: subject.name, status: 'bound', reason: `Signed as it is in the model subject ${subject.name}.` };
  });
  for (const model of models) {
    if (!covered.has(model.name)) bindings.push({ name: model.name, digest: { ...model.digest }, manifestSubject: model.name, status: 'missing', reason: `The model subject ${model.name} is not covered by the signature.` });
  }
  return bindings;
}

/** DSSE envelopes and Sigstore bundles of an in-toto statement: bound to the manifest's subjects by digest. */
async function checkStatementAttestation(bundle: OpenedBundle, relPath: string, format: Extract<ForeignFormat, 'dsse' | 'sigstore'>, bytes: Uint8Array, manifest: ReleaseManifest, context: TrustContext, trust: TrustFlags, services: AttestationServices): Promise<AttestationCheck> {
  const blank = { path: relPath, format, predicateType: null, signer: null, keyId: null, trustSource: null, bindings: [], provenance: null };
  let payload: { payloadType: string; payload: Uint8Array };
  let statement: StatementSummary;
  try {
    payload = format === 'dsse' ? readEnvelope(bytes, MAX_DETECTED_JSON_BYTES, { anySignatureAlgorithm: true }) : sigstorePayload(bytes);
    if (payload.payloadType !== IN_TOTO_PAYLOAD_TYPE) return { ...blank, status: 'unsupported', reasons: [`Its payload type is ${JSON.stringify(payload.payloadType)}: an attestation is an in-toto statement (${IN_TOTO_PAYLOAD_TYPE}).`] };
    statement = readStatementSubjects(payload.payload, MAX_DETECTED_JSON_BYTES);
  } catch (error) {
    return { ...blank, status: 'invalid', reasons: [`It cannot be read: ${messageOf(error)}`] };
  }
  // The verifier checks the signatures; a Sigstore bundle is checked against one artifact, so it
  // gets a blob the statement names when there is one (binding is decided below, for all subjects).
  const bindings = bindStatementSubjects(statement.subjects, manifest.subjects);
  const target = format === 'dsse' ? { path: entryPath(bundle, relPath), kind: 'file' as const } : sigstoreTarget(bundle, bindings, manifest);
  if (target === null) return { ...blank, predicateType: statement.predicateType, bindings, status: 'invalid', reasons: ['A Sigstore bundle is checked against an artifact, and the bundle holds no file to check it with.'] };
  const report = await verifyForeignSignature({ format, target, signature: { path: entryPath(bundle, relPath), bytes, separate: format !== 'dsse' }, trust, job: services.job ?? {}, hashPool: services.hashPool, now: services.now });
  const provenance = isSlsaProvenance(statement.predicateType) ? compareProvenanceCommits(parseStrictJson(payload.payload, { maxBytes: MAX_DETECTED_JSON_BYTES }), statement.predicateType, manifest.subjects) : null;
  return finish(relPath, format, statement.predicateType, report, bindings, provenance, context, true);
}

function sigstorePayload(bytes: Uint8Array): { payloadType: string; payload: Uint8Array } {
  const parsed = readSigstoreBundle(bytes);
  if (parsed.content.kind !== 'dsse') return { payloadType: 'a message signature (no statement)', payload: new Uint8Array() };
  return { payloadType: parsed.content.envelope.payloadType, payload: parsed.content.envelope.payload };
}

function sigstoreTarget(bundle: OpenedBundle, bindings: readonly AttestationBinding[], manifest: ReleaseManifest): { path: string; kind: 'file' } | null {
  const named = bindings.find((binding) => binding.status === 'bound' && binding.manifestSubject !== null && bundle.entries.has(`artifacts/${binding.manifestSubject}`));
  const blob = named?.manifestSubject ?? manifest.subjects.find((subject) => bundle.entries.has(`artifacts/${subject.name}`))?.name;
  return blob === undefined ? null : { path: bundle.entries.get(`artifacts/${blob}`)!.absPath, kind: 'file' };
}

/**
 * The attestation's status from its signatures and bindings. `ignoreTargetSubjects`: the verifier
 * checked the statement against one chosen artifact only; the binding to every manifest subject
 * decided above is what counts.
 */
function finish(relPath: string, format: ForeignFormat, predicateType: string | null, report: VerificationReport, bindings: AttestationBinding[], provenance: AttestationCheck['provenance'], context: TrustContext, ignoreTargetSubjects = false): AttestationCheck {
  const signatures = report.signatures.map((signature) => (signature.status === 'valid' && signature.keyId !== null && context.revokedKeyIds.has(signature.keyId) ? { ...signature, status: 'revoked' as const, reason: `Valid, but under a key the board revoked (${signature.keyId}).` } : signature));
  const trusted = signatures.find((signature) => signature.status === 'valid');
  const shown: SignatureCheck | undefined = trusted ?? signatures[0];
  const common = { path: relPath, format, predicateType, signer: shown?.signerName ?? null, keyId: shown?.keyId ?? null, trustSource: trusted?.trustSource ?? null, bindings, provenance };

  if (report.verdict === 'invalid') return { ...common, status: 'invalid', reasons: report.reasons };
  const broken = signatures.filter((signature) => signature.status === 'invalid');
  if (broken.length > 0) return { ...common, status: 'tampered', reasons: broken.map((signature) => `Signature ${signature.index + 1}: ${signature.reason}`) };
  if (trusted === undefined) {
    const revoked = signatures.filter((signature) => signature.status === 'revoked');
    return { ...common, status: 'untrusted', reasons: [revoked.length > 0 ? `Signed only with revoked keys: ${revoked.map((signature) => signature.keyId).join(', ')}.` : `No trusted producer signed it${shown?.reason ? `: ${shown.reason}` : '.'}`] };
  }
  const contradictions = [
    ...bindings.filter((binding) => binding.status !== 'bound').map((binding) => `${binding.name}: ${binding.reason}`),
    ...(!ignoreTargetSubjects && report.verdict === 'tampered' ? report.reasons : []),
    ...(provenance?.status === 'differs' ? [`The provenance was built from commit ${provenance.commits.join(', ')}, but the manifest's code subject pins ${provenance.codeCommits.join(', ')}.`] : []),
  ];
  if (contradictions.length > 0) return { ...common, status: 'tampered', reasons: contradictions };
  const signer = trusted.signerName ?? trusted.keyId ?? 'a trusted producer';
  const bound = bindings.filter((binding) => binding.status === 'bound').length;
  return { ...common, status: 'verified', reasons: [`Signed by ${signer}; ${bound} subject(s) bound to the manifest${provenance?.status === 'same' ? `; built from the code subject's commit ${provenance.commits.find((commit) => provenance.codeCommits.includes(commit)) ?? ''}` : ''}.`] };
}

/** The longest folder all names share (`model` for `model/a.bin` and `model/b/c.bin`), or null. */
function commonFolder(names: readonly string[]): string | null {
  const parts = names.map((name) => name.split('/').slice(0, -1));
  const first = parts[0] ?? [];
  let length = 0;
  while (length < first.length && parts.every((folders) => folders[length] === first[length])) length++;
  return length === 0 ? null : first.slice(0, length).join('/');
}

function entryPath(bundle: OpenedBundle, relPath: string): string {
  return bundle.entries.get(relPath)?.absPath ?? path.join(bundle.root, ...relPath.split('/'));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

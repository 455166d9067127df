// Sigstore bundles over an artifact (cosign, sigstore-js, sigstore-python output): a message
// signature over the artifact's bytes, or a DSSE envelope whose in-toto statement must name the
// artifact's digest. Trust from --key, a certificate chain to --ca, or keyless: a Fulcio
// certificate checked against --trusted-root at the time its Rekor entry or timestamp vouches for,
// for exactly the --certificate-identity and --certificate-oidc-issuer given.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { pae } from '../../../shared/crypto/dsse';
import { FormatError } from '../../../shared/formats/format-error';
import { assembleForeignReport, type ForeignFindings } from '../../../shared/verify/foreign/foreign-report';
import { IN_TOTO_PAYLOAD_TYPE, readStatementSubjects } from '../../../shared/verify/foreign/statement-subjects';
import type { Finding, SignatureCheck, SubjectCheck, VerificationReport } from '../../../shared/verify/report';
import { bindToStatement } from '../foreign/dsse-verifier';
import type { ForeignVerificationRequest, FormatVerifier } from '../foreign/format-verifier';
import { hashTargetFile, type TargetHash } from '../foreign/hash-target';
import { MAX_BUNDLE_BYTES, readSigstoreBundle, type SigstoreBundle } from './sigstore-bundle';
import { checkBundleSigner } from './check-bundle-signer';
import { checkTrustedRoot, readRoots, trustedAnchorCount, TrustRootError, type X509Anchor } from './verify-signer';

/** A message signature is over the artifact's bytes, which are read into memory to check it. */
export const MAX_MESSAGE_ARTIFACT_BYTES = 1024 * 1024 * 1024;

/** Sigstore's HashAlgorithm names for the message digest. */
const MESSAGE_DIGEST_ALGORITHMS: Record<string, TargetHash> = { SHA2_256: 'sha256', SHA2_384: 'sha384', SHA2_512: 'sha512' };

export const sigstoreVerifier: FormatVerifier = {
  format: 'sigstore',
  verify: verifySigstoreBundle,
};

export async function verifySigstoreBundle(request: ForeignVerificationRequest): Promise<VerificationReport> {
  const base = foundBase(request);
  let bundle: SigstoreBundle;
  let roots: X509Anchor[];
  try {
    roots = readRoots(request.trust.certificateAuthorities);
    checkTrustedRoot(request.trust);
    bundle = readSigstoreBundle(request.signature.bytes);
  } catch (error) {
    if (error instanceof FormatError || error instanceof TrustRootError) return invalid(base, [], error instanceof FormatError ? `The Sigstore bundle is malformed: ${error.message}` : error.message);
    throw error;
  }
  if (!request.signature.separate || request.target.kind !== 'file') {
    return invalid(base, [], 'A Sigstore bundle is checked against the artifact it signs: give the artifact file as the target and the bundle with --signature.');
  }
  const findings: Finding[] = [];
  const checkSigner = (signatures: readonly { sig: Uint8Array; keyid: string | null }[], message: Uint8Array, artifactDigest: { algorithm: string; hex: string } | null) => {
    const verdict = checkBundleSigner(bundle, request.trust, roots, signatures, message, artifactDigest, request.now);
    if (verdict.transparency === null && verdict.refusal === null && (bundle.tlogEntryCount > 0 || bundle.hasTimestamps)) {
      findings.push({ severity: 'info', code: 'transparency-not-checked', message: 'The bundle carries transparency-log entries or timestamps; they were not checked (trust came from the keys or roots given).', location: request.signature.path });
    }
    return verdict;
  };

  if (bundle.content.kind === 'dsse') {
    const envelope = bundle.content.envelope;
    const signer = checkSigner(envelope.signatures, pae(envelope.payloadType, envelope.payload), null);
    if (signer.refusal !== null) return invalid(base, [], signer.refusal);
    let subjects: SubjectCheck[];
    let bytesHashed: number;
    if (envelope.payloadType === IN_TOTO_PAYLOAD_TYPE) {
      let statementSubjects;
      try {
        statementSubjects = readStatementSubjects(envelope.payload, MAX_BUNDLE_BYTES).subjects;
      } catch (error) {
        if (error instanceof FormatError) return invalid(base, signer.checks, `The bundle's in-toto statement cannot be read: ${error.message}`);
        throw error;
      }
      const wanted = (['sha256', 'sha384', 'sha512'] as const).filter((algorithm) => statementSubjects.some((subject) => subject.digest[algorithm] !== undefined));
      if (wanted.length === 0) return invalid(base, signer.checks, 'No subject of the statement has a sha256, sha384 or sha512 digest: nothing binds the signature to the artifact.');
      const hashed = await hashTargetFile(request.target.path, wanted, request.job);
      bytesHashed = hashed.bytes;
      subjects = bindToStatement(request.target.path, statementSubjects, hashed.digests, hashed.bytes);
    } else {
      const hashed = await hashTargetFile(request.target.path, ['sha256'], request.job);
      bytesHashed = hashed.bytes;
      const expected = createHash('sha256').update(envelope.payload).digest('hex');
      const matches = hashed.digests.sha256 === expected;
      subjects = [subjectCheck(request.target.path, hashed.bytes, 'sha256', expected, hashed.digests.sha256 ?? null, matches, matches ? 'The artifact is the signed payload.' : `The artifact is not the signed payload (payload type ${envelope.payloadType}).`)];
    }
    return assembleForeignReport({ ...base, transparency: signer.transparency, signatures: signer.checks, subjects, findings, bytesHashed });
  }

  const message = bundle.content.signature;
  const size = (await stat(request.target.path)).size;
  if (size > MAX_MESSAGE_ARTIFACT_BYTES) {
    return invalid(base, [], `The artifact is ${size} bytes: message signatures are checked over artifacts of at most ${MAX_MESSAGE_ARTIFACT_BYTES} bytes (read into memory); larger ones are not supported yet.`);
  }
  const artifact = await readFile(request.target.path);
  const algorithm = message.messageDigest === null ? 'sha256' : MESSAGE_DIGEST_ALGORITHMS[message.messageDigest.algorithm];
  if (algorithm === undefined) return invalid(base, [], `Unsupported message digest algorithm ${JSON.stringify(message.messageDigest?.algorithm)} (SHA2_256, SHA2_384 and SHA2_512 are known).`);
  const actual = createHash(algorithm).update(artifact).digest('hex');
  const signer = checkSigner([{ sig: message.signature, keyid: null }], artifact, { algorithm, hex: actual });
  if (signer.refusal !== null) return invalid(base, [], signer.refusal);
  const subjects: SubjectCheck[] = [];
  if (message.messageDigest !== null) {
    const expected = Buffer.from(message.messageDigest.digest).toString('hex');
    subjects.push(subjectCheck(request.target.path, size, algorithm, expected, actual, expected === actual, expected === actual ? 'The artifact matches the bundle\'s message digest.' : 'The artifact differs from the digest the bundle records.'));
  }
  return assembleForeignReport({ ...base, transparency: signer.transparency, signatures: signer.checks, subjects, findings, bytesHashed: size });
}

type Base = Omit<ForeignFindings, 'signatures' | 'subjects' | 'findings'>;

function foundBase(request: ForeignVerificationRequest): Base {
  return {
    format: 'sigstore',
    target: { path: request.target.path, container: request.target.kind, fileCount: request.target.kind === 'file' ? 1 : 0, signaturePath: request.signature.separate ? request.signature.path : null },
    unexpectedFiles: [],
    unexpectedFilesFail: false,
    trust: { source: request.trust.source, anchors: request.trust.anchors, trustedKeyCount: trustedAnchorCount(request.trust), threshold: request.trust.threshold },
    transparency: null,
    now: request.now,
  };
}

function invalid(base: Base, signatures: SignatureCheck[], message: string): VerificationReport {
  return assembleForeignReport({ ...base, signatures, subjects: [], findings: [{ severity: 'error', code: 'sigstore-refused', message, location: base.target.signaturePath }] });
}

function subjectCheck(path: string, size: number, algorithm: string, expected: string, actual: string | null, ok: boolean, reason: string): SubjectCheck {
  return {
    name: path,
    kind: null,
    digest: { [algorithm]: expected },
    blobPath: path,
    size,
    status: ok ? 'ok' : 'mismatch',
    expectedSha256: algorithm === 'sha256' ? expected : null,
    actualSha256: algorithm === 'sha256' ? actual : null,
    reason,
    digestAlgorithm: algorithm,
    expectedDigest: expected,
    actualDigest: actual,
  };
}

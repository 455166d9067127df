import { createHash } from 'node:crypto';
import { pae, readEnvelope, type ParsedDsseEnvelope } from '../../../shared/crypto/dsse';
import { DomainError } from '../../../shared/errors/domain-error';
import { MAX_DETECTED_JSON_BYTES } from '../../../shared/verify/foreign/detect-format';
import { assembleForeignReport, type ForeignFindings } from '../../../shared/verify/foreign/foreign-report';
import { IN_TOTO_PAYLOAD_TYPE, readStatementSubjects, type StatementSubject } from '../../../shared/verify/foreign/statement-subjects';
import type { Finding, SubjectCheck, VerificationReport } from '../../../shared/verify/report';
import type { ForeignVerificationRequest, FormatVerifier } from './format-verifier';
import { hashTargetFile, type TargetHash } from './hash-target';
import { checkRawSignature } from './signature-checks';

const TARGET_HASHES: readonly TargetHash[] = ['sha256', 'sha384', 'sha512'];

/**
 * A DSSE envelope of any payload type, signed with ECDSA, Ed25519 or RSA keys given as trust.
 * Each signature is checked over PAE(payloadType, payload) against every trusted key; distinct
 * trusted keys are counted against the threshold. The artifact must be what was signed: named by
 * a subject digest of an in-toto Statement, or, for any other payload, the payload's own bytes.
 */
export const dsseVerifier: FormatVerifier = {
  format: 'dsse',
  async verify(request) {
    const base = baseFindings(request);
    let envelope: ParsedDsseEnvelope;
    try {
      envelope = readEnvelope(request.signature.bytes, MAX_DETECTED_JSON_BYTES, { anySignatureAlgorithm: true });
    } catch (error) {
      return invalid(base, 'dsse-unreadable', `The DSSE envelope cannot be read: ${messageOf(error)}`);
    }
    const message = pae(envelope.payloadType, envelope.payload);
    const signatures = envelope.signatures.map((signature, index) => checkRawSignature(index, signature.keyid, signature.sig, message, request.trust.keys));
    const findings: Finding[] = envelope.unknownFields.map((path) => ({ severity: 'info', code: 'unknown-field', message: `${path} is not a DSSE field; kept, not interpreted.`, location: path }));

    if (!request.signature.separate) {
      findings.push({ severity: 'info', code: 'no-artifact', message: 'No artifact was given: the envelope itself was verified; what its payload names was not checked.', location: null });
      return assembleForeignReport({ ...base, signatures, findings, subjects: [] });
    }
    if (request.target.kind !== 'file') {
      return invalid(base, 'dsse-target-directory', `${request.target.path} is a directory: a DSSE signature is checked against one artifact file.`);
    }

    let subjects: SubjectCheck[];
    let bytesHashed: number;
    if (envelope.payloadType === IN_TOTO_PAYLOAD_TYPE) {
      let statementSubjects: StatementSubject[];
      try {
        statementSubjects = readStatementSubjects(envelope.payload, MAX_DETECTED_JSON_BYTES).subjects;
      } catch (error) {
        return invalid({ ...base, signatures }, 'statement-unreadable', `The envelope's in-toto payload cannot be read: ${messageOf(error)}`);
      }
      const wanted = TARGET_HASHES.filter((algorithm) => statementSubjects.some((subject) => subject.digest[algorithm] !== undefined));
      if (wanted.length === 0) return invalid({ ...base, signatures }, 'statement-no-digest', 'No subject of the statement has a sha256, sha384 or sha512 digest: nothing binds the signature to the artifact.');
      const hashed = await hashTargetFile(request.target.path, wanted, request.job);
      bytesHashed = hashed.bytes;
      subjects = bindToStatement(request.target.path, statementSubjects, hashed.digests, hashed.bytes);
    } else {
      const hashed = await hashTargetFile(request.target.path, ['sha256'], request.job);
      bytesHashed = hashed.bytes;
      const expected = createHash('sha256').update(envelope.payload).digest('hex');
      const actual = hashed.digests.sha256 ?? null;
      const ok = expected === actual;
      subjects = [
        subjectCheck(request.target.path, hashed.bytes, 'sha256', expected, actual, ok ? 'ok' : 'mismatch',
          ok ? 'The artifact is the signed payload.' : `The artifact is not the signed payload (payload type ${envelope.payloadType}): the signature is not over this file.`),
      ];
    }
    return assembleForeignReport({ ...base, signatures, findings, subjects, bytesHashed });
  },
};

/**
 * The artifact against the statement's subjects: one subject must carry a digest the artifact has.
 * The others are reported as not checked; none matching means the signature is not bound to it.
 */
export function bindToStatement(path: string, subjects: readonly StatementSubject[], actual: Partial<Record<TargetHash, string>>, size: number): SubjectCheck[] {
  const matches = (subject: StatementSubject) => TARGET_HASHES.some((algorithm) => subject.digest[algorithm] !== undefined && subject.digest[algorithm] === actual[algorithm]);
  const match = subjects.find(matches);
  if (match === undefined) {
    const first = subjects[0]!;
    const algorithm = TARGET_HASHES.find((a) => first.digest[a] !== undefined) ?? 'sha256';
    return [
      subjectCheck(path, size, algorithm, first.digest[algorithm] ?? null, actual[algorithm] ?? null, 'mismatch',
        `The artifact's digest is named by none of the statement's ${subjects.length} subject(s): the signature is not bound to this file.`),
    ];
  }
  return subjects.map((subject) => {
    const algorithm = TARGET_HASHES.find((a) => subject.digest[a] !== undefined) ?? 'sha256';
    if (subject === match) return { ...subjectCheck(path, size, algorithm, subject.digest[algorithm] ?? null, actual[algorithm] ?? null, 'ok', `The artifact matches subject ${subject.name}.`), name: subject.name };
    return { ...subjectCheck(path, size, algorithm, subject.digest[algorithm] ?? null, null, 'not-checked', 'Another subject of the statement; only the given artifact was checked.'), name: subject.name, blobPath: null, size: null };
  });
}

function subjectCheck(path: string, size: number, algorithm: string, expected: string | null, actual: string | null, status: SubjectCheck['status'], reason: string): SubjectCheck {
  return {
    name: path,
    kind: null,
    digest: expected === null ? {} : { [algorithm]: expected },
    blobPath: path,
    size,
    status,
    expectedSha256: algorithm === 'sha256' ? expected : null,
    actualSha256: algorithm === 'sha256' ? actual : null,
    reason,
    digestAlgorithm: algorithm,
    expectedDigest: expected,
    actualDigest: actual,
  };
}

type BaseFindings = Omit<ForeignFindings, 'signatures' | 'subjects' | 'findings'> & Partial<Pick<ForeignFindings, 'signatures'>>;

function baseFindings(request: ForeignVerificationRequest): BaseFindings {
  return {
    format: request.format,
    target: {
      path: request.target.path,
      container: request.target.kind === 'directory' ? 'directory' : 'file',
      fileCount: request.target.kind === 'file' ? 1 : 0,
      signaturePath: request.signature.separate ? request.signature.path : null,
    },
    unexpectedFiles: [],
    unexpectedFilesFail: false,
    trust: { source: request.trust.source, anchors: request.trust.anchors, trustedKeyCount: request.trust.keys.length, threshold: request.trust.threshold },
    now: request.now,
  };
}

function invalid(base: BaseFindings, code: string, message: string): VerificationReport {
  return assembleForeignReport({ signatures: [], ...base, subjects: [], findings: [{ severity: 'error', code, message, location: null }] });
}

function messageOf(error: unknown): string {
  if (error instanceof DomainError || error instanceof Error) return error.message;
  return String(error);
}

import type { AttestationBinding, AttestationCheck, Finding, VerificationReport } from './report';
import type { ManifestSubject } from '../formats/manifest';
import type { StatementSubject } from './foreign/statement-subjects';
import type { JsonValue } from '../json/strict-json';

/** An attestation file is a signature document: larger ones are refused before they are parsed. */
export const MAX_ATTESTATION_BYTES = 16 * 1024 * 1024;

/**
 * The bundle's verdict with its attestations: they can lower it, never raise it. A tampered
 * attestation (a signature failing under the trusted key it names, a signed file that differs,
 * a subject that is not the manifest's, a provenance built from another commit) makes the bundle
 * tampered: a producer's claim about this release contradicts it. One nobody trusted, or that
 * cannot be read, is a warning: anyone can put a file in attestations/, and it proves nothing.
 */
export function withAttestations(report: VerificationReport, attestations: readonly AttestationCheck[]): VerificationReport {
  if (attestations.length === 0) return report;
  const findings: Finding[] = attestations.flatMap((attestation): Finding[] => {
    if (attestation.status === 'verified') return [];
    const severity = attestation.status === 'tampered' ? 'error' : 'warning';
    return [{ severity, code: `attestation-${attestation.status}`, message: `${attestation.path}: ${attestation.reasons.join(' ')}`, location: attestation.path }];
  });
  const tampered = attestations.filter((attestation) => attestation.status === 'tampered');
  const tamperedReasons = tampered.map((attestation) => `Attestation ${attestation.path}: ${attestation.reasons.join(' ')}`);
  return {
    ...report,
    verdict: tampered.length > 0 ? 'tampered' : report.verdict,
    reasons: tampered.length > 0 ? [...tamperedReasons, ...(report.verdict === 'tampered' ? report.reasons : [])] : report.reasons,
    findings: [...report.findings, ...findings],
    attestations: [...attestations],
  };
}

const COMPARED_DIGESTS = ['sha256', 'sha384', 'sha512', 'gitCommit'] as const;

/**
 * Each statement subject against the manifest's subjects, by digest: bound when a manifest subject
 * carries an equal digest under every algorithm both name (at least one); a subject of the same
 * name with another digest is a mismatch; otherwise unbound. Names alone never bind.
 */
export function bindStatementSubjects(subjects: readonly StatementSubject[], manifestSubjects: readonly ManifestSubject[]): AttestationBinding[] {
  return subjects.map((subject) => {
    const equal = manifestSubjects.find((candidate) => digestsAgree(subject.digest, candidate.digest) === 'equal');
    if (equal !== undefined) return { name: subject.name, digest: { ...subject.digest }, manifestSubject: equal.name, status: 'bound', reason: `Equal to the manifest subject ${equal.name}.` };
    const named = manifestSubjects.find((candidate) => candidate.name === subject.name);
    if (named !== undefined && digestsAgree(subject.digest, named.digest) === 'different') {
      return { name: subject.name, digest: { ...subject.digest }, manifestSubject: named.name, status: 'mismatch', reason: `The manifest subject ${named.name} has another digest: the attestation is about other content.` };
    }
    return { name: subject.name, digest: { ...subject.digest }, manifestSubject: null, status: 'unbound', reason: 'No manifest subject has this digest: the attestation names something this release does not pin.' };
  });
}

function digestsAgree(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): 'equal' | 'different' | 'incomparable' {
  const common = COMPARED_DIGESTS.filter((algorithm) => a[algorithm] !== undefined && b[algorithm] !== undefined);
  if (common.length === 0) return 'incomparable';
  return common.every((algorithm) => a[algorithm] === b[algorithm]) ? 'equal' : 'different';
}

const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const GIT_COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export function isSlsaProvenance(predicateType: string): boolean {
  return predicateType === SLSA_V02 || predicateType === SLSA_V1;
}

/**
 * The git commits a SLSA provenance says it was built from: `predicate.materials` (v0.2) or
 * `predicate.buildDefinition.resolvedDependencies` (v1), each entry's `gitCommit` digest, or its
 * `sha1` digest when its `uri` is a git URL (`git+...`). Compared with the manifest's `code` subjects.
 */
export function compareProvenanceCommits(statement: JsonValue, predicateType: string, manifestSubjects: readonly ManifestSubject[]): NonNullable<AttestationCheck['provenance']> {
  const predicate = member(statement, 'predicate');
  const entries = predicateType === SLSA_V02 ? member(predicate, 'materials') : member(member(predicate, 'buildDefinition'), 'resolvedDependencies');
  const commits = new Set<string>();
  if (Array.isArray(entries)) {
    for (const entry of entries) {
      const digest = member(entry, 'digest');
      const uri = member(entry, 'uri');
      const gitCommit = member(digest, 'gitCommit');
      const sha1 = member(digest, 'sha1');
      if (typeof gitCommit === 'string' && GIT_COMMIT.test(gitCommit)) commits.add(gitCommit);
      else if (typeof sha1 === 'string' && GIT_COMMIT.test(sha1) && typeof uri === 'string' && uri.startsWith('git+')) commits.add(sha1);
    }
  }
  const codeCommits = [...new Set(manifestSubjects.filter((subject) => subject.kind === 'code').flatMap((subject) => (subject.digest['gitCommit'] !== undefined ? [subject.digest['gitCommit']] : [])))];
  const found = [...commits];
  const status = codeCommits.length === 0 ? 'no-code-subject' : found.length === 0 ? 'no-commit' : found.some((commit) => codeCommits.includes(commit)) ? 'same' : 'differs';
  return { commits: found, codeCommits, status };
}

function member(value: JsonValue | undefined, key: string): JsonValue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

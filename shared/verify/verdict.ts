import type { ManifestCheck } from './check-manifest';
import { uncheckedDigestFindings } from './check-subjects';
import type { BundleFormat, Finding, SubjectCheck, Verdict, VerificationReport } from './report';
import type { TrustContext } from './trust';

export interface VerdictInputs {
  manifest: ManifestCheck;
  subjects: readonly SubjectCheck[];
  unexpectedBlobs: readonly string[];
  trust: TrustContext;
}

/**
 * One verdict, with every reason in plain words, most severe first:
 * - tampered: a blob does not match its pinned digest, or a signature fails under the trusted key it names;
 * - invalid: the manifest cannot be read as a Countersign release manifest;
 * - untrusted: no trusted, unrevoked key signed it, or its author (`createdBy`) did not sign it;
 * - verified: none of the above.
 */
export function decideVerdict({ manifest, subjects, unexpectedBlobs, trust }: VerdictInputs): { verdict: Verdict; reasons: string[] } {
  const tampered = [
    ...subjects.filter((s) => s.status === 'mismatch').map((s) => s.reason),
    ...manifest.signatures.filter((s) => s.status === 'invalid').map((s) => `Signature ${s.index + 1}: ${s.reason}`),
  ];
  if (tampered.length > 0) return { verdict: 'tampered', reasons: tampered };

  const invalid = manifest.findings.filter((f) => f.severity === 'error').map((f) => f.message);
  if (invalid.length > 0 || !manifest.summary) return { verdict: 'invalid', reasons: invalid.length > 0 ? invalid : ['The manifest could not be read.'] };

  const valid = manifest.signatures.filter((s) => s.status === 'valid');
  const untrusted: string[] = [];
  if (valid.length === 0) {
    const revoked = manifest.signatures.filter((s) => s.status === 'revoked');
    untrusted.push(
      revoked.length > 0
        ? `Signed only with revoked keys: ${revoked.map((s) => s.keyId).join(', ')}.`
        : trust.keys.length === 0
          ? 'No key is trusted yet: pin the producer’s key or import the board policy, after checking fingerprints.'
          : 'No trusted key signed this manifest.',
    );
  }
  const createdBy = manifest.summary.createdBy;
  if (valid.length > 0 && createdBy !== null && !valid.some((s) => s.keyId === createdBy)) {
    untrusted.push(`The manifest names its author as ${createdBy}, but no valid trusted signature is by that key.`);
  }
  if (untrusted.length > 0) return { verdict: 'untrusted', reasons: untrusted };

  const signers = [...new Set(valid.map((s) => s.signerName))].join(', ');
  const checked = subjects.filter((s) => s.status === 'ok').length;
  const reasons = [`Signed by ${signers}; ${checked} of ${subjects.length} subjects checked against their blobs, all match.`];
  if (unexpectedBlobs.length > 0) reasons.push(`${unexpectedBlobs.length} blob(s) in artifacts/ are named by no subject and were not trusted.`);
  return { verdict: 'verified', reasons };
}

export function assembleReport(
  inputs: VerdictInputs & {
    bundle: { path: string; container: BundleFormat; fileCount: number };
    extraFindings?: readonly Finding[];
    bytesHashed: number;
    now: Date;
  },
): VerificationReport {
  const { verdict, reasons } = decideVerdict(inputs);
  const { subjects, unexpectedBlobs, trust, manifest } = inputs;
  const count = (status: SubjectCheck['status']) => subjects.filter((s) => s.status === status).length;
  const unexpectedFindings: Finding[] = unexpectedBlobs.map((blob) => ({
    severity: 'warning',
    code: 'unexpected-blob',
    message: `${blob} is in the bundle but no subject names it.`,
    location: blob,
  }));
  return {
    bundle: { path: inputs.bundle.path, format: 'countersign', container: inputs.bundle.container, fileCount: inputs.bundle.fileCount },
    manifest: manifest.summary,
    verdict,
    reasons,
    findings: [...manifest.findings, ...unexpectedFindings, ...uncheckedDigestFindings(subjects), ...trust.findings, ...(inputs.extraFindings ?? [])],
    signatures: manifest.signatures,
    subjects: [...subjects],
    unexpectedBlobs: [...unexpectedBlobs],
    counts: {
      subjects: subjects.length,
      checked: count('ok') + count('mismatch'),
      ok: count('ok'),
      mismatched: count('mismatch'),
      notChecked: count('not-checked'),
      bytesHashed: inputs.bytesHashed,
    },
    trust: { source: trust.source, boardName: trust.boardName, trustedKeyCount: trust.keys.length },
    verifiedAt: inputs.now.toISOString(),
  };
}

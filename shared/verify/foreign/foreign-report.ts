import type { BundleFormat, Finding, SignatureCheck, SignatureFormat, SubjectCheck, Transparency, Verdict, VerificationReport } from '../report';

/** What a foreign-format verifier found, before the verdict is decided. */
export interface ForeignFindings {
  format: SignatureFormat;
  target: { path: string; container: BundleFormat; fileCount: number; signaturePath: string | null };
  signatures: readonly SignatureCheck[];
  subjects: readonly SubjectCheck[];
  /** Files in the target that no signed subject names (after ignore paths). */
  unexpectedFiles: readonly string[];
  /** True when an unexpected file fails verification (OMS without --ignore-unsigned-files). */
  unexpectedFilesFail: boolean;
  /** Problems that make the signature unusable (unreadable, malformed, hostile): an error finding means invalid. */
  findings: readonly Finding[];
  /** source flags: trust came from the trust flags alone; store or board-file: from the profile's keys. */
  trust: { source: 'flags' | 'store' | 'board-file'; anchors: readonly string[]; trustedKeyCount: number; threshold: number };
  bytesHashed?: number;
  transparency?: Transparency | null;
  now: Date;
}

/**
 * One verdict for every foreign format, most severe first:
 * - invalid: the signature cannot be read or is refused as hostile (an error finding);
 * - tampered: a signed file is missing or differs, an unsigned file is present where that fails,
 *   or a signature fails under a trusted key;
 * - untrusted: fewer distinct trusted keys than the threshold made valid signatures. Distinct
 *   keys are counted, never signatures, never key hints;
 * - verified.
 */
export function decideForeignVerdict(found: ForeignFindings): { verdict: Verdict; reasons: string[] } {
  const invalid = found.findings.filter((f) => f.severity === 'error').map((f) => f.message);
  if (invalid.length > 0) return { verdict: 'invalid', reasons: invalid };

  const tampered = [
    ...found.subjects.filter((s) => s.status === 'mismatch' || s.status === 'missing').map((s) => s.reason),
    ...(found.unexpectedFilesFail ? found.unexpectedFiles.map((file) => `${file} is not signed (give --ignore-unsigned-files to allow unsigned files).`) : []),
    ...found.signatures.filter((s) => s.status === 'invalid').map((s) => `Signature ${s.index + 1}: ${s.reason}`),
  ];
  if (tampered.length > 0) return { verdict: 'tampered', reasons: tampered };

  const validKeys = distinctValidKeys(found.signatures);
  if (validKeys.length < found.trust.threshold) {
    const reason =
      found.trust.trustedKeyCount === 0
        ? 'No trusted key was given: pass the signer’s key (--key), allowed signers (--allowed-signers) or a trust anchor.'
        : validKeys.length === 0
          ? 'No trusted key made a valid signature.'
          : `${validKeys.length} distinct trusted key(s) signed; ${found.trust.threshold} are required.`;
    return { verdict: 'untrusted', reasons: [reason] };
  }
  const signers = [...new Set(found.signatures.filter((s) => s.status === 'valid').map((s) => s.signerName ?? s.keyId ?? '?'))].join(', ');
  const checked = found.subjects.filter((s) => s.status === 'ok').length;
  const reasons = [`Signed by ${signers}; ${checked} of ${found.subjects.length} subject(s) checked, all match.`];
  if (found.unexpectedFiles.length > 0) reasons.push(`${found.unexpectedFiles.length} file(s) are signed by no subject and were not trusted.`);
  return { verdict: 'verified', reasons };
}

/** Key IDs of the trusted keys that made a valid signature, each once. */
export function distinctValidKeys(signatures: readonly SignatureCheck[]): string[] {
  return [...new Set(signatures.filter((s) => s.status === 'valid' && s.keyId !== null).map((s) => s.keyId!))];
}

export function assembleForeignReport(found: ForeignFindings): VerificationReport {
  const { verdict, reasons } = decideForeignVerdict(found);
  const count = (status: SubjectCheck['status']) => found.subjects.filter((s) => s.status === status).length;
  const unexpected: Finding[] = found.unexpectedFiles.map((file) => ({
    severity: found.unexpectedFilesFail ? 'error' : 'warning',
    code: 'unexpected-file',
    message: `${file} is in the target but no signed subject names it.`,
    location: file,
  }));
  return {
    bundle: {
      path: found.target.path,
      format: found.format,
      container: found.target.container,
      fileCount: found.target.fileCount,
      signaturePath: found.target.signaturePath,
    },
    manifest: null,
    verdict,
    reasons,
    findings: [...found.findings, ...unexpected],
    signatures: [...found.signatures],
    subjects: [...found.subjects],
    unexpectedBlobs: [...found.unexpectedFiles],
    counts: {
      subjects: found.subjects.length,
      checked: count('ok') + count('mismatch') + count('missing'),
      ok: count('ok'),
      mismatched: count('mismatch') + count('missing'),
      notChecked: count('not-checked'),
      bytesHashed: found.bytesHashed ?? 0,
    },
    trust: { source: found.trust.source, boardName: null, trustedKeyCount: found.trust.trustedKeyCount, anchors: [...found.trust.anchors], threshold: found.trust.threshold },
    ...(found.transparency !== undefined ? { transparency: found.transparency } : {}),
    verifiedAt: found.now.toISOString(),
  };
}

/** The report for a format that was recognised but has no verifier yet: invalid, never a silent pass. */
export function notSupportedReport(found: Omit<ForeignFindings, 'signatures' | 'subjects' | 'unexpectedFiles' | 'unexpectedFilesFail' | 'findings'>): VerificationReport {
  return assembleForeignReport({
    ...found,
    signatures: [],
    subjects: [],
    unexpectedFiles: [],
    unexpectedFilesFail: false,
    findings: [
      {
        severity: 'error',
        code: 'format-not-supported',
        message: `The signature is ${FORMAT_NAMES[found.format]}: recognised, not supported yet. Nothing was verified.`,
        location: found.target.signaturePath,
      },
    ],
  });
}

export const FORMAT_NAMES: Record<SignatureFormat, string> = {
  countersign: 'a Countersign bundle',
  oms: 'an OpenSSF Model Signing (OMS) signature',
  sigstore: 'a Sigstore bundle',
  dsse: 'a DSSE envelope',
  sshsig: 'an SSH signature',
  'in-toto': 'in-toto metadata',
};

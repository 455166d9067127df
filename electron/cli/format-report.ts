import type { SignatureStatus, SubjectStatus, Verdict, VerificationReport } from '../../shared/verify/report';
import { fields } from '../../shared/text/neutralise';

const VERDICT_WORD: Record<Verdict, string> = { verified: 'VERIFIED', tampered: 'TAMPERED', untrusted: 'UNTRUSTED', invalid: 'INVALID' };
const SIGNATURE_MARK: Record<SignatureStatus, string> = { valid: '✓ valid', invalid: '✗ invalid', 'unknown-key': '? unknown key', revoked: '✗ revoked' };
const SUBJECT_MARK: Record<SubjectStatus, string> = { ok: '✓ ok', mismatch: '✗ MISMATCH', 'not-checked': '· not checked', missing: '✗ MISSING' };

/** The human form of a verification report: the verdict first, then every failing subject and signature. */
export function formatReport(report: VerificationReport, options: { allSubjects?: boolean } = {}): string {
  const lines: string[] = [];
  const release = report.manifest?.releaseName ? ` ${report.manifest.releaseName}@${report.manifest.releaseVersion ?? ''}` : '';
  lines.push(fields`${VERDICT_WORD[report.verdict]}${release}  (${report.bundle.path})`);
  for (const reason of report.reasons) lines.push(fields`  ${reason}`);
  if (report.manifest) lines.push(fields`  manifest sha256 ${report.manifest.digest}`);
  lines.push(fields`  trust: ${report.trust.source === 'board-file' ? `board file "${report.trust.boardName}"` : report.trust.source === 'flags' ? '--key / --ca given' : 'this profile'} (${report.trust.trustedKeyCount} trusted keys)`);

  lines.push('', 'Signatures');
  if (report.signatures.length === 0) lines.push('  (none read)');
  for (const s of report.signatures) {
    lines.push(fields`  ${SIGNATURE_MARK[s.status].padEnd(14)} ${s.keyId ?? s.keyIdHint ?? '-'}  ${s.signerName ?? ''}`.trimEnd());
    if (s.status !== 'valid') lines.push(fields`      ${s.reason}`);
  }

  const c = report.counts;
  lines.push('', `Subjects: ${c.subjects} (${c.checked} checked against blobs: ${c.ok} ok, ${c.mismatched} mismatched; ${c.notChecked} not checked)`);
  for (const s of report.subjects) {
    if (s.status === 'mismatch') {
      lines.push(fields`  ${SUBJECT_MARK[s.status]}  ${s.name}  (${s.blobPath})`);
      lines.push(fields`      expected sha256 ${s.expectedSha256}`);
      lines.push(fields`      actual   sha256 ${s.actualSha256}`);
    } else if (options.allSubjects) {
      lines.push(fields`  ${SUBJECT_MARK[s.status].padEnd(14)} ${s.name}`);
    }
  }
  for (const blob of report.unexpectedBlobs) lines.push(fields`  ! unexpected  ${blob} (no subject names it)`);

  const notable = report.findings.filter((f) => f.severity !== 'info' && f.code !== 'unexpected-blob');
  if (notable.length > 0) {
    lines.push('', 'Findings');
    for (const f of notable) lines.push(fields`  ${f.severity}: ${f.message}`);
  }
  return lines.join('\n');
}

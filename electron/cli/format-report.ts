import type { SignatureStatus, SubjectStatus, Verdict, VerificationReport } from '../../shared/verify/report';
import { fields } from '../../shared/text/neutralise';
import { PLAIN, type Paint } from './colour';

const VERDICT_WORD: Record<Verdict, string> = { verified: 'VERIFIED', tampered: 'TAMPERED', untrusted: 'UNTRUSTED', invalid: 'INVALID' };
const SIGNATURE_MARK: Record<SignatureStatus, string> = { valid: '✓ valid', invalid: '✗ invalid', 'unknown-key': '? unknown key', revoked: '✗ revoked' };
const SUBJECT_MARK: Record<SubjectStatus, string> = { ok: '✓ ok', mismatch: '✗ MISMATCH', 'not-checked': '· not checked' };

/** The human form of a verification report: the verdict first, then every failing subject and signature. */
export function formatReport(report: VerificationReport, options: { allSubjects?: boolean; paint?: Paint } = {}): string {
  const paint = options.paint ?? PLAIN;
  const lines: string[] = [];
  const release = report.manifest?.releaseName ? ` ${report.manifest.releaseName}@${report.manifest.releaseVersion ?? ''}` : '';
  const word = paint.bold(VERDICT_WORD[report.verdict]);
  lines.push(`${report.verdict === 'verified' ? paint.green(word) : paint.red(word)}${fields`${release}  (${report.bundle.path})`}`);
  for (const reason of report.reasons) lines.push(fields`  ${reason}`);
  if (report.manifest) lines.push(fields`  manifest sha256 ${report.manifest.digest}`);
  lines.push(fields`  trust: ${report.trust.source === 'board-file' ? `board file "${report.trust.boardName}"` : 'this profile'} (${report.trust.trustedKeyCount} trusted ${report.trust.trustedKeyCount === 1 ? 'key' : 'keys'})`);

  lines.push('', paint.bold('Signatures'));
  if (report.signatures.length === 0) lines.push('  (none read)');
  for (const s of report.signatures) {
    const mark = SIGNATURE_MARK[s.status].padEnd(14);
    lines.push(`  ${s.status === 'valid' ? paint.green(mark) : paint.red(mark)}${fields` ${s.keyId ?? s.keyIdHint ?? '-'}  ${s.signerName ?? ''}`.trimEnd()}`);
    if (s.status !== 'valid') lines.push(fields`      ${s.reason}`);
  }

  const c = report.counts;
  lines.push('', `${paint.bold('Subjects:')} ${c.subjects} (${c.checked} checked against blobs: ${c.ok} ok, ${c.mismatched} mismatched; ${c.notChecked} not checked)`);
  for (const s of report.subjects) {
    if (s.status === 'mismatch') {
      lines.push(`  ${paint.red(SUBJECT_MARK[s.status])}${fields`  ${s.name}  (${s.blobPath})`}`);
      lines.push(fields`      expected sha256 ${s.expectedSha256}`);
      lines.push(fields`      actual   sha256 ${s.actualSha256}`);
    } else if (options.allSubjects) {
      lines.push(fields`  ${SUBJECT_MARK[s.status].padEnd(14)} ${s.name}`);
    }
  }
  for (const blob of report.unexpectedBlobs) lines.push(fields`  ! unexpected  ${blob} (no subject names it)`);

  const notable = report.findings.filter((f) => f.severity !== 'info' && f.code !== 'unexpected-blob');
  if (notable.length > 0) {
    lines.push('', paint.bold('Findings'));
    for (const f of notable) lines.push(fields`  ${f.severity}: ${f.message}`);
  }
  return lines.join('\n');
}

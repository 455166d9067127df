import type { SignatureStatus, SubjectCheck, SubjectStatus, Verdict, VerificationReport } from '../../shared/verify/report';
import { FORMAT_NAMES } from '../../shared/verify/foreign/foreign-report';
import { fields } from '../../shared/text/neutralise';
import { PLAIN, type Paint } from './colour';

const VERDICT_WORD: Record<Verdict, string> = { verified: 'VERIFIED', tampered: 'TAMPERED', untrusted: 'UNTRUSTED', invalid: 'INVALID' };
const SIGNATURE_MARK: Record<SignatureStatus, string> = { valid: '✓ valid', invalid: '✗ invalid', 'unknown-key': '? unknown key', revoked: '✗ revoked', 'not-allowed': '✗ not allowed' };
const SUBJECT_MARK: Record<SubjectStatus, string> = { ok: '✓ ok', mismatch: '✗ MISMATCH', 'not-checked': '· not checked', missing: '✗ MISSING' };

/** The human form of a verification report: the verdict first, then every failing subject and signature. */
export function formatReport(report: VerificationReport, options: { allSubjects?: boolean; paint?: Paint } = {}): string {
  const paint = options.paint ?? PLAIN;
  const lines: string[] = [];
  const release = report.manifest?.releaseName ? ` ${report.manifest.releaseName}@${report.manifest.releaseVersion ?? ''}` : '';
  const word = paint.bold(VERDICT_WORD[report.verdict]);
  lines.push(`${report.verdict === 'verified' ? paint.green(word) : paint.red(word)}${fields`${release}  (${report.bundle.path})`}`);
  for (const reason of report.reasons) lines.push(fields`  ${reason}`);
  if (report.bundle.format !== 'countersign') lines.push(fields`  format: ${FORMAT_NAMES[report.bundle.format]}${report.bundle.signaturePath ? ` in ${report.bundle.signaturePath}` : ''}`);
  if (report.manifest) lines.push(fields`  manifest sha256 ${report.manifest.digest}`);
  lines.push(fields`  trust: ${trustWords(report.trust)}`);
  const transparency = report.transparency;
  if (transparency) {
    lines.push(fields`  transparency: log index ${transparency.logIndex ?? '-'}, time ${transparency.integratedTime ?? transparency.timestampAuthorityTime ?? '-'}, checked ${transparency.proofsChecked.join(', ') || 'nothing'}`);
  }

  lines.push('', paint.bold('Signatures'));
  if (report.signatures.length === 0) lines.push('  (none read)');
  for (const s of report.signatures) {
    const algorithm = s.algorithm ? `  [${s.algorithm}]` : '';
    const mark = SIGNATURE_MARK[s.status].padEnd(14);
    lines.push(`  ${s.status === 'valid' ? paint.green(mark) : paint.red(mark)}${fields` ${s.keyId ?? (s.keyIdHint || '-')}  ${s.signerName ?? ''}${algorithm}`.trimEnd()}`);
    if (s.status !== 'valid') lines.push(fields`      ${s.reason}`);
  }

  const c = report.counts;
  lines.push(
    '',
    report.bundle.format === 'countersign'
      ? `${paint.bold('Subjects:')} ${c.subjects} (${c.checked} checked against blobs: ${c.ok} ok, ${c.mismatched} mismatched; ${c.notChecked} not checked)`
      : `${paint.bold('Subjects:')} ${c.subjects} (${c.checked} checked: ${c.ok} ok, ${c.mismatched} changed or missing; ${c.notChecked} not checked)`,
  );
  for (const s of report.subjects) {
    if (s.status === 'mismatch' || s.status === 'missing') {
      lines.push(`  ${paint.red(SUBJECT_MARK[s.status])}${fields`  ${s.name}${s.blobPath && s.blobPath !== s.name ? `  (${s.blobPath})` : ''}`}`);
      const [algorithm, expected, actual] = digestsOf(s);
      lines.push(fields`      expected ${algorithm} ${expected ?? '-'}`);
      lines.push(fields`      actual   ${algorithm} ${actual ?? (s.status === 'missing' ? '(missing)' : '-')}`);
    } else if (options.allSubjects) {
      lines.push(fields`  ${SUBJECT_MARK[s.status].padEnd(14)} ${s.name}`);
    }
  }
  for (const blob of report.unexpectedBlobs) lines.push(fields`  ! unexpected  ${blob} (no subject names it)`);
  if (report.attestations && report.attestations.length > 0) {
    lines.push('', paint.bold('Attestations'));
    for (const a of report.attestations) {
      const status = a.status.padEnd(11);
      lines.push(`  ${a.status === 'verified' ? paint.green(status) : paint.red(status)}${fields` ${a.path}  ${a.format ?? 'unrecognised'}${a.predicateType ? ` ${a.predicateType}` : ''}`}`);
      if (a.signer !== null || a.keyId !== null) lines.push(fields`      signer ${a.signer ?? '-'}${a.keyId ? ` (${a.keyId})` : ''}${a.trustSource ? `, trusted as ${a.trustSource}` : ''}`);
      for (const binding of a.bindings) lines.push(fields`      ${binding.status.padEnd(8)} ${binding.name}${binding.manifestSubject !== null && binding.manifestSubject !== binding.name ? ` = ${binding.manifestSubject}` : ''}`);
      if (a.provenance !== null) lines.push(fields`      provenance commit ${a.provenance.commits.join(', ') || '-'}; code subject ${a.provenance.codeCommits.join(', ') || '-'} (${a.provenance.status})`);
      if (a.status !== 'verified') for (const reason of a.reasons) lines.push(fields`      ${reason}`);
    }
  }

  const notable = report.findings.filter((f) => f.severity !== 'info' && f.code !== 'unexpected-blob' && f.code !== 'unexpected-file');
  if (notable.length > 0) {
    lines.push('', paint.bold('Findings'));
    for (const f of notable) lines.push(fields`  ${f.severity}: ${f.message}`);
  }
  return lines.join('\n');
}

function trustWords(trust: VerificationReport['trust']): string {
  const threshold = trust.threshold !== undefined && trust.threshold > 1 ? `, ${trust.threshold} distinct keys required` : '';
  if (trust.source === 'flags') return `the flags given (${(trust.anchors ?? []).join(', ') || 'none'}; ${trust.trustedKeyCount} trusted keys${threshold})`;
  return `${trust.source === 'board-file' ? `board file "${trust.boardName}"` : 'this profile'} (${trust.trustedKeyCount} trusted keys${threshold})`;
}

function digestsOf(subject: SubjectCheck): [string, string | null, string | null] {
  if (subject.digestAlgorithm !== undefined && subject.digestAlgorithm !== 'sha256') return [subject.digestAlgorithm, subject.expectedDigest ?? null, subject.actualDigest ?? null];
  return ['sha256', subject.expectedSha256 ?? subject.expectedDigest ?? null, subject.actualSha256 ?? subject.actualDigest ?? null];
}

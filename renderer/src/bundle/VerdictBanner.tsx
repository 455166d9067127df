import { FORMAT_NAMES } from '../../../shared/verify/foreign/foreign-report';
import type { VerificationReport } from '../../../shared/verify/report';
import { CopyButton } from '../common/CopyButton';
import { VERDICT_LOOK } from '../common/status-words';
import { formatBytes, formatCount, formatNumber } from '../format';
import { OutsideText } from '../common/OutsideText';

/** The integrity of the bundle: the verdict word with its icon, what was checked, and why. The board's answer above leads with it as its first reason. */
export function VerdictBanner({ report }: { report: VerificationReport }) {
  const look = VERDICT_LOOK[report.verdict];
  const { manifest, counts, trust } = report;
  return (
    <section role="status" aria-label="Verdict" className={`verdict-banner integrity-panel tone-${look.tone}`}>
      <div className="verdict-headline">
        <span className="verdict-icon" aria-hidden="true">
          {look.icon}
        </span>
        <h2>Integrity: {look.word}</h2>
      </div>
      <p className="verdict-release"><OutsideText text={report.bundle.format === 'countersign' ? releaseLabel(report) : foreignLabel(report)} /></p>
      <dl className="facts">
        {manifest !== null && (
          <div>
            <dt>{report.bundle.format === 'countersign' ? 'Manifest digest' : 'Signed payload digest'}</dt>
            <dd>
              <code className="digest">{manifest.digest}</code> <CopyButton text={manifest.digest} label="Copy digest" />
            </dd>
          </div>
        )}
        <div>
          <dt>{report.bundle.format === 'countersign' ? 'Bundle' : 'Signed'}</dt>
          <dd>
            <code><OutsideText text={report.bundle.path} /></code> ({report.bundle.format === 'countersign' ? '' : `${report.bundle.format} signature, `}{report.bundle.container}, {formatCount(report.bundle.fileCount, 'file')})
          </dd>
        </div>
        {typeof report.bundle.signaturePath === 'string' && (
          <div>
            <dt>Signature</dt>
            <dd>
              <code><OutsideText text={report.bundle.signaturePath} /></code>
            </dd>
          </div>
        )}
        <div>
          <dt>Subjects</dt>
          <dd>
            {formatNumber(counts.ok)} OK, {formatNumber(counts.mismatched)} mismatched, {formatNumber(counts.notChecked)} not checked of {formatCount(counts.subjects, 'subject')};{' '}
            {formatBytes(counts.bytesHashed)} hashed
          </dd>
        </div>
        <div>
          <dt>Trust</dt>
          <dd>
            <OutsideText text={trustLabel(report.trust)} />, {formatCount(trust.trustedKeyCount, 'trusted key')}
          </dd>
        </div>
      </dl>
      {report.reasons.length > 0 && (
        <ul aria-label="Reasons" className="reasons">
          {report.reasons.map((reason, index) => (
            <li key={index}><OutsideText text={reason} /></li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function releaseLabel(report: VerificationReport): string {
  const manifest = report.manifest;
  if (manifest === null) return 'No readable manifest';
  if (manifest.releaseName === null) return 'Unnamed release';
  return manifest.releaseVersion === null ? manifest.releaseName : `${manifest.releaseName}@${manifest.releaseVersion}`;
}

/** A foreign signature has no release: say what it is instead. */
function foreignLabel(report: VerificationReport): string {
  const name = FORMAT_NAMES[report.bundle.format];
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}, made by another tool`;
}

function trustLabel(trust: VerificationReport['trust']): string {
  const board = trust.boardName === null ? '' : ` of “${trust.boardName}”`;
  if (trust.source === 'flags') return `the trust given on the command line${trust.anchors ? ` (${trust.anchors.join(', ')})` : ''}`;
  return trust.source === 'board-file' ? `the board policy file${board}` : `this machine's pinned keys and board policy${board}`;
}

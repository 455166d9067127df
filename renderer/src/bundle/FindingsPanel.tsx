import { useId } from 'react';
import type { Finding } from '../../../shared/verify/report';
import { StatusBadge } from '../common/StatusBadge';
import { SEVERITY_LOOK } from '../common/status-words';
import { OutsideText } from '../common/OutsideText';

export function FindingsPanel({ findings }: { findings: readonly Finding[] }) {
  const headingId = useId();
  if (findings.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Findings</h2>
      <ul aria-label="Findings" className="card-list">
        {findings.map((finding, index) => (
          <li key={index} className="card">
            <div className="card-title">
              <StatusBadge look={SEVERITY_LOOK[finding.severity]} />
              <span><OutsideText text={finding.message} /></span>
            </div>
            {finding.location !== null && (
              <p className="muted">
                at <code><OutsideText text={finding.location} /></code>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function UnexpectedBlobsPanel({ blobs }: { blobs: readonly string[] }) {
  const headingId = useId();
  if (blobs.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Unexpected files</h2>
      <p>These files are in the bundle, but the manifest does not pin them, so nothing vouches for their content.</p>
      <ul aria-label="Unexpected files" className="plain-list">
        {blobs.map((blob) => (
          <li key={blob}>
            <code><OutsideText text={blob} /></code>
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { CSSProperties } from 'react';
import type { SignatureCheck, TrustSource, VerificationReport } from '../../../shared/verify/report';
import { StatusBadge } from '../common/StatusBadge';
import { SIGNATURE_LOOK, type StatusLook } from '../common/status-words';
import { VirtualTable } from '../common/VirtualTable';
import { OutsideText, shownText } from '../common/OutsideText';
import { formatBytes, formatCount, formatNumber } from '../format';
import { useAppShell } from '../navigation/AppContext';
import { FindingsPanel } from './FindingsPanel';
import { countFileStatuses, fileRowsOf, filterFileRows, FOREIGN_FORMAT_NAMES, sortFileRows, type FileRow, type FileStatus, type FileStatusFilter } from './foreign-files';
import type { ForeignSignature } from './useReviewSession';
import { VerdictBanner } from './VerdictBanner';
import { TableFilters } from '../common/TableFilters';

const TITLES: Record<ForeignSignature['format'], string> = {
  oms: 'OpenSSF Model Signing signature',
  sigstore: 'Sigstore bundle',
  dsse: 'DSSE envelope',
  sshsig: 'SSH signature',
  'in-toto': 'in-toto metadata',
};

/**
 * A signature another tool made, over a model folder or a file: the verdict, who signed and why
 * they are trusted, and every file. A board's approvals, deployment and lineage concern
 * Countersign bundles; here they are named as not available rather than failing.
 */
export function ForeignReviewScreen({ report, foreign, onVerifyAgain }: { report: VerificationReport; foreign: ForeignSignature; onVerifyAgain(): void }) {
  return (
    <div className="bundle-report">
      <h1 tabIndex={-1}>
        {TITLES[foreign.format]}: <OutsideText text={lastPathPart(report.bundle.path)} />
      </h1>
      <p className="toolbar">
        <span className="muted">Checked {new Date(report.verifiedAt).toLocaleString()}</span>
        <button type="button" onClick={onVerifyAgain}>
          Verify again
        </button>
      </p>
      <VerdictBanner report={report} />
      <SignersPanel signatures={report.signatures} />
      <FindingsPanel findings={report.findings.filter((finding) => finding.code !== 'unexpected-file')} />
      <FilesTable report={report} />
      <section className="panel empty-state" aria-label="Board review">
        <h2>Board review</h2>
        <p>
          Approvals, the board’s answer, deployment and lineage are not available for {FOREIGN_FORMAT_NAMES[foreign.format]}: it says who signed which files, nothing
          about a release.
        </p>
      </section>
    </div>
  );
}

/** Lineage and Deployment, asked of a foreign signature: an empty state, not an error. */
export function NotABundle({ view, foreign }: { view: string; foreign: ForeignSignature }) {
  const { showView } = useAppShell();
  return (
    <section className="panel empty-state">
      <h1 tabIndex={-1}>{view}</h1>
      <p>
        {view} is not available for {FOREIGN_FORMAT_NAMES[foreign.format]}: only a Countersign bundle carries one.
      </p>
      <button type="button" onClick={() => showView('bundle')}>
        Back to the signature
      </button>
    </section>
  );
}

const TRUST_WORDS: Record<TrustSource, string> = {
  pinned: 'pinned key',
  producer: 'board producer',
  member: 'board member',
  flag: 'trust given on the command line',
};

function SignersPanel({ signatures }: { signatures: readonly SignatureCheck[] }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Signers</h2>
      {signatures.length === 0 ? (
        <p>No signature could be read.</p>
      ) : (
        <ul aria-label="Signers" className="card-list">
          {signatures.map((signature) => (
            <SignerItem key={signature.index} signature={signature} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SignerItem({ signature }: { signature: SignatureCheck }) {
  return (
    <li className="card">
      <div className="card-title">
        <StatusBadge look={SIGNATURE_LOOK[signature.status]} />
        <strong>
          <OutsideText text={signature.signerName ?? 'unknown signer'} />
        </strong>
      </div>
      <dl className="facts compact">
        <div>
          <dt>Key ID</dt>
          <dd>
            <code>
              <OutsideText text={signature.keyId ?? 'no trusted key'} />
            </code>
          </dd>
        </div>
        {signature.keyIdHint !== '' && (
          <div>
            <dt>Key hint (claimed by the signature)</dt>
            <dd>
              <code>
                <OutsideText text={signature.keyIdHint} />
              </code>
            </dd>
          </div>
        )}
        {signature.algorithm !== undefined && (
          <div>
            <dt>Algorithm</dt>
            <dd>
              <code>
                <OutsideText text={signature.algorithm} />
              </code>
            </dd>
          </div>
        )}
        <div>
          <dt>Trust source</dt>
          <dd>{signature.trustSource === null ? 'none' : TRUST_WORDS[signature.trustSource]}</dd>
        </div>
      </dl>
      {signature.status === 'unknown-key' && (
        <p className="untrusted-key-note">The key the bundle brings is not trusted: pin the signer’s key on Trust, after checking its fingerprint with them, or have the board list its producer.</p>
      )}
      <p>
        <OutsideText text={signature.reason} />
      </p>
    </li>
  );
}

const FILE_LOOK: Record<FileStatus, StatusLook> = {
  ok: { word: 'OK', icon: '✓', tone: 'good' },
  changed: { word: 'Changed', icon: '✗', tone: 'bad' },
  missing: { word: 'Missing', icon: '✗', tone: 'bad' },
  unexpected: { word: 'Extra file', icon: '!', tone: 'warn' },
  'not-checked': { word: 'Not checked', icon: '–', tone: 'neutral' },
};

const FILE_FILTERS: { value: FileStatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'changed', label: 'Changed' },
  { value: 'missing', label: 'Missing' },
  { value: 'unexpected', label: 'Extra' },
  { value: 'ok', label: 'OK' },
];

/** Two lines fit: on a change, the expected and the actual digest one above the other. */
const ROW_HEIGHT = 52;

/** Every signed file (or shard) and every unsigned one, problems first, virtualised for models of 100,000 files. */
function FilesTable({ report }: { report: VerificationReport }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<FileStatusFilter>('all');
  const deferredText = useDeferredValue(text);
  const headingId = useId();
  const sorted = useMemo(() => sortFileRows(fileRowsOf(report)), [report]);
  const shown = useMemo(() => filterFileRows(sorted, deferredText, status), [sorted, deferredText, status]);
  const counts = useMemo(() => countFileStatuses(sorted), [sorted]);
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Files</h2>
      <p>
        {formatCount(sorted.length, 'entry', 'entries')}: {formatNumber(counts.changed)} changed, {formatNumber(counts.missing)} missing, {formatNumber(counts.unexpected)} extra, {formatNumber(counts.ok)} OK.
      </p>
      <TableFilters<FileStatusFilter> label="Filter files" placeholder="path or digest" text={text} onText={setText} choices={FILE_FILTERS} status={status} onStatus={setStatus} />
      <VirtualTable
        label="Files"
        className="subjects-table files-table"
        rowCount={shown.length}
        rowHeight={ROW_HEIGHT}
        resetScrollKey={`${deferredText}\u0000${status}`}
        header={
          <div role="row" aria-rowindex={1} className="subjects-row files-row subjects-head">
            <div role="columnheader">Status</div>
            <div role="columnheader">File</div>
            <div role="columnheader">Size</div>
            <div role="columnheader">Digest</div>
          </div>
        }
        renderRow={(index, style) => {
          const row = shown[index];
          return row === undefined ? null : <FileRowView key={`${index}:${row.file}:${row.shard?.start ?? ''}`} row={row} rowIndex={index + 2} style={style} />;
        }}
      />
      {shown.length === 0 && <p className="muted">No file matches this filter.</p>}
    </section>
  );
}

function FileRowView({ row, rowIndex, style }: { row: FileRow; rowIndex: number; style: CSSProperties }) {
  return (
    <div role="row" aria-rowindex={rowIndex} className={`subjects-row files-row status-${row.status === 'changed' ? 'mismatch' : row.status}`} style={style}>
      <div role="cell">
        <StatusBadge look={FILE_LOOK[row.status]} />
      </div>
      <div role="cell" className="truncate" title={shownText(row.file)}>
        <OutsideText text={row.file} />
        {row.shard !== null && (
          <span className="muted">
            {' '}
            bytes {formatNumber(row.shard.start)}–{formatNumber(row.shard.end)}
          </span>
        )}
      </div>
      <div role="cell">{row.size === null ? '—' : formatBytes(row.size)}</div>
      <div role="cell" className="digest-cell">
        <FileDigests row={row} />
      </div>
    </div>
  );
}

function FileDigests({ row }: { row: FileRow }) {
  const algorithm = row.algorithm === null ? '' : `${row.algorithm} `;
  if (row.status === 'changed' || row.status === 'missing') {
    return (
      <>
        <span className="digest-line">
          <span className="digest-label">expected</span> <code>{algorithm}<OutsideText text={row.expected ?? '—'} /></code>
        </span>
        <span className="digest-line">
          <span className="digest-label">actual</span> <code>{row.status === 'missing' ? 'missing' : <>{algorithm}<OutsideText text={row.actual ?? '—'} /></>}</code>
        </span>
      </>
    );
  }
  if (row.status === 'unexpected') return <span className="digest-line muted"><OutsideText text={row.reason} /></span>;
  return (
    <span className="digest-line">
      <code>{algorithm}<OutsideText text={row.expected ?? '—'} /></code>
    </span>
  );
}

function lastPathPart(path: string): string {
  return path.split(/[\\/]/).filter((part) => part !== '').at(-1) ?? path;
}

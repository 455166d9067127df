import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { CSSProperties } from 'react';
import type { SubjectCheck, SubjectStatus } from '../../../shared/verify/report';
import { StatusBadge } from '../common/StatusBadge';
import { SUBJECT_LOOK } from '../common/status-words';
import { VirtualTable } from '../common/VirtualTable';
import { formatBytes, formatCount, formatNumber } from '../format';
import { DEFAULT_SUBJECT_SORT, filterSubjects, nextSort, sortSubjects } from './subjects';
import type { StatusFilter, SubjectSort, SubjectSortKey } from './subjects';
import { OutsideText, shownText } from '../common/OutsideText';
import { TableFilters } from '../common/TableFilters';

/** Two lines fit: on a mismatch, the expected and the actual digest one above the other. */
const ROW_HEIGHT = 52;

const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'mismatch', label: 'Mismatch' },
  { value: 'ok', label: 'OK' },
  { value: 'not-checked', label: 'Not checked' },
  { value: 'missing', label: 'Missing' },
];

const SORTABLE_COLUMNS: Record<SubjectSortKey, string> = { status: 'Status', name: 'Name', kind: 'Kind', size: 'Size' };

export function SubjectsTable({ subjects }: { subjects: readonly SubjectCheck[] }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [sort, setSort] = useState<SubjectSort>(DEFAULT_SUBJECT_SORT);
  // Typing stays responsive while a 100,000-row filter catches up.
  const deferredText = useDeferredValue(text);
  const headingId = useId();

  const sorted = useMemo(() => sortSubjects(subjects, sort), [subjects, sort]);
  const shown = useMemo(() => filterSubjects(sorted, deferredText, status), [sorted, deferredText, status]);
  const counts = useMemo(() => countStatuses(subjects), [subjects]);

  const sortHeader = (key: SubjectSortKey) => (
    <div role="columnheader" aria-sort={sort.key === key ? sort.direction : 'none'}>
      <button type="button" className="sort-button" onClick={() => setSort(nextSort(sort, key))}>
        {SORTABLE_COLUMNS[key]}
        <span aria-hidden="true" className="sort-arrow">
          {sort.key === key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
        </span>
      </button>
      <span className="print-only">{SORTABLE_COLUMNS[key]}</span>
    </div>
  );

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Subjects</h2>
      <p>
        {formatCount(subjects.length, 'subject')}: {formatNumber(counts.mismatch)} mismatched, {formatNumber(counts.ok)} OK, {formatNumber(counts['not-checked'])} not checked{counts.missing > 0 ? `, ${formatNumber(counts.missing)} missing` : ''}.
      </p>
      <TableFilters<StatusFilter> label="Filter subjects" placeholder="name, path or digest" text={text} onText={setText} choices={STATUS_FILTERS} status={status} onStatus={setStatus} />
      <p aria-live="polite" className="muted">
        Showing {shown.length === subjects.length ? 'all' : `${formatNumber(shown.length)} of`} {formatCount(subjects.length, 'subject')}
      </p>
      <VirtualTable
        label="Subjects"
        className="subjects-table"
        rowCount={shown.length}
        rowHeight={ROW_HEIGHT}
        resetScrollKey={`${deferredText}\u0000${status}\u0000${sort.key}:${sort.direction}`}
        header={
          <div role="row" aria-rowindex={1} className="subjects-row subjects-head">
            {sortHeader('status')}
            {sortHeader('name')}
            {sortHeader('kind')}
            {sortHeader('size')}
            <div role="columnheader">SHA-256</div>
            <div role="columnheader">Blob path</div>
          </div>
        }
        renderRow={(index, style) => {
          const subject = shown[index];
          return subject === undefined ? null : <SubjectRow key={`${index}:${subject.name}`} subject={subject} rowIndex={index + 2} style={style} />;
        }}
      />
      {shown.length === 0 && <p className="muted">No subject matches this filter.</p>}
    </section>
  );
}

function SubjectRow({ subject, rowIndex, style }: { subject: SubjectCheck; rowIndex: number; style: CSSProperties }) {
  return (
    <div role="row" aria-rowindex={rowIndex} className={`subjects-row status-${subject.status}`} style={style}>
      <div role="cell">
        <StatusBadge look={SUBJECT_LOOK[subject.status]} />
      </div>
      <div role="cell" className="truncate" title={shownText(subject.name)}>
        <OutsideText text={subject.name} />
      </div>
      <div role="cell">{subject.kind ?? '—'}</div>
      <div role="cell" title={subject.size === null ? undefined : `${formatNumber(subject.size)} bytes`}>
        {subject.size === null ? '—' : formatBytes(subject.size)}
      </div>
      <div role="cell" className="digest-cell">
        <DigestLines subject={subject} />
      </div>
      <div role="cell" className="truncate mono" title={subject.blobPath === null ? undefined : shownText(subject.blobPath)}>
        <OutsideText text={subject.blobPath ?? '—'} />
      </div>
    </div>
  );
}

function DigestLines({ subject }: { subject: SubjectCheck }) {
  if (subject.status === 'mismatch' || subject.status === 'missing') {
    // Foreign formats may pin another algorithm (blake2b, sha512): its name goes with the values.
    const algorithm = subject.digestAlgorithm !== undefined && subject.digestAlgorithm !== 'sha256' ? `${subject.digestAlgorithm} ` : '';
    const actual = subject.actualSha256 ?? subject.actualDigest ?? (subject.status === 'missing' ? 'missing' : '—');
    return (
      <>
        <span className="digest-line">
          <span className="digest-label">expected</span> <code>{algorithm}{subject.expectedSha256 ?? subject.expectedDigest ?? '—'}</code>
        </span>
        <span className="digest-line">
          <span className="digest-label">actual</span> <code>{algorithm}{actual}</code>
        </span>
      </>
    );
  }
  const pinned = subject.expectedSha256 ?? otherDigests(subject);
  return (
    <>
      <span className="digest-line">
        <code><OutsideText text={pinned} /></code>
      </span>
      {subject.status === 'not-checked' && (
        <span className="digest-line muted" title={shownText(subject.reason)}>
          <OutsideText text={subject.reason} />
        </span>
      )}
    </>
  );
}

/** A subject that pins no sha256 still shows what it does pin. */
function otherDigests(subject: SubjectCheck): string {
  const entries = Object.entries(subject.digest);
  return entries.length === 0 ? '—' : entries.map(([algorithm, value]) => `${algorithm}:${value}`).join(' ');
}

function countStatuses(subjects: readonly SubjectCheck[]): Record<SubjectStatus, number> {
  const counts: Record<SubjectStatus, number> = { ok: 0, mismatch: 0, 'not-checked': 0, missing: 0 };
  for (const subject of subjects) counts[subject.status]++;
  return counts;
}

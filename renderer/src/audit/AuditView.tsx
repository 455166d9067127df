import { useEffect, useId, useMemo, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditEntry, Bridge } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call, commandKey, useCommand } from '../bridge/hooks';
import type { ApiCallError } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { actionWords, detailText, keyNames, shortDigest } from './audit-words';
import { ChainCheck } from './ChainCheck';
import { OutsideText, shownText } from '../common/OutsideText';
import { saveTextFile } from '../common/save-file';
import { formatCount, formatNumber } from '../format';
import { auditCsv, auditJson, filterAudit, filterChoices, isFiltered, NO_FILTER } from './audit-filter';
import type { AuditFilter, FilterChoice } from './audit-filter';

const PAGE_SIZE = 100;
/** The most audit.list returns at once. */
const EXPORT_PAGE_SIZE = 1000;

export function AuditView() {
  return (
    <>
      <h1 tabIndex={-1}>Audit</h1>
      <p>Every key created, imported or removed, every approval signed, imported or refused, and every board policy change on this machine. Each entry seals the one before it, so an edited, deleted or reordered entry breaks the chain.</p>
      <p>
        This machine alone cannot tell when the whole profile is put back to an older copy: keep an exported head somewhere else and check the log against it later.
      </p>
      <ProfileWarnings />
      <ChainCheck />
      <AuditLog />
    </>
  );
}

/** What opening the profile found, e.g. files other users of this machine can read. */
function ProfileWarnings() {
  const info = useCommand('app.info', {});
  const warnings = info.data?.profileWarnings ?? [];
  if (warnings.length === 0) return null;
  return (
    <div role="alert" className="error-notice">
      {warnings.map((warning) => (
        <p key={warning}>{warning}</p>
      ))}
    </div>
  );
}

function AuditLog() {
  const headingId = useId();
  const bridge = useBridge();
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const log = useInfiniteQuery<AuditEntry[], ApiCallError, { pages: AuditEntry[][] }, readonly unknown[], number | null>({
    queryKey: [...commandKey('audit.list'), 'pages'],
    initialPageParam: null,
    queryFn: ({ pageParam }) => call(bridge, 'audit.list', pageParam === null ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, beforeId: pageParam }),
    getNextPageParam: (lastPage) => (lastPage.length < PAGE_SIZE ? undefined : (lastPage.at(-1)?.id ?? undefined)),
  });
  const names = useKeyNames();
  const entries = useMemo(() => log.data?.pages.flat() ?? [], [log.data]);
  const filtered = useMemo(() => filterAudit(entries, filter), [entries, filter]);
  const choices = useMemo(() => filterChoices(entries, names), [entries, names]);
  const [exportProblem, setExportProblem] = useState<unknown>(null);

  // A filter searches the whole log, not only the pages shown so far.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = log;
  useEffect(() => {
    if (isFiltered(filter) && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [filter, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const exportAs = async (format: 'csv' | 'json') => {
    setExportProblem(null);
    try {
      const chosen = filterAudit(await readWholeLog(bridge), filter);
      const name = `audit-log${isFiltered(filter) ? '-filtered' : ''}.${format}`;
      if (format === 'csv') saveTextFile(auditCsv(chosen, names), name, 'text/csv;charset=utf-8');
      else saveTextFile(auditJson(chosen, filter, new Date()), name, 'application/json');
    } catch (error) {
      setExportProblem(error);
    }
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Log</h2>
      {log.isPending ? (
        <p className="muted">Loading…</p>
      ) : log.isError ? (
        <ErrorNotice error={log.error} prefix="Could not read the audit log" />
      ) : entries.length === 0 ? (
        <p>Nothing recorded yet. Keys you make or import, approvals you sign or import, and board policies you import appear here.</p>
      ) : (
        <>
          <AuditFilters filter={filter} choices={choices} onChange={setFilter} />
          <div className="table-controls">
            <p className="muted" aria-live="polite">
              {isFiltered(filter)
                ? `${formatCount(filtered.length, 'entry', 'entries')} match${filtered.length === 1 ? 'es' : ''}${hasNextPage ? ' so far; searching older entries…' : '.'}`
                : `${formatCount(entries.length, 'entry', 'entries')}${hasNextPage ? ' shown, newest first' : ', newest first'}.`}
            </p>
            <div className="actions">
              <button type="button" onClick={() => void exportAs('csv')}>
                Export CSV
              </button>
              <button type="button" onClick={() => void exportAs('json')}>
                Export JSON
              </button>
            </div>
          </div>
          {exportProblem !== null && <ErrorNotice error={exportProblem} prefix="Not exported" />}
          {filtered.length === 0 ? (
            <p>No entry matches these filters. Clear a filter to see more.</p>
          ) : (
            <div className="table-scroll">
              <table aria-label="Audit log" className="data-table audit-table">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Time</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Release</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {filtered.map((entry) => (
                    <AuditRow key={entry.id} entry={entry} actorName={entry.actor === null ? null : (names.get(entry.actor) ?? null)} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {log.hasNextPage && !isFiltered(filter) && (
        <button type="button" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
        </button>
      )}
    </section>
  );
}

/** Every entry, newest first, read afresh in the largest pages the host allows. */
async function readWholeLog(bridge: Bridge): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (;;) {
    const last = entries.at(-1);
    const page = await call(bridge, 'audit.list', last === undefined ? { limit: EXPORT_PAGE_SIZE } : { limit: EXPORT_PAGE_SIZE, beforeId: last.id });
    entries.push(...page);
    if (page.length < EXPORT_PAGE_SIZE) return entries;
  }
}

function AuditFilters({ filter, choices, onChange }: { filter: AuditFilter; choices: ReturnType<typeof filterChoices>; onChange(next: AuditFilter): void }) {
  const id = useId();
  const select = (key: keyof AuditFilter, label: string, anyLabel: string, options: readonly FilterChoice[]) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <select id={`${id}-${key}`} value={filter[key]} onChange={(event) => onChange({ ...filter, [key]: event.target.value })}>
        <option value="">{anyLabel}</option>
        {/* A chosen value stays listed even when the entries loaded so far do not hold it. */}
        {filter[key] !== '' && !options.some((option) => option.value === filter[key]) && <option value={filter[key]}>{shownText(filter[key])}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {shownText(option.label)} ({formatNumber(option.count)})
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <fieldset className="audit-filters">
      <legend>Filter</legend>
      {select('release', 'Release (manifest digest)', 'Any release', choices.releases)}
      {select('person', 'Person', 'Anyone', choices.people)}
      {select('action', 'Action', 'Any action', choices.actions)}
      <button type="button" disabled={!isFiltered(filter)} onClick={() => onChange(NO_FILTER)}>
        Clear filters
      </button>
    </fieldset>
  );
}

function AuditRow({ entry, actorName }: { entry: AuditEntry; actorName: string | null }) {
  return (
    <tr>
      <td>{entry.id}</td>
      <td>
        <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
      </td>
      <td>
        {entry.actor === null ? (
          <span className="muted">no key</span>
        ) : (
          <>
            {actorName !== null && (
              <strong>
                <OutsideText text={actorName} />{' '}
              </strong>
            )}
            <code className="key-id-small"><OutsideText text={entry.actor} /></code>
          </>
        )}
      </td>
      <td>{actionWords(entry.action)}</td>
      <td>{entry.manifestDigest === null ? '—' : <code title={entry.manifestDigest}>{shortDigest(entry.manifestDigest)}</code>}</td>
      <td>{detailText(entry.detail)}</td>
    </tr>
  );
}

function useKeyNames(): ReadonlyMap<string, string> {
  const ownKeys = useCommand('keys.list', {});
  const board = useCommand('trust.board', {});
  const pinned = useCommand('trust.keys', {});
  return keyNames({ ownKeys: ownKeys.data, board: board.data, pinned: pinned.data });
}

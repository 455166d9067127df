import { useId } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditEntry } from '../../../shared/api/contract';
import { useBridge } from '../bridge/BridgeContext';
import { call, commandKey, useCommand } from '../bridge/hooks';
import type { ApiCallError } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { actionWords, detailText, keyNames, shortDigest } from './audit-words';
import { ChainCheck } from './ChainCheck';
import { OutsideText } from '../common/OutsideText';

const PAGE_SIZE = 100;

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
  const log = useInfiniteQuery<AuditEntry[], ApiCallError, { pages: AuditEntry[][] }, readonly unknown[], number | null>({
    queryKey: [...commandKey('audit.list'), 'pages'],
    initialPageParam: null,
    queryFn: ({ pageParam }) => call(bridge, 'audit.list', pageParam === null ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, beforeId: pageParam }),
    getNextPageParam: (lastPage) => (lastPage.length < PAGE_SIZE ? undefined : (lastPage.at(-1)?.id ?? undefined)),
  });
  const names = useKeyNames();
  const entries = log.data?.pages.flat() ?? [];

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Log</h2>
      {log.isPending ? (
        <p className="muted">Loading…</p>
      ) : log.isError ? (
        <ErrorNotice error={log.error} prefix="Could not read the audit log" />
      ) : entries.length === 0 ? (
        <p>Nothing recorded yet.</p>
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
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} actorName={entry.actor === null ? null : (names.get(entry.actor) ?? null)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && (
        <button type="button" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
        </button>
      )}
    </section>
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

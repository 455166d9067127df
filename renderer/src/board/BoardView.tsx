import { useId, useState } from 'react';
import type { BoardStatus, BoardSyncResult } from '../../../shared/api/contract';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { UnlockDialog } from '../keys/UnlockDialog';
import { formatRelativeTime } from '../format';
import { BoardActions } from './BoardActions';
import { BoardSetup } from './BoardSetup';
import { useBoardSync, useLastBoardSync } from './useBoardSync';
import { freshnessWords, lastSyncWords, pendingWords, problemSentence, queueWords, releaseLabel, type BoardProblem } from './board-words';

export function BoardView() {
  const status = useCommand('board.status', {});
  return (
    <>
      <h1 tabIndex={-1}>Board</h1>
      <p>
        The board's shared state travels through a git remote the members already run. The remote is not trusted: every policy, decision, notice and log head on it is
        signed and checked here before it is used, and anything it loses is restored from this computer.
      </p>
      {status.isPending ? (
        <p className="muted">Loading…</p>
      ) : status.isError ? (
        status.error.code === 'not-found' ? (
          <BoardSetup />
        ) : (
          <ErrorNotice error={status.error} prefix="Could not read the board" />
        )
      ) : (
        <BoardState status={status.data} />
      )}
    </>
  );
}

function BoardState({ status }: { status: BoardStatus }) {
  const lastResult = useLastBoardSync();
  // Problems the last Sync now found on the remote; the board as accepted here has its own (rarely any).
  const problems = [...(lastResult?.problems ?? []), ...status.problems.filter((problem) => !(lastResult?.problems ?? []).some((seen) => seen.message === problem.message))];
  return (
    <>
      <SyncPanel status={status} lastResult={lastResult} />
      {problems.length > 0 && <ProblemsPanel problems={problems} status={status} />}
      <BoardActions status={status} />
      <PolicyChainPanel status={status} />
      <MemberLogsPanel status={status} />
      <NoticesPanel status={status} />
      <RevokedPanel status={status} />
    </>
  );
}

function SyncPanel({ status, lastResult }: { status: BoardStatus; lastResult: BoardSyncResult | null }) {
  const headingId = useId();
  const keys = useCommand('keys.status', {});
  const [unlocking, setUnlocking] = useState(false);
  const sync = useBoardSync();
  const now = new Date();
  const memberLocked = status.memberKeyId !== null && keys.data !== undefined && !keys.data.unlocked.includes(status.memberKeyId);
  const offline = status.lastSync?.outcome === 'offline';

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Remote and sync</h2>
      <dl className="facts">
        <dt>Board</dt>
        <dd>
          <OutsideText text={status.board} />
        </dd>
        <dt>Remote</dt>
        <dd>
          <code>
            <OutsideText text={status.remote} />
          </code>
        </dd>
        <dt>First policy pinned</dt>
        <dd>
          <code>sha256:{status.genesis}</code> <span className="muted">({PIN_WORDS[status.pinnedBy]})</span>
        </dd>
        <dt>This computer</dt>
        <dd>
          {status.memberName === null ? (
            'Holds no member key of this board: it reads the board and publishes nothing signed.'
          ) : (
            <>
              Publishes as <OutsideText text={status.memberName} />
            </>
          )}
        </dd>
        <dt>Last sync</dt>
        <dd>
          <span role="status" aria-label="Last sync" title={status.lastSync?.at}>
            {lastSyncWords(status.lastSync, now)}
          </span>
        </dd>
        <dt>Queue</dt>
        <dd>
          <span role="status" aria-label="Queue" className={offline && status.queue.length > 0 ? 'tone-warn' : undefined}>
            {queueWords(status.queue, status.lastSync)}
          </span>
        </dd>
      </dl>
      {memberLocked && (
        <p className="muted">
          Your key is locked: Sync now still pushes what waits and restores what the remote lost, but it cannot add to your log or cosign the other members' logs.{' '}
          <button type="button" className="link-button" onClick={() => setUnlocking(true)}>
            Unlock your key…
          </button>
        </p>
      )}
      <div className="actions">
        <button type="button" aria-busy={sync.isPending} disabled={sync.isPending} onClick={() => sync.mutate({})}>
          {sync.isPending ? 'Syncing…' : 'Sync now'}
        </button>
        <span className="muted">The only time this view reaches the network.</span>
      </div>
      <div role="status" aria-label="Sync outcome" aria-live="polite">
        {sync.isPending ? <p>Syncing with the remote: fetching, checking every file, pushing what waits…</p> : lastResult !== null && sync.isSuccess ? <SyncOutcome result={lastResult} now={now} /> : null}
      </div>
      {sync.isError && <ErrorNotice error={sync.error} prefix="Not synced" />}
      {unlocking && status.memberKeyId !== null && (
        <UnlockDialog
          reviewerKey={{ keyId: status.memberKeyId, name: status.memberName ?? status.memberKeyId }}
          purpose="to sign your log head and cosign the others' on the next sync"
          onUnlocked={() => setUnlocking(false)}
          onCancel={() => setUnlocking(false)}
        />
      )}
    </section>
  );
}

const PIN_WORDS: Record<BoardStatus['pinnedBy'], string> = {
  'genesis-flag': 'by the digest a member gave',
  'imported-policy': 'by the board policy imported here',
  'first-use': 'trusted on first use: compare this digest with a member over another channel',
  created: 'this computer created the board',
};

function SyncOutcome({ result, now }: { result: BoardSyncResult; now: Date }) {
  if (result.outcome === 'offline') {
    return (
      <p className="tone-warn">
        Offline: the remote cannot be reached. {queueWords(result.status.queue, result.status.lastSync)}. Nothing is lost; sync again when the remote is back.
        {result.detail != null && (
          <>
            <br />
            <OutsideText text={result.detail} />
          </>
        )}
      </p>
    );
  }
  const parts = [
    `${result.published.length} published`,
    `${result.cosigned.length} ${result.cosigned.length === 1 ? 'log head' : 'log heads'} cosigned`,
    ...(result.restored.length > 0 ? [`${result.restored.length} restored from this computer`] : []),
  ];
  return (
    <p>
      Synced {formatRelativeTime(result.status.lastSync?.at ?? now.toISOString(), now)}
      {result.outcome === 'problems' ? ', with problems (below)' : ''}: {parts.join(', ')}.
    </p>
  );
}

function ProblemsPanel({ problems, status }: { problems: BoardProblem[]; status: BoardStatus }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Problems found on the remote</h2>
      <ul aria-label="Board problems" className="card-list">
        {problems.map((problem, index) => (
          <li key={`${problem.code}-${problem.path ?? ''}-${index}`} className="card">
            <p>
              <OutsideText text={problemSentence(problem, status)} />
            </p>
            <details>
              <summary>Details</summary>
              <p className="muted">
                <OutsideText text={problem.message} />
              </p>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

function PolicyChainPanel({ status }: { status: BoardStatus }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Policy chain</h2>
      <p className="muted">Each version is in force once enough members of the version before it endorsed it; the newest is the one approvals are judged under.</p>
      <ol aria-label="Policy chain" className="card-list">
        {status.chain.map((link, index) => (
          <li key={link.digest} className="card">
            <strong>Version {link.version}</strong>
            {index === status.chain.length - 1 && ' (in force)'}:{' '}
            {link.endorsedBy.length === 0 ? (
              'the first policy, pinned'
            ) : (
              <>
                endorsed by <OutsideText text={link.endorsedBy.join(', ')} />
              </>
            )}{' '}
            <code className="muted">sha256:{link.digest.slice(0, 16)}…</code>
          </li>
        ))}
      </ol>
      {status.pending.length > 0 && (
        <ul aria-label="Proposed versions" className="card-list">
          {status.pending.map((proposal) => (
            <li key={proposal.digest} className="card">
              <strong>Proposed version {proposal.version}</strong>, not in force yet: <OutsideText text={pendingWords(proposal)} />{' '}
              <code className="muted">sha256:{proposal.digest.slice(0, 16)}…</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MemberLogsPanel({ status }: { status: BoardStatus }) {
  const headingId = useId();
  const now = new Date();
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Member logs</h2>
      <p className="muted">Each member's log lists what they published; the other members cosign its head on every sync, so a log cut short or rewritten shows.</p>
      {status.logs.length === 0 ? (
        <p>No member has published a log yet.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Member logs" className="data-table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Entries</th>
                <th scope="col">Witnesses</th>
                <th scope="col">Freshness</th>
              </tr>
            </thead>
            <tbody>
              {status.logs.map((log) => (
                <tr key={log.fingerprint}>
                  <th scope="row">
                    <OutsideText text={log.memberName} />
                  </th>
                  <td>{log.size}</td>
                  <td>{log.cosigners.length === 0 ? 'none yet' : <OutsideText text={log.cosigners.map((cosigner) => cosigner.name).join(', ')} />}</td>
                  <td title={log.lastCosignedAt ?? undefined}>{freshnessWords(log, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NoticesPanel({ status }: { status: BoardStatus }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Notices</h2>
      {status.notices.length === 0 ? (
        <p>No notice on the board. A notice against a lineage node or a data digest re-opens every release that reaches it.</p>
      ) : (
        <ul aria-label="Notices" className="card-list">
          {status.notices.map((notice) => (
            <li key={notice.digest} className="card">
              <p>
                <strong>
                  <OutsideText text={notice.issuer} />
                </strong>{' '}
                against <OutsideText text={notice.target} /> (<time dateTime={notice.issuedAt}>{notice.issuedAt}</time>):{' '}
                <OutsideText text={notice.reason} />
              </p>
              <p>
                {notice.reopens.length === 0 ? (
                  'Re-opens no release on the board.'
                ) : (
                  <>
                    Re-opened: <OutsideText text={notice.reopens.map((digest) => releaseLabel(status, digest)).join(', ')} />
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RevokedPanel({ status }: { status: BoardStatus }) {
  const headingId = useId();
  if (status.revoked.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Revoked keys</h2>
      <ul aria-label="Revoked keys" className="card-list">
        {status.revoked.map((revoked) => (
          <li key={revoked.keyId} className="card">
            <code>
              <OutsideText text={revoked.keyId} />
            </code>
            , revoked by its holder <time dateTime={revoked.revokedAt}>{revoked.revokedAt}</time>
            {revoked.reason !== null && (
              <>
                : <OutsideText text={revoked.reason} />
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

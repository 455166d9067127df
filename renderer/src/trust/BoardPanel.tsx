import { useId } from 'react';
import type { BoardSummary } from '../../../shared/api/contract';
import { useCommand } from '../bridge/hooks';
import { CopyButton } from '../common/CopyButton';
import { ErrorNotice } from '../common/ErrorNotice';
import { BoardImport } from './BoardImport';
import { OutsideText } from '../common/OutsideText';

export function BoardPanel() {
  const headingId = useId();
  const board = useCommand('trust.board', {});
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Board policy</h2>
      {board.isPending ? (
        <p className="muted">Loading…</p>
      ) : board.isError ? (
        <ErrorNotice error={board.error} prefix="Could not read the board policy" />
      ) : board.data === null ? (
        <p>No board policy is imported. Signatures count only under pinned keys.</p>
      ) : (
        <BoardSummaryView board={board.data} />
      )}
      <BoardImport />
    </section>
  );
}

/** A board policy as a reviewer checks it: who is on the board, who produces releases, what is revoked. */
export function BoardSummaryView({ board }: { board: BoardSummary }) {
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Board</dt>
          <dd><OutsideText text={board.board} /></dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{board.version}</dd>
        </div>
        <div>
          <dt>Digest</dt>
          <dd>
            <code className="digest">{board.digest}</code> <CopyButton text={board.digest} label="Copy digest" />
          </dd>
        </div>
        {board.importedAt !== null && (
          <div>
            <dt>Imported</dt>
            <dd>
              <time dateTime={board.importedAt}>{new Date(board.importedAt).toLocaleString()}</time>
            </dd>
          </div>
        )}
      </dl>
      <div className="table-scroll">
        <table aria-label="Board members" className="data-table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Roles</th>
              <th scope="col">Key IDs</th>
            </tr>
          </thead>
          <tbody>
            {board.members.map((member) => (
              <tr key={member.name}>
                <th scope="row"><OutsideText text={member.name} /></th>
                <td><OutsideText text={member.roles.length === 0 ? '—' : member.roles.join(', ')} /></td>
                <td>
                  <KeyIds keyIds={member.keyIds} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table aria-label="Producers" className="data-table">
          <thead>
            <tr>
              <th scope="col">Producer</th>
              <th scope="col">Key IDs</th>
            </tr>
          </thead>
          <tbody>
            {board.producers.map((producer) => (
              <tr key={producer.name}>
                <th scope="row"><OutsideText text={producer.name} /></th>
                <td>
                  <KeyIds keyIds={producer.keyIds} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Revoked keys</h3>
      {board.revokedKeys.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul aria-label="Revoked keys" className="plain-list">
          {board.revokedKeys.map((keyId) => (
            <li key={keyId}>
              <code>{keyId}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function KeyIds({ keyIds }: { keyIds: readonly string[] }) {
  if (keyIds.length === 0) return <>—</>;
  return (
    <ul className="plain-list">
      {keyIds.map((keyId) => (
        <li key={keyId}>
          <code>{keyId}</code>
        </li>
      ))}
    </ul>
  );
}

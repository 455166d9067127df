import type { BoardSummary } from '../../../shared/api/contract';
import { ruleSentences } from '../../../shared/board/rule-words';
import { CopyButton } from '../common/CopyButton';
import { OutsideText } from '../common/OutsideText';

/** A board policy as a reviewer checks it: its rules, who is on the board with which roles and keys, who produces releases, what is revoked. */
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
        {board.sigstoreTrustedRoot !== undefined && (
          <div>
            <dt>Sigstore trusted root</dt>
            <dd>
              <code className="digest">{board.sigstoreTrustedRoot.sha256}</code>{' '}
              {board.sigstoreTrustedRoot.held ? 'held in this profile' : 'not imported: countersign trust import-root <trusted_root.json>'}
            </dd>
          </div>
        )}
        {board.importedAt !== null && (
          <div>
            <dt>Imported</dt>
            <dd>
              <time dateTime={board.importedAt}>{new Date(board.importedAt).toLocaleString()}</time>
            </dd>
          </div>
        )}
      </dl>
      <h3>Rules</h3>
      <ul aria-label="Board rules" className="reasons">
        {ruleSentences(board.rules).map((sentence) => (
          <li key={sentence}>
            <OutsideText text={sentence} />
          </li>
        ))}
      </ul>
      <h3>Members</h3>
      <div className="table-scroll">
        <table aria-label="Board members" className="data-table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Roles</th>
              <th scope="col">Keys</th>
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
      <h3>Producers</h3>
      {board.producers.length === 0 ? (
        <p className="muted">None: no key may sign a release under this policy.</p>
      ) : (
      <div className="table-scroll">
        <table aria-label="Producers" className="data-table">
          <thead>
            <tr>
              <th scope="col">Producer</th>
              <th scope="col">Keys</th>
            </tr>
          </thead>
          <tbody>
            {board.producers.map((producer) => (
              <tr key={producer.name}>
                <th scope="row"><OutsideText text={producer.name} /></th>
                <td>
                  <KeyIds keyIds={producer.keyIds} />
                  <ProducerAnchors anchors={producer.anchors} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      )}
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

const ANCHOR_WORDS = { key: 'Key', 'x509-root': 'X.509 root for', sigstore: 'Sigstore identity' } as const;

/** A producer's anchors beyond its key IDs: X.509 roots with the identity they are constrained to, and keyless identities. */
function ProducerAnchors({ anchors }: { anchors: BoardSummary['producers'][number]['anchors'] }) {
  const others = (anchors ?? []).filter((anchor) => anchor.kind !== 'key');
  if (others.length === 0) return null;
  return (
    <ul aria-label="Other trust anchors" className="plain-list">
      {others.map((anchor) => (
        <li key={`${anchor.kind}:${anchor.label}:${anchor.detail}`}>
          {ANCHOR_WORDS[anchor.kind]} <code><OutsideText text={anchor.label} /></code> <span className="muted"><OutsideText text={anchor.detail} /></span>
        </li>
      ))}
    </ul>
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

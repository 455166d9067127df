import { useEffect, useId, useState } from 'react';
import type { ApiError, ReleaseComparison } from '../../../shared/api/contract';
import type { DigestSet } from '../../../shared/verify/report';
import { useBridge } from '../bridge/BridgeContext';
import { call, useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { useAppShell } from '../navigation/AppContext';

type OtherRelease = { phase: 'opening' } | { phase: 'open'; sessionId: string } | { phase: 'failed'; error: ApiError };

/**
 * "Compare with…": another release bundle, opened beside this one (read, not verified), and how
 * the two differ: subjects, kinds, environment, lineage, and what that means for review. The
 * other release is taken as the older one unless the person swaps them.
 */
export function CompareReleases({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const headingId = useId();
  const [otherPath, setOtherPath] = useState<string | null>(null);
  const [otherIsOld, setOtherIsOld] = useState(true);
  const other = useOtherRelease(otherPath);
  const otherSession = other?.phase === 'open' ? other.sessionId : null;
  const comparison = useCommand(
    'release.compare',
    otherIsOld ? { oldSessionId: otherSession ?? '', newSessionId: sessionId } : { oldSessionId: sessionId, newSessionId: otherSession ?? '' },
    { enabled: otherSession !== null },
  );

  return (
    <section aria-labelledby={headingId} className="panel compare-panel">
      <h2 id={headingId}>Compare with another release</h2>
      <ChooseBundle onChosen={setOtherPath} />
      {otherPath !== null && (
        <p className="muted">
          Comparing with <code><OutsideText text={otherPath} /></code>, as the {otherIsOld ? 'older' : 'newer'} release.{' '}
          <button type="button" className="small" onClick={() => setOtherIsOld((value) => !value)}>
            Swap old and new
          </button>
        </p>
      )}
      {other?.phase === 'opening' && <p className="muted">Opening…</p>}
      {other?.phase === 'failed' && <ErrorNotice error={other.error.message} prefix="Could not open that release" />}
      {comparison.isPending && otherSession !== null && <p className="muted">Comparing…</p>}
      {comparison.isError && <ErrorNotice error={comparison.error} prefix="Could not compare" />}
      {comparison.isSuccess && otherSession !== null && <ComparisonReport comparison={comparison.data} />}
      <button type="button" className="small" onClick={onClose}>
        Close comparison
      </button>
    </section>
  );
}

/** A path field where there is no native dialog (the web host), the file and folder pickers where there is. */
function ChooseBundle({ onChosen }: { onChosen(path: string): void }) {
  const { info } = useAppShell();
  const bridge = useBridge();
  const fieldId = useId();
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  if (info.nativeDialogs) {
    const pick = async (directory: boolean) => {
      setProblem(null);
      try {
        const picked = await call(bridge, 'bundle.pickFile', { directory });
        if (picked.path !== null) onChosen(picked.path);
      } catch (caught) {
        setProblem(caught);
      }
    };
    return (
      <div className="actions">
        <button type="button" onClick={() => void pick(false)}>
          Choose a bundle…
        </button>
        <button type="button" onClick={() => void pick(true)}>
          Choose a folder…
        </button>
        {problem !== null && <ErrorNotice error={problem} prefix="Could not choose" />}
      </div>
    );
  }
  return (
    <form
      className="open-controls"
      onSubmit={(event) => {
        event.preventDefault();
        if (path.trim() !== '') onChosen(path.trim());
      }}
    >
      <div className="field">
        <label htmlFor={fieldId}>Other release's bundle path</label>
        <div className="input-row">
          <input id={fieldId} className="mono" value={path} spellCheck={false} autoComplete="off" onChange={(event) => setPath(event.target.value)} />
          <button type="submit" disabled={path.trim() === ''}>
            Compare
          </button>
        </div>
      </div>
    </form>
  );
}

/** A session on the other release, opened without hashing and closed when it is no longer compared. */
function useOtherRelease(path: string | null): OtherRelease | null {
  const bridge = useBridge();
  const [state, setState] = useState<OtherRelease | null>(null);
  useEffect(() => {
    if (path === null) {
      setState(null);
      return;
    }
    let current = true;
    let opened: string | null = null;
    setState({ phase: 'opening' });
    void bridge.invoke('session.open', { path, verify: false }).then((result) => {
      if (result.ok) opened = result.value.sessionId;
      if (!current) {
        if (opened !== null) void bridge.invoke('session.close', { sessionId: opened });
        return;
      }
      if (!result.ok) setState({ phase: 'failed', error: result.error });
      else if (result.value.kind !== 'bundle') setState({ phase: 'failed', error: { code: 'unsupported', message: `${path} is a lineage file, not a release bundle.` } });
      else setState({ phase: 'open', sessionId: result.value.sessionId });
    });
    return () => {
      current = false;
      if (opened !== null) void bridge.invoke('session.close', { sessionId: opened });
    };
  }, [bridge, path]);
  return state;
}

export function ComparisonReport({ comparison }: { comparison: ReleaseComparison }) {
  const { subjects, environment, lineage, reviewHints } = comparison;
  const side = (label: string, release: ReleaseComparison['old']) => (
    <div>
      <dt>{label}</dt>
      <dd>
        <OutsideText text={release.release ?? 'Unnamed release'} /> · <code className="digest">{release.manifestDigest}</code>
        {!release.signedByTrustedKey && <span className="badge tone-warn"> ! not signed by a trusted key: what it claims, not that it is so</span>}
      </dd>
    </div>
  );
  return (
    <div className="comparison" role="region" aria-label="Comparison">
      <dl className="facts">
        {side('Old', comparison.old)}
        {side('New', comparison.new)}
      </dl>
      <p>
        <strong>{comparison.identical ? '= The two releases pin the same artifacts, environment and lineage.' : '≠ The releases differ.'}</strong>
      </p>
      {reviewHints.length > 0 && (
        <>
          <h3>What this means for review</h3>
          <ul aria-label="Review hints" className="reasons">
            {reviewHints.map((hint, index) => (
              <li key={index}>
                <OutsideText text={hint.message} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Subjects</h3>
      {subjects.added.length + subjects.removed.length + subjects.changed.length + subjects.kindChanged.length === 0 ? (
        <p className="muted">No subject was added, removed or re-pinned.</p>
      ) : (
        <table aria-label="Subject changes" className="compare-table">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Subject</th>
              <th scope="col">Kind</th>
              <th scope="col">Old</th>
              <th scope="col">New</th>
            </tr>
          </thead>
          <tbody>
            {subjects.added.map((subject) => (
              <ChangeRow key={`+${subject.name}`} change="+ Added" name={subject.name} kind={subject.kind ?? '—'} before={null} after={subject.digest} />
            ))}
            {subjects.removed.map((subject) => (
              <ChangeRow key={`-${subject.name}`} change="− Removed" name={subject.name} kind={subject.kind ?? '—'} before={subject.digest} after={null} />
            ))}
            {subjects.changed.map((subject) => (
              <ChangeRow key={`~${subject.name}`} change="≠ Re-pinned" name={subject.name} kind={subject.kind ?? '—'} before={subject.oldDigest} after={subject.newDigest} />
            ))}
            {subjects.kindChanged.map((subject) => (
              <tr key={`k${subject.name}`}>
                <td>≠ Kind changed</td>
                <td>
                  <OutsideText text={subject.name} />
                </td>
                <td />
                <td>{subject.oldKind ?? 'no declared kind'}</td>
                <td>{subject.newKind ?? 'no declared kind'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Environment and tolerance</h3>
      {environment.length === 0 ? (
        <p className="muted">No environment or tolerance field changed.</p>
      ) : (
        <table aria-label="Environment changes" className="compare-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Old</th>
              <th scope="col">New</th>
            </tr>
          </thead>
          <tbody>
            {environment.map((field) => (
              <tr key={field.field}>
                <td>
                  <code>
                    <OutsideText text={field.field} />
                  </code>
                </td>
                <td>{field.old === null ? <span className="muted">absent</span> : <OutsideText text={field.old} />}</td>
                <td>{field.new === null ? <span className="muted">absent</span> : <OutsideText text={field.new} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Lineage</h3>
      {lineage.nodesAdded.length + lineage.nodesRemoved.length + lineage.nodesChanged.length + lineage.edgesAdded.length + lineage.edgesRemoved.length === 0 ? (
        <p className="muted">No lineage node or edge changed.</p>
      ) : (
        <ul aria-label="Lineage changes" className="plain-list">
          {lineage.nodesAdded.map((node) => (
            <li key={`+${node.id}`}>
              + Node added: <OutsideText text={`${node.name} (${node.kind}, ${node.id})`} />
            </li>
          ))}
          {lineage.nodesRemoved.map((node) => (
            <li key={`-${node.id}`}>
              − Node removed: <OutsideText text={`${node.name} (${node.kind}, ${node.id})`} />
            </li>
          ))}
          {lineage.nodesChanged.map((node) => (
            <li key={`~${node.id}`}>
              ≠ Node changed: <OutsideText text={`${node.id}: ${node.changes.join('; ')}`} />
            </li>
          ))}
          {lineage.edgesAdded.map((edge) => (
            <li key={`+${edge.from}>${edge.to}`}>
              + Edge added: <OutsideText text={`${edge.from} → ${edge.to}`} />
            </li>
          ))}
          {lineage.edgesRemoved.map((edge) => (
            <li key={`-${edge.from}>${edge.to}`}>
              − Edge removed: <OutsideText text={`${edge.from} → ${edge.to}`} />
            </li>
          ))}
        </ul>
      )}
      {(!comparison.old.hasLineage || !comparison.new.hasLineage) && <p className="muted">A release without a lineage file is compared as an empty graph.</p>}
    </div>
  );
}

function ChangeRow({ change, name, kind, before, after }: { change: string; name: string; kind: string; before: DigestSet | null; after: DigestSet | null }) {
  return (
    <tr>
      <td>{change}</td>
      <td>
        <OutsideText text={name} />
      </td>
      <td>{kind}</td>
      <td>{before === null ? <span className="muted">—</span> : <Digest digest={before} />}</td>
      <td>{after === null ? <span className="muted">—</span> : <Digest digest={after} />}</td>
    </tr>
  );
}

function Digest({ digest }: { digest: DigestSet }) {
  return Object.entries(digest).map(([algorithm, value]) => (
    <code key={algorithm} className="digest">
      <OutsideText text={`${algorithm}:${value}`} />
    </code>
  ));
}

import { useId, type ReactNode } from 'react';
import type { NamedValue, ReleaseSummary } from '../../../shared/review/release-summary';
import { OutsideText } from '../common/OutsideText';
import { SUBJECT_LOOK } from '../common/status-words';
import { formatNumber } from '../format';

/** The release as its manifest describes it: who, when, what it pins, how it was trained, and every other field. */
export function ReleaseSummaryPanel({ summary, vouched = true }: { summary: ReleaseSummary; /** False when no trusted key signed the manifest: these are its claims. */ vouched?: boolean }) {
  const headingId = useId();
  const { author, subjectCounts } = summary;
  return (
    <section aria-labelledby={headingId} className="panel release-summary">
      <h2 id={headingId}>Release summary</h2>
      {!vouched && <p className="notice">! As the manifest states it: no key this machine trusts vouches for these facts yet.</p>}
      <dl className="facts">
        <Fact term="Release">
          <OutsideText text={summary.name === null ? 'Unnamed release' : summary.version === null ? summary.name : `${summary.name} ${summary.version}`} />
        </Fact>
        <Fact term="Author">
          {author === null ? (
            <span className="muted">Not stated</span>
          ) : (
            <>
              {author.name === null ? <span className="muted">A key no board member or pinned key holds</span> : <OutsideText text={author.name} />} ·{' '}
              <code>
                <OutsideText text={author.keyId} />
              </code>
            </>
          )}
        </Fact>
        <Fact term="Created at">{summary.createdAt === null ? <span className="muted">Not stated</span> : <time dateTime={summary.createdAt}>{summary.createdAt}</time>}</Fact>
        <Fact term="Code commit">
          {summary.codeCommits.length === 0 ? (
            <span className="muted">None pinned</span>
          ) : (
            summary.codeCommits.map((entry) => (
              <div key={`${entry.name}:${entry.commit}`}>
                <code className="digest">
                  <OutsideText text={entry.commit} />
                </code>{' '}
                <span className="muted">
                  <OutsideText text={entry.name} />
                </span>
              </div>
            ))
          )}
          {summary.gitDirty === true && <div className="badge tone-warn">! Built from a working tree with uncommitted changes (dirty)</div>}
          {summary.gitDirty === false && <div className="muted">Working tree clean</div>}
        </Fact>
        <Fact term="Containers">
          <Pins pins={summary.containers} none="None pinned" />
        </Fact>
        <Fact term="Lock files">
          <Pins pins={summary.lockFiles} none="None pinned" />
        </Fact>
        <Fact term="Seed">{summary.seed === null ? <span className="muted">Not stated</span> : <OutsideText text={summary.seed} />}</Fact>
        <Fact term="Hardware">
          <Values values={summary.hardware} />
        </Fact>
        <Fact term="Tolerance">
          <Values values={summary.tolerance} />
        </Fact>
        <Fact term="Metrics">
          <Values values={summary.metrics} />
          {summary.metrics.length > 0 && <div className="muted">As the manifest states them: Countersign does not check metrics.</div>}
        </Fact>
        <Fact term="Subjects by kind">{subjectCounts.byKind.map((entry) => `${formatNumber(entry.count)} ${entry.kind}`).join(' · ')}</Fact>
        <Fact term="Subjects by status">{subjectCounts.byStatus.map((entry) => `${formatNumber(entry.count)} ${SUBJECT_LOOK[entry.status].word.toLowerCase()}`).join(' · ')}</Fact>
      </dl>
      <h3>Other fields</h3>
      {summary.otherFields.length === 0 ? (
        <p className="muted">The manifest carries no other fields.</p>
      ) : (
        <table aria-label="Other fields" className="other-fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
              <th scope="col">Known to Countersign</th>
            </tr>
          </thead>
          <tbody>
            {summary.otherFields.map((field) => (
              <tr key={field.path}>
                <td>
                  <code>
                    <OutsideText text={field.path} />
                  </code>
                </td>
                <td>{field.value === null ? <span className="muted">(not shown)</span> : <OutsideText text={field.value} />}</td>
                <td>{field.unknown ? 'Unknown field: shown, not checked' : 'Known'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Pins({ pins, none }: { pins: readonly { name: string; digest: string }[]; none: string }) {
  if (pins.length === 0) return <span className="muted">{none}</span>;
  return pins.map((pin) => (
    <div key={pin.name}>
      <OutsideText text={pin.name} />{' '}
      <code className="digest">
        <OutsideText text={pin.digest} />
      </code>
    </div>
  ));
}

function Values({ values }: { values: readonly NamedValue[] }) {
  if (values.length === 0) return <span className="muted">Not stated</span>;
  return values.map((entry, index) => (
    <div key={`${index}:${entry.name}`}>
      {entry.name !== '' && (
        <>
          <OutsideText text={entry.name} />:{' '}
        </>
      )}
      <OutsideText text={entry.value} />
    </div>
  ));
}

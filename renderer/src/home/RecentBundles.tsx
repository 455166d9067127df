import { useId } from 'react';
import type { RecentBundle } from '../../../shared/api/contract';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { StatusBadge } from '../common/StatusBadge';
import { VERDICT_LOOK } from '../common/status-words';
import { formatRelativeTime } from '../format';
import { useAppShell } from '../navigation/AppContext';
import { ANSWER_LOOK } from '../bundle/answer-look';
import { useRememberedAnswers, type RememberedAnswer } from './recent-answers';

export function RecentBundles() {
  const headingId = useId();
  const recent = useCommand('bundle.recent', {});
  const answers = useRememberedAnswers();
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Recent bundles</h2>
      {recent.isPending ? (
        <p className="muted">Loading…</p>
      ) : recent.isError ? (
        <ErrorNotice error={recent.error} prefix="Could not list recent bundles" />
      ) : recent.data.length === 0 ? (
        <p className="muted">Bundles you open appear here.</p>
      ) : (
        <ul aria-label="Recent bundles" className="card-list">
          {recent.data.map((bundle) => (
            <RecentItem key={bundle.path} bundle={bundle} answer={answers.get(bundle.path)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentItem({ bundle, answer }: { bundle: RecentBundle; answer: RememberedAnswer | undefined }) {
  const { openBundle } = useAppShell();
  const now = new Date();
  const look = answer === undefined ? null : ANSWER_LOOK[answer.kind];
  return (
    <li className="card recent-item">
      <button type="button" className="link-button" onClick={() => openBundle(bundle.path)}>
        {bundle.release ?? lastPathPart(bundle.path)}
      </button>
      {look !== null && answer !== undefined ? (
        <StatusBadge look={{ ...look, word: answer.headline }} className="recent-answer" />
      ) : (
        <span className="muted recent-answer">Board's answer not known: open it to judge</span>
      )}
      {bundle.verdict === null ? <span className="muted">not verified</span> : <StatusBadge look={{ ...VERDICT_LOOK[bundle.verdict], word: `Integrity: ${VERDICT_LOOK[bundle.verdict].word}` }} />}
      <code className="truncate" title={bundle.path}>
        {bundle.path}
      </code>
      <time dateTime={bundle.openedAt} title={bundle.openedAt}>
        {formatRelativeTime(bundle.openedAt, now)}
      </time>
    </li>
  );
}

function lastPathPart(path: string): string {
  const parts = path.split(/[\\/]/).filter((part) => part !== '');
  return parts.at(-1) ?? path;
}

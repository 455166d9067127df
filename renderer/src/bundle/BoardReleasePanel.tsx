import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { BoardStatus } from '../../../shared/api/contract';
import type { VerificationReport } from '../../../shared/verify/report';
import { commandKey, useCommand, useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { OutsideText } from '../common/OutsideText';
import { BoardDecision } from '../approvals/BoardDecision';
import { DecisionFlow } from '../approvals/DecisionFlow';
import type { Decision } from '../approvals/decision-draft';
import { QueuedForBoard } from '../board/QueuedForBoard';

/**
 * The open release on the board shared through git, when this data directory has one: its answer
 * under the board's policy in force (as `status --board-repo`), a decision signed for the board
 * (as `approve --board-repo`), or publishing it for review (as `board publish`).
 */
export function BoardReleasePanel({ sessionId, report }: { sessionId: string; report: VerificationReport }) {
  const status = useCommand('board.status', {});
  // No board set up here: the other panels judge under the policy imported in Trust alone.
  if (status.isError && status.error.code !== 'not-found') return <ErrorNotice error={status.error} prefix="Could not read the board" />;
  if (status.data === undefined || report.manifest === null) return null;
  return <OnTheBoard sessionId={sessionId} report={report} digest={report.manifest.digest} board={status.data} />;
}

function OnTheBoard({ sessionId, report, digest, board }: { sessionId: string; report: VerificationReport; digest: string; board: BoardStatus }) {
  const headingId = useId();
  const published = board.releases.some((release) => release.manifestDigest === digest);
  const queued = board.queue.some((path) => path.startsWith(`releases/${digest}/`));
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>On the board</h2>
      {published ? (
        <BoardJudgement sessionId={sessionId} revision={report.verifiedAt} board={board} />
      ) : queued ? (
        <QueuedForBoard what="this release" />
      ) : (
        <PublishRelease sessionId={sessionId} revision={report.verifiedAt} board={board} />
      )}
    </section>
  );
}

/** Offered for a release that verifies under the board's policy in force (its producers' keys), whatever Trust holds here. */
function PublishRelease({ sessionId, revision, board }: { sessionId: string; revision: string; board: BoardStatus }) {
  const queryClient = useQueryClient();
  const judged = useCommand('board.evaluate', { sessionId, maxAgeSeconds: null }, { revision });
  const publish = useCommandMutation('board.publish', { onSuccess: () => queryClient.invalidateQueries({ queryKey: commandKey('board.status') }) });
  if (judged.isPending) return <p className="muted">Checking this release under the board's policy in force…</p>;
  if (judged.isError) return <ErrorNotice error={judged.error} prefix="Could not check this release under the board" />;
  if (judged.data.status.verdict !== 'verified') {
    return <p className="muted">This release is not on the board, and it does not verify under the board's policy in force ({judged.data.status.verdict}): only a verified release is put up for review.</p>;
  }
  return (
    <>
      <p>
        This release is not on <OutsideText text={board.board} /> yet. Publishing puts its signed manifest and lineage up for the members' review (its files stay here).
      </p>
      <button type="button" aria-busy={publish.isPending} disabled={publish.isPending} onClick={() => publish.mutate({ sessionId })}>
        Publish to the board
      </button>
      {publish.isError && <ErrorNotice error={publish.error} prefix="Not published" />}
    </>
  );
}

function BoardJudgement({ sessionId, revision, board }: { sessionId: string; revision: string; board: BoardStatus }) {
  const queryClient = useQueryClient();
  const judged = useCommand('board.evaluate', { sessionId, maxAgeSeconds: null }, { revision });
  const policy = useCommand('board.policyInForce', {}, { enabled: board.memberKeyId !== null });
  const keys = useCommand('keys.list', {}, { enabled: board.memberKeyId !== null });
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [queued, setQueued] = useState(false);

  if (judged.isPending) return <p className="muted">Judging under the board…</p>;
  if (judged.isError) return <ErrorNotice error={judged.error} prefix="Could not judge this release under the board" />;
  const { status, notices } = judged.data;
  const memberKeys = (keys.data ?? []).filter((key) => key.keyId === board.memberKeyId);
  return (
    <>
      <p className="muted">
        Judged under the board's policy in force: <OutsideText text={status.policy.board} />, version {status.policy.version}, with the decisions published to the board (not under
        the policy imported in Trust).
      </p>
      <BoardDecision evaluation={status.evaluation} />
      {notices.map((notice) => (
        <p key={notice.digest} className="tone-warn">
          Re-opened by <OutsideText text={notice.issuer} />: <OutsideText text={notice.reason} /> ({notice.target}). Decisions made before it no longer count.
        </p>
      ))}
      {board.memberKeyId === null ? (
        <p className="muted">This computer holds no member key of the board: it cannot decide for the board.</p>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setDeciding('approve')} disabled={policy.data === undefined || memberKeys.length === 0}>
            Approve for the board…
          </button>
          <button type="button" onClick={() => setDeciding('reject')} disabled={policy.data === undefined || memberKeys.length === 0}>
            Reject for the board…
          </button>
          <button type="button" onClick={() => setDeciding('abstain')} disabled={policy.data === undefined || memberKeys.length === 0}>
            Abstain for the board…
          </button>
        </div>
      )}
      {policy.isError && <ErrorNotice error={policy.error} prefix="Could not read the board's policy in force" />}
      {queued && <QueuedForBoard what="your decision" />}
      {deciding !== null && policy.data !== undefined && (
        <DecisionFlow
          sessionId={sessionId}
          decision={deciding}
          status={status}
          board={policy.data.summary}
          keys={memberKeys}
          forBoard
          onSigned={() => {
            setDeciding(null);
            setQueued(true);
            void queryClient.invalidateQueries({ queryKey: commandKey('board.status') });
            void queryClient.invalidateQueries({ queryKey: commandKey('board.inbox') });
          }}
          onClose={() => setDeciding(null)}
        />
      )}
    </>
  );
}

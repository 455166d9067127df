import type { lineageCommands } from '../../../shared/api/commands/lineage-commands';
import { DomainError } from '../../../shared/errors/domain-error';
import { impactOf, pathsBetween } from '../../../shared/lineage/lineage-queries';
import type { ReleaseKnowledge } from '../../../shared/lineage/release-knowledge';
import { evaluateApprovals } from '../../services/approvals/approval-service';
import type { Profile } from '../../services/profile/profile';
import type { ReviewSession } from '../../services/session/review-session';
import type { HandlerServices, HandlersFor } from './handler-kit';

/**
 * The releases' approval counts as the board sees them: approvals that verify under a member's
 * key, for this manifest, and count towards the quorum, not approval files. None without a board
 * policy (nothing can be verified then), and none when the release cannot be judged at all (an
 * unreadable manifest): the impact report still answers.
 */
async function withVerifiedApprovals(knowledge: ReleaseKnowledge, session: ReviewSession, profile: Profile): Promise<ReleaseKnowledge> {
  if (knowledge.releases.length === 0) return knowledge;
  const board = profile.board();
  let counted = 0;
  if (board !== null) {
    try {
      const status = await evaluateApprovals(session, { board, trust: profile.trust(), profileApprovals: profile.approvals });
      counted = status.evaluation.counted.length;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { ...knowledge, releases: knowledge.releases.map((release) => ({ ...release, approvals: counted })) };
}

/** Lineage questions go to the session, which reads and merges the lineage once. */
export function createLineageHandlers({ sessions, profile }: HandlerServices): HandlersFor<typeof lineageCommands> {
  return {
    'lineage.graph': async ({ sessionId }) => {
      const { lineage } = await sessions.get(sessionId).lineage();
      return { nodes: lineage.graph.nodes, edges: lineage.graph.edges, sourceFiles: lineage.sourceFiles, findings: lineage.findings };
    },

    'lineage.impact': async ({ sessionId, nodeId, direction }) => {
      const session = sessions.get(sessionId);
      const { lineage, knowledge } = await session.lineage();
      return impactOf(lineage, nodeId, direction, await withVerifiedApprovals(knowledge, session, profile));
    },

    'lineage.path': async ({ sessionId, from, to }) => {
      const { lineage } = await sessions.get(sessionId).lineage();
      return pathsBetween(lineage, from, to);
    },
  };
}

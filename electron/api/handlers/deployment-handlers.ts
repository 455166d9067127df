import type { deploymentCommands } from '../../../shared/api/commands/deployment-commands';
import { evaluateApprovals } from '../../services/approvals/approval-service';
import { approvalOutcomeOf } from '../../services/deployment/approval-gate';
import { diffableManifest, diffReleaseDeployment, type DeploymentInput } from '../../services/deployment/diff-bundle-deployment';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';
import { judgeUnderBoard } from './board-judgement';
import { BoardService } from '../../services/board/board-service';

/**
 * The deployment gate judges approvals under the profile's board policy (or the `--board` file)
 * on the session's snapshot; without a board policy, it is blocked.
 */
export function createDeploymentHandlers({ profile, sessions, jobs, dataDir }: HandlerServices): HandlersFor<typeof deploymentCommands> {
  return {
    'deployment.diff': async ({ sessionId, jobId, deploymentPath, deploymentText, underBoardRepo }) => {
      const session = sessions.getForBundleQuestion(sessionId);
      const onBoard = underBoardRepo === true ? await judgeUnderBoard(new BoardService({ dataDir }), session) : null;
      const input: DeploymentInput = deploymentText
        ? { from: 'text', fileName: deploymentText.fileName, text: deploymentText.text }
        : deploymentPath
          ? { from: 'file', path: deploymentPath }
          : { from: 'bundle' };
      return jobs.run(jobId, async (job) => {
        const trust = onBoard?.trust ?? profile.trust();
        const manifest = session.manifestCheck(trust);
        diffableManifest(manifest);
        const board = profile.board();
        const status =
          onBoard !== null
            ? await evaluateApprovals(session, { ...onBoard.context, job })
            : board === null
              ? null
              : await evaluateApprovals(session, { board, trust, profileApprovals: profile.approvals, job });
        const diff = await diffReleaseDeployment({ manifest, bundleDeployment: () => session.bundleDeployment() }, input, status && approvalOutcomeOf(status), job);
        if (status !== null && status.manifest.digest !== diff.manifestDigest) {
          throw new HandlerError('internal', `The deployment verdict and the approvals concern different manifests (${diff.manifestDigest} and ${status.manifest.digest}).`);
        }
        return { ...diff, integrity: status?.verdict ?? null };
      });
    },
  };
}

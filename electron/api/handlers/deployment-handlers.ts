import type { deploymentCommands } from '../../../shared/api/commands/deployment-commands';
import { ApprovalError } from '../../services/approvals/approval-error';
import { ProfileApprovals } from '../../services/approvals/profile-approvals';
import { evaluateReleaseApproval } from '../../services/deployment/approval-gate';
import { diffBundleDeployment, type DeploymentInput } from '../../services/deployment/diff-bundle-deployment';
import { parseBoardPolicyBytes } from '../../services/trust/board-file';
import { trustFromStore } from '../../services/trust/trust-sources';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

/** The deployment gate judges approvals under the board policy imported into this profile; without one, it is blocked. */
export function createDeploymentHandlers({ store, hashPool }: HandlerServices): HandlersFor<typeof deploymentCommands> {
  const profileApprovals = new ProfileApprovals(store.db);

  return {
    'deployment.diff': async ({ path: bundlePath, deploymentPath, deploymentText }) => {
      const deployment: DeploymentInput = deploymentText
        ? { from: 'text', fileName: deploymentText.fileName, text: deploymentText.text }
        : deploymentPath
          ? { from: 'file', path: deploymentPath }
          : { from: 'bundle' };
      const trust = trustFromStore(store);
      try {
        return await diffBundleDeployment(bundlePath, {
          deployment,
          trust,
          evaluateApproval: async (path) => {
            const stored = store.boardPolicy.current();
            if (stored === null) return null;
            const board = parseBoardPolicyBytes(stored.content, 'the stored board policy');
            return evaluateReleaseApproval(path, { board, trust, hashPool, hashCache: store.hashCache, profileApprovals });
          },
        });
      } catch (error) {
        if (error instanceof ApprovalError) throw new HandlerError(error.code, error.message);
        throw error;
      }
    },
  };
}

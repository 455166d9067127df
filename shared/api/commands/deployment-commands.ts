import { z } from 'zod';
import { DEPLOYMENT_LIMITS } from '../../deployment/proposed-deployment';
import { deploymentDiffSchema } from '../../deployment/deployment-report';
import { jobIdSchema, sessionIdSchema, type CommandDefinitions } from './command-kit';

export { deploymentDiffSchema, deploymentRowSchema, deploymentStatusSchema, deploymentVerdictSchema } from '../../deployment/deployment-report';
export type { DeploymentDiff, DeploymentRow, DeploymentStatus, DeploymentVerdict, DeploymentSource } from '../../deployment/deployment-report';

export const deploymentCommands = {
  /**
   * Diffs the session's release manifest against a proposed deployment (FORMATS §8) and decides
   * whether it is deployable: every deployed artifact a match and the release approved under
   * the imported board policy, judged on the same snapshot. The deployment is the bundle's own (neither deploymentPath nor
   * deploymentText), a file on this machine (deploymentPath), or a file opened or dropped in
   * the UI (deploymentText). A deployment file that cannot be read is `invalid-format`.
   */
  'deployment.diff': {
    input: z
      .object({
        sessionId: sessionIdSchema,
        jobId: jobIdSchema.optional(),
        deploymentPath: z.string().min(1).nullable().optional(),
        deploymentText: z
          .object({
            fileName: z.string().min(1).max(255),
            // UTF-16 units; the byte cap is checked again on the Node side.
            text: z.string().max(DEPLOYMENT_LIMITS.maxBytes),
          })
          .strict()
          .nullable()
          .optional(),
        /** Judge approvals under the board shared through git (policy in force, its decisions, its notices). */
        underBoardRepo: z.boolean().optional(),
      })
      .strict()
      .refine((input) => !(input.deploymentPath && input.deploymentText), 'give deploymentPath or deploymentText, not both'),
    output: deploymentDiffSchema,
  },
} as const satisfies CommandDefinitions;

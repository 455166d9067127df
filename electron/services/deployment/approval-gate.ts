import type { ApprovalStatus } from '../../../shared/api/commands/approvals-commands';
import type { ApprovalOutcome } from '../../../shared/deployment/decide-deployment';

/** The approval evaluation reduced to what the deployment gate needs: approved, and every unmet rule in words. */
export function approvalOutcomeOf(status: ApprovalStatus): ApprovalOutcome {
  const reasons = status.evaluation.rules.filter((rule) => !rule.met).map((rule) => rule.summary);
  const verified = status.verdict === 'verified';
  if (!verified) reasons.unshift(`the release does not verify under the board policy (${status.verdict}).`);
  return { approved: verified && status.evaluation.approved, reasons };
}

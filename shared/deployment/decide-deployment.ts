import type { DigestSet } from '../formats/digest';
import type { DeploymentRow, DeploymentVerdict } from './deployment-report';

/** What the board policy concluded about the release, reduced to what the deployment gate needs. */
export interface ApprovalOutcome {
  approved: boolean;
  /** Why it is not approved (unmet rules), in plain words. */
  reasons: string[];
}

export const APPROVALS_NOT_EVALUATED = 'Approvals were not evaluated: there is no board policy to evaluate them under.';

/**
 * Deployable only when the deployment deploys something, every deployed artifact is a match,
 * and the release is approved under the board policy (FORMATS §8). Otherwise blocked, with
 * every reason: one per row that is not a match, then the approval's. `approval` is null when
 * there is no board policy: that blocks too.
 */
export function decideDeployment({ rows, approval }: { rows: readonly DeploymentRow[]; approval: ApprovalOutcome | null }): { verdict: DeploymentVerdict; reasons: string[] } {
  const reasons: string[] = [];
  const deployedRows = rows.filter((row) => row.deployed !== null);
  if (deployedRows.length === 0) reasons.push('The deployment deploys no artifact.');
  for (const row of deployedRows) {
    const reason = reasonFor(row);
    if (reason !== null) reasons.push(reason);
  }
  if (approval === null) reasons.push(APPROVALS_NOT_EVALUATED);
  else if (!approval.approved) {
    if (approval.reasons.length === 0) reasons.push('The release is not approved under the board policy.');
    for (const reason of approval.reasons) reasons.push(`Not approved under the board policy: ${reason}`);
  }
  return { verdict: reasons.length === 0 ? 'deployable' : 'blocked', reasons };
}

function reasonFor(row: DeploymentRow): string | null {
  const deployed = row.deployed!;
  switch (row.status) {
    case 'match':
    case 'not-deployed':
      return null;
    case 'digest-mismatch':
      return `${row.subject}: digest mismatch: deployed ${describeDigest(deployed.digest)}, the manifest pins ${describeDigest(row.manifestDigest)} (${deployed.location}).`;
    case 'mutable-reference':
      return `${row.subject}: mutable reference: ${deployed.reference ?? deployed.name}: ${row.detail} (${deployed.location}).`;
    case 'not-in-manifest':
      return `${deployed.reference ?? deployed.name}: not in the manifest: deployed but never approved (${deployed.location}).`;
  }
}

export function describeDigest(digest: DigestSet | null): string {
  if (digest === null) return 'no digest';
  const preferred = Object.hasOwn(digest, 'sha256') ? 'sha256' : Object.keys(digest)[0];
  return preferred === undefined ? 'no digest' : `${preferred}:${digest[preferred]}`;
}

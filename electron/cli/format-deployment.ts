import { describeDigest } from '../../shared/deployment/decide-deployment';
import type { DeploymentDiff, DeploymentRow, DeploymentStatus } from '../../shared/deployment/deployment-report';
import { fields } from '../../shared/text/neutralise';

const STATUS_MARK: Record<DeploymentStatus, string> = {
  match: '✓ match',
  'digest-mismatch': '✗ digest-mismatch',
  'mutable-reference': '! mutable-reference',
  'not-in-manifest': '+ not-in-manifest',
  'not-deployed': '– not-deployed',
};
const MARK_WIDTH = Math.max(...Object.values(STATUS_MARK).map((mark) => mark.length));

/**
 * The human form of a deployment diff, read like a diff tool's: the verdict, then the rows that
 * differ (every row with `all`; otherwise the matches are collapsed to a count), each with its
 * status and both sides, then every reason.
 */
export function formatDeploymentDiff(diff: DeploymentDiff, options: { all?: boolean } = {}): string {
  const environment = diff.source.environment === null ? '' : ` → ${diff.source.environment}`;
  const origin = diff.source.origin === 'bundle' ? 'in the bundle' : diff.source.origin === 'file' ? 'file' : 'opened';
  const lines = [fields`${diff.verdict === 'deployable' ? 'DEPLOYABLE' : 'BLOCKED'} ${diff.release ?? '(unnamed release)'}${environment}`];
  lines.push(fields`  deployment: ${diff.source.file} (${origin}, ${diff.source.format})`);
  lines.push(fields`  manifest sha256 ${diff.manifestDigest}`);
  lines.push(fields`  approvals: ${diff.approved === null ? 'not evaluated (no board policy)' : diff.approved ? 'approved under the board policy' : 'not approved under the board policy'}`);

  lines.push('', `Artifacts: ${diff.rows.length} rows`);
  const unchanged = diff.rows.filter((row) => row.status === 'match').length;
  for (const row of diff.rows) {
    if (row.status === 'match' && !options.all) continue;
    lines.push(...formatRow(row));
  }
  if (unchanged > 0 && !options.all) lines.push(fields`  ${unchanged} unchanged (--all to list them)`);
  if (diff.rows.length === 0) lines.push('  (none)');

  if (diff.reasons.length > 0) {
    lines.push('', 'Blocked because');
    for (const reason of diff.reasons) lines.push(fields`  - ${reason}`);
  }
  const notable = diff.findings.filter((finding) => finding.severity !== 'info');
  if (notable.length > 0) {
    lines.push('', 'Findings');
    for (const finding of notable) lines.push(fields`  ${finding.severity}: ${finding.message}`);
  }
  return lines.join('\n');
}

function formatRow(row: DeploymentRow): string[] {
  const name = row.subject ?? row.deployed?.name ?? '';
  const deployed = row.deployed;
  const deployedText = deployed === null ? '(not deployed)' : deployed.digest !== null ? describeDigest(deployed.digest) : `${deployed.reference ?? deployed.name} (no digest)`;
  const lines = [fields`  ${STATUS_MARK[row.status].padEnd(MARK_WIDTH)}  ${name}`];
  lines.push(fields`      manifest  ${row.manifestDigest === null ? '(not in the manifest)' : describeDigest(row.manifestDigest)}`);
  lines.push(fields`      deployed  ${deployedText}`);
  if (deployed !== null && deployed.reference !== null && deployed.digest !== null) lines.push(fields`                by ${deployed.reference}`);
  if (deployed !== null) lines.push(fields`                at ${deployed.location}`);
  if (row.status !== 'match') lines.push(fields`      ${row.detail}`);
  return lines;
}

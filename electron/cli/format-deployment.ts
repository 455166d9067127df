import { describeDigest } from '../../shared/deployment/decide-deployment';
import type { DeploymentDiff, DeploymentRow, DeploymentStatus } from '../../shared/deployment/deployment-report';
import { fields } from '../../shared/text/neutralise';
import { PLAIN, type Paint } from './colour';
import { CANNOT_BE_APPROVED } from './format-approvals';

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
 * status and both sides, then every reason. The header gives the answer and, when the bundle
 * does not verify, says so before anything else.
 */
export function formatDeploymentDiff(diff: DeploymentDiff, options: { all?: boolean; paint?: Paint } = {}): string {
  const paint = options.paint ?? PLAIN;
  const environment = diff.source.environment === null ? '' : ` → ${diff.source.environment}`;
  const origin = diff.source.origin === 'bundle' ? 'in the bundle' : diff.source.origin === 'file' ? 'file' : 'opened';
  const word = diff.verdict === 'deployable' ? paint.green(paint.bold('DEPLOYABLE')) : paint.red(paint.bold('BLOCKED'));
  const why = diff.integrity !== null && diff.integrity !== 'verified' ? ` — ${CANNOT_BE_APPROVED[diff.integrity]}` : diff.verdict === 'blocked' && diff.reasons.length > 0 ? ` — ${plural(diff.reasons.length, 'reason')} below` : '';
  const lines = [`${word}${fields` ${diff.release ?? '(unnamed release)'}${environment}${why}`}`];
  lines.push(fields`  deployment: ${diff.source.file} (${origin}, ${diff.source.format})`);
  lines.push(fields`  manifest sha256 ${diff.manifestDigest}`);
  lines.push(fields`  approvals: ${diff.approved === null ? 'not evaluated (no board policy)' : diff.approved ? 'approved under the board policy' : 'not approved under the board policy'}`);

  lines.push('', paint.bold(`Artifacts: ${plural(diff.rows.length, 'row')}`));
  const unchanged = diff.rows.filter((row) => row.status === 'match').length;
  for (const row of diff.rows) {
    if (row.status === 'match' && !options.all) continue;
    lines.push(...formatRow(row, paint));
  }
  if (unchanged > 0 && !options.all) lines.push(fields`  ${unchanged} unchanged (--all to list them)`);
  if (diff.rows.length === 0) lines.push('  (none)');

  if (diff.reasons.length > 0) {
    lines.push('', paint.bold('Blocked because'));
    for (const reason of diff.reasons) lines.push(fields`  - ${reason}`);
  }
  const notable = diff.findings.filter((finding) => finding.severity !== 'info');
  if (notable.length > 0) {
    lines.push('', paint.bold('Findings'));
    for (const finding of notable) lines.push(fields`  ${finding.severity}: ${finding.message}`);
  }
  return lines.join('\n');
}

const STATUS_PAINT: Record<DeploymentStatus, keyof Omit<Paint, 'enabled'>> = {
  match: 'green',
  'digest-mismatch': 'red',
  'mutable-reference': 'yellow',
  'not-in-manifest': 'red',
  'not-deployed': 'dim',
};

function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : `${word}s`}`;
}

function formatRow(row: DeploymentRow, paint: Paint): string[] {
  const name = row.subject ?? row.deployed?.name ?? '';
  const deployed = row.deployed;
  const deployedText = deployed === null ? '(not deployed)' : deployed.digest !== null ? describeDigest(deployed.digest) : `${deployed.reference ?? deployed.name} (no digest)`;
  const lines = [`  ${paint[STATUS_PAINT[row.status]](STATUS_MARK[row.status].padEnd(MARK_WIDTH))}${fields`  ${name}`}`];
  lines.push(fields`      manifest  ${row.manifestDigest === null ? '(not in the manifest)' : describeDigest(row.manifestDigest)}`);
  lines.push(fields`      deployed  ${deployedText}`);
  if (deployed !== null && deployed.reference !== null && deployed.digest !== null) lines.push(fields`                by ${deployed.reference}`);
  if (deployed !== null) lines.push(fields`                at ${deployed.location}`);
  if (row.status !== 'match') lines.push(fields`      ${row.detail}`);
  return lines;
}

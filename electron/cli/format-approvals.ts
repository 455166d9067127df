import type { ApprovalStatus } from '../../shared/api/commands/approvals-commands';
import { fields } from '../../shared/text/neutralise';

const VERDICT_WORD = { verified: 'VERIFIED', tampered: 'TAMPERED', untrusted: 'UNTRUSTED', invalid: 'INVALID' } as const;

/** The human form of an approval status: approved or not first, then every rule, every seat, every approval. */
export function formatApprovalStatus(status: ApprovalStatus): string {
  const { evaluation, manifest, policy } = status;
  const release = `${manifest.releaseName ?? '?'}@${manifest.releaseVersion ?? '?'}`;
  const lines: string[] = [];
  lines.push(fields`${evaluation.approved ? 'APPROVED' : 'NOT APPROVED'} ${release}  (${status.bundle.path})`);
  lines.push(fields`  manifest sha256 ${manifest.digest}  (${VERDICT_WORD[status.verdict]})`);
  lines.push(fields`  board: ${policy.board}, version ${policy.version}, policy sha256 ${policy.digest}`);

  lines.push('', 'Rules');
  for (const rule of evaluation.rules) {
    lines.push(fields`  ${rule.met ? '✓' : '✗'} ${rule.summary}`);
    for (const detail of rule.details) lines.push(fields`      ${detail}`);
  }

  lines.push('', 'Seats');
  if (evaluation.seats.length === 0) lines.push('  (no role is required)');
  for (const seat of evaluation.seats) lines.push(fields`  ${seat.role} #${seat.seat}: ${seat.filledBy ?? 'empty'}`);

  lines.push('', 'Approvals');
  if (evaluation.approvals.length === 0) lines.push('  (none)');
  for (const approval of evaluation.approvals) {
    const who = approval.reviewerName ?? approval.reviewerKeyId ?? 'unknown reviewer';
    const what = approval.decision ? `${approval.decision}${approval.role ? ` as ${approval.role}` : ''}` : 'unreadable';
    const when = approval.reviewedAt ? ` at ${approval.reviewedAt}` : '';
    lines.push(fields`  ${approval.outcome.padEnd(15)} ${who}: ${what}${when}  (${approval.file ?? '-'})`);
    if (approval.outcome !== 'counted') lines.push(fields`      ${approval.reason}`);
  }
  return lines.join('\n');
}

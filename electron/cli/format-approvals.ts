import type { ApprovalStatus } from '../../shared/api/commands/approvals-commands';
import type { Verdict } from '../../shared/verify/report';
import { fields } from '../../shared/text/neutralise';
import { alignColumns, PLAIN, type Paint } from './colour';

const VERDICT_WORD = { verified: 'VERIFIED', tampered: 'TAMPERED', untrusted: 'UNTRUSTED', invalid: 'INVALID' } as const;

/** Why a release that does not verify cannot be approved, whatever its approvals say. */
export const CANNOT_BE_APPROVED: Record<Exclude<Verdict, 'verified'>, string> = {
  tampered: "cannot be approved: the bundle is TAMPERED (its files do not match the signed manifest)",
  untrusted: 'cannot be approved: the bundle is UNTRUSTED (no trusted key signed its manifest)',
  invalid: 'cannot be approved: the bundle is INVALID (its manifest cannot be read as a release)',
};

/**
 * The board's answer in one line: approved, or why not, the integrity of the bundle first, then a
 * blocking rejection, then the seats still empty, then the first rule not met.
 */
export function boardAnswer(status: ApprovalStatus): { approved: boolean; reason: string | null } {
  const { evaluation } = status;
  if (status.verdict !== 'verified') return { approved: false, reason: CANNOT_BE_APPROVED[status.verdict] };
  if (evaluation.approved) return { approved: true, reason: null };
  const unmet = evaluation.rules.filter((rule) => !rule.met);
  const rejection = unmet.find((rule) => rule.id === 'no-blocking-rejection');
  if (rejection) return { approved: false, reason: rejection.summary };
  const empty = evaluation.seats.filter((seat) => seat.filledBy === null).map((seat) => seat.role);
  if (empty.length > 0) return { approved: false, reason: `needs ${empty.length} more: ${[...new Set(empty)].join(', ')} ${empty.length === 1 ? 'seat' : 'seats'}` };
  return { approved: false, reason: unmet[0]?.summary ?? null };
}

/** The human form of an approval status: the board's answer first, then every rule, every seat, every approval. */
export function formatApprovalStatus(status: ApprovalStatus, paint: Paint = PLAIN): string {
  const { evaluation, manifest, policy } = status;
  const release = `${manifest.releaseName ?? '?'}@${manifest.releaseVersion ?? '?'}`;
  const answer = boardAnswer(status);
  const word = answer.approved ? paint.green(paint.bold('APPROVED')) : paint.red(paint.bold('NOT APPROVED'));
  const lines: string[] = [];
  lines.push(`${word}${fields` ${release}`}${answer.reason === null ? '' : fields` — ${answer.reason}`}`);
  const verdict = VERDICT_WORD[status.verdict];
  lines.push(`${fields`  integrity: `}${status.verdict === 'verified' ? paint.green(verdict) : paint.red(verdict)}${fields`  (${status.bundle.path})`}`);
  lines.push(fields`  manifest sha256 ${manifest.digest}`);
  lines.push(fields`  board: ${policy.board}, version ${policy.version}, policy sha256 ${policy.digest}`);

  lines.push('', paint.bold('Rules'));
  for (const rule of evaluation.rules) {
    lines.push(`  ${rule.met ? paint.green('✓') : paint.red('✗')}${fields` ${rule.summary}`}`);
    for (const detail of rule.details) lines.push(fields`      ${detail}`);
  }

  lines.push('', paint.bold('Seats'));
  if (evaluation.seats.length === 0) lines.push('  (no role is required)');
  lines.push(
    ...alignColumns(
      evaluation.seats.map((seat) => [fields`${seat.role} #${seat.seat}:`, fields`${seat.filledBy ?? 'empty'}`]),
      { indent: '  ', paintCell: (row, column, text) => (column === 1 && evaluation.seats[row]?.filledBy === null ? paint.yellow(text) : text) },
    ),
  );

  lines.push('', paint.bold('Approvals'));
  if (evaluation.approvals.length === 0) lines.push('  (none)');
  const rows = evaluation.approvals.map((approval) => {
    const who = approval.reviewerName ?? approval.reviewerKeyId ?? 'unknown reviewer';
    const what = approval.decision ? `${approval.decision}${approval.role ? ` as ${approval.role}` : ''}` : 'unreadable';
    return [fields`${approval.outcome}`, fields`${who}:`, fields`${what}`, fields`${approval.reviewedAt ? `at ${approval.reviewedAt}` : ''}`, fields`(${approval.file ?? '-'})`];
  });
  const aligned = alignColumns(rows, {
    indent: '  ',
    paintCell: (row, column, text) => {
      if (column !== 0) return text;
      const outcome = evaluation.approvals[row]?.outcome;
      return outcome === 'counted' ? paint.green(text) : outcome === 'rejection' ? paint.red(text) : paint.yellow(text);
    },
  });
  evaluation.approvals.forEach((approval, index) => {
    lines.push(aligned[index] ?? '');
    if (approval.outcome !== 'counted') lines.push(fields`      ${approval.reason}`);
  });
  return lines.join('\n');
}

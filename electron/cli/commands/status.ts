import { parseArgs } from 'node:util';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { formatApprovalStatus } from '../format-approvals';
import { createProgressPrinter } from '../progress';
import { fields, jsonText } from '../../../shared/text/neutralise';
import { durationSeconds } from './board';
import { writeOut } from '../output';
import { stdoutPaint } from '../colour';

export const statusUsage = `countersign status <bundle> [--board <board.json>] [--json] [--max-ratio <n>] [--data-dir <dir>]

  Verifies the bundle and judges its approvals against the board's rules (FORMATS §6): every
  rule met or not, who fills which role seat, and what became of each approval.
  --board <file>   judge under this board policy file alone, with the bundle's approvals/ only;
                   the profile is not read or written. Without it: the profile's board policy,
                   with the approvals imported into the profile for the same manifest.
  --board-repo     judge under the policy in force on the board shared through git (countersign
                   board clone), with the decisions published there and the bundle's; notices that
                   re-open the release are applied and listed
  --max-age <d>    with --board-repo: say so when the last sync, or a member's log head, is older
                   than this (90s, 30m, 12h, 7d): the answer may miss newer decisions
  --json           print the full evaluation as JSON
  ${maxRatioUsage}
  Exit: 0 approved, 1 not (yet) approved (or blocked), 2 unreadable or hostile input, an invalid
  manifest or board policy, or a usage error.`;

export async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, 'board-repo': { type: 'boolean' }, 'max-age': { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...maxRatioOption },
  });
  if (positionals.length !== 1) throw new UsageError(`status takes one bundle path.\n\n${statusUsage}`);
  const bundlePath = positionals[0]!;
  if (values['board-repo']) return statusFromBoardRepo(bundlePath, values);
  if (values['max-age'] !== undefined) throw new UsageError(`--max-age goes with --board-repo.\n\n${statusUsage}`);

  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    const status = await withDispatcher({ dataDir: values['data-dir'], board: values.board, onProgress: progress?.update }, async (call) => {
      const { sessionId } = await call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
      return call('approvals.evaluate', { sessionId });
    });
    progress?.done();
    writeOut((values.json ? jsonText(status) : formatApprovalStatus(status, stdoutPaint())) + '\n');
    return status.evaluation.approved ? ExitCode.ok : ExitCode.failed;
  } finally {
    progress?.done();
  }
}

async function statusFromBoardRepo(bundlePath: string, values: { json?: boolean | undefined; 'data-dir'?: string | undefined; 'max-age'?: string | undefined; board?: string | undefined; 'max-ratio'?: string | undefined }): Promise<number> {
  if (values.board !== undefined) throw new UsageError(`--board and --board-repo are two sources of the policy: give one.\n\n${statusUsage}`);
  const maxAgeSeconds = values['max-age'] === undefined ? null : durationSeconds(values['max-age']);
  const result = await withDispatcher({ dataDir: values['data-dir'] }, async (call) => {
    const { sessionId } = await call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
    return call('board.evaluate', { sessionId, jobId: CLI_JOB, maxAgeSeconds });
  });
  const lines = [formatApprovalStatus(result.status)];
  for (const notice of result.notices) lines.push(fields`Re-opened by ${notice.issuer}'s notice against ${notice.target} (${notice.issuedAt}): ${notice.reason}`);
  if (result.stale) lines.push(`The last board sync (${result.lastSync ?? 'never'}) is older than --max-age: run countersign board sync.`);
  for (const member of result.staleLogs) lines.push(fields`${member}'s log head was not cosigned within --max-age.`);
  writeOut((values.json ? jsonText(result) : lines.join('\n')) + '\n');
  return result.status.evaluation.approved && !result.stale ? ExitCode.ok : ExitCode.failed;
}

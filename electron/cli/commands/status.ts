import { parseArgs } from 'node:util';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { formatApprovalStatus } from '../format-approvals';
import { createProgressPrinter } from '../progress';
import { jsonText } from '../../../shared/text/neutralise';
import { writeOut } from '../output';
import { stdoutPaint } from '../colour';

export const statusUsage = `countersign status <bundle> [--board <board.json>] [--json] [--max-ratio <n>] [--data-dir <dir>]

  Verifies the bundle and judges its approvals against the board's rules (FORMATS §6): every
  rule met or not, who fills which role seat, and what became of each approval.
  --board <file>   judge under this board policy file alone, with the bundle's approvals/ only;
                   the profile is not read or written. Without it: the profile's board policy,
                   with the approvals imported into the profile for the same manifest.
  --json           print the full evaluation as JSON
  ${maxRatioUsage}
  Exit: 0 approved, 1 not (yet) approved (or blocked), 2 unreadable or hostile input, an invalid
  manifest or board policy, or a usage error.`;

export async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...maxRatioOption },
  });
  if (positionals.length !== 1) throw new UsageError(`status takes one bundle path.\n\n${statusUsage}`);
  const bundlePath = positionals[0]!;

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

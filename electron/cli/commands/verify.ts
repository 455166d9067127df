import { parseArgs } from 'node:util';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { formatReport } from '../format-report';
import { createProgressPrinter } from '../progress';
import { assertNever } from '../../../shared/util/assert-never';
import { jsonText } from '../../../shared/text/neutralise';
import { writeOut } from '../output';
import { stdoutPaint } from '../colour';

export const verifyUsage = `countersign verify <bundle> [--board <board.json>] [--json] [--all] [--max-ratio <n>] [--data-dir <dir>]

  Checks every signature and every blob hash of a bundle (a directory, .tar, .tar.gz, .tgz or .zip).
  --board <file>   trust comes from this board policy alone; the profile is not read or written
  --json           print the full report as JSON
  --all            list every subject, not only the failing ones
  ${maxRatioUsage}
  Exit: 0 verified, 1 verification failed (tampered, untrusted, bad signature), 2 unreadable or hostile input, or usage error.`;

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...maxRatioOption },
  });
  if (positionals.length !== 1) throw new UsageError(`verify takes one bundle path.\n\n${verifyUsage}`);
  const bundlePath = positionals[0]!;

  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    const opened = await withDispatcher({ dataDir: values['data-dir'], board: values.board, onProgress: progress?.update }, (call) =>
      call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) }),
    );
    const report = opened.report;
    if (report === null) throw new UsageError(`${bundlePath} is a lineage file, not a bundle: there is nothing to verify.`);
    progress?.done();
    writeOut((values.json ? jsonText(report) : formatReport(report, { allSubjects: values.all ?? false, paint: stdoutPaint() })) + '\n');
    switch (report.verdict) {
      case 'verified':
        return ExitCode.ok;
      case 'tampered':
      case 'untrusted':
        return ExitCode.failed;
      case 'invalid':
        return ExitCode.badInput;
      default:
        return assertNever(report.verdict);
    }
  } finally {
    progress?.done();
  }
}

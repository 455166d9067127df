import { parseArgs } from 'node:util';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { formatReleaseComparison } from '../format-compare';
import { jsonText } from '../../../shared/text/neutralise';
import { writeOut } from '../output';

export const compareUsage = `countersign compare <old bundle> <new bundle> [--json] [--board <board.json>] [--max-ratio <n>] [--data-dir <dir>]

  What a new release changes against an old one: subjects added, removed and re-pinned (old and
  new digests), kind changes, environment changes (seed, hardware, tolerance, lock files,
  container digests, code commit), lineage nodes and edges added or removed, and which review
  seats that concerns. Compares what the two manifests pin: no blob is hashed (verify checks those).
  --board <file>   judge the signatures under this board policy file alone; the profile is not read or written
  --json           print the full comparison as JSON
  ${maxRatioUsage}
  Exit: 0 identical pins, 1 differences, 2 unreadable or hostile input, a missing or invalid
  manifest, or a usage error.`;

export async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...maxRatioOption },
  });
  if (positionals.length !== 2) throw new UsageError(`compare takes an old and a new bundle path.\n\n${compareUsage}`);
  const [oldPath, newPath] = positionals as [string, string];

  const comparison = await withDispatcher({ dataDir: values['data-dir'], board: values.board }, async (call) => {
    const open = async (path: string) => {
      const opened = await call('session.open', { path, jobId: CLI_JOB, verify: false, ...maxRatioOf(values['max-ratio']) });
      if (opened.kind !== 'bundle') throw new UsageError(`${path} is a lineage file, not a bundle: there is no release to compare.`);
      return opened.sessionId;
    };
    const oldSessionId = await open(oldPath);
    const newSessionId = await open(newPath);
    return call('release.compare', { oldSessionId, newSessionId });
  });
  writeOut((values.json ? jsonText(comparison) : formatReleaseComparison(comparison)) + '\n');
  return comparison.identical ? ExitCode.ok : ExitCode.failed;
}

import { parseArgs } from 'node:util';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { formatDeploymentDiff } from '../format-deployment';
import { jsonText } from '../../../shared/text/neutralise';
import { writeOut } from '../output';
import { stdoutPaint } from '../colour';

export const diffUsage = `countersign diff <bundle> [<deployment file>] [--board <board.json>] [--json] [--all] [--max-ratio <n>] [--data-dir <dir>]

  Diffs the release manifest against a proposed deployment: deployment.json (FORMATS §8) or
  Kubernetes YAML. Without a deployment file, the bundle's own deployment.json, deployment.yaml
  or *.k8s.yaml is used. Deployable only when every deployed artifact matches the manifest's
  digest and the release is approved under the board policy.
  --board <file>   judge approvals under this board policy alone; the profile is not read or written
                   (without it: the profile's imported board policy, and the approvals kept there)
  --json           print the full diff as JSON
  --all            list every row, not only the ones that differ
  ${maxRatioUsage}
  Exit: 0 deployable, 1 blocked, 2 unreadable or hostile input, or usage error.`;

export async function diffCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...maxRatioOption },
  });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(`diff takes a bundle path and, optionally, a deployment file.\n\n${diffUsage}`);
  const [bundlePath, deploymentPath] = positionals as [string, string | undefined];

  const diff = await withDispatcher({ dataDir: values['data-dir'], board: values.board }, async (call) => {
    const { sessionId } = await call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
    return call('deployment.diff', { sessionId, ...(deploymentPath !== undefined ? { deploymentPath } : {}) });
  });
  writeOut((values.json ? jsonText(diff) : formatDeploymentDiff(diff, { all: values.all ?? false, paint: stdoutPaint() })) + '\n');
  return diff.verdict === 'deployable' ? ExitCode.ok : ExitCode.failed;
}

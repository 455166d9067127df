import { parseArgs } from 'node:util';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { formatDeploymentDiff } from '../format-deployment';
import { fields, jsonText } from '../../../shared/text/neutralise';
import { durationSeconds } from './board';
import { writeOut } from '../output';
import { stdoutPaint } from '../colour';

export const diffUsage = `countersign diff <bundle> [<deployment file>] [--board <board.json> | --board-repo [--max-age <d>]] [--json] [--all] [--max-ratio <n>] [--data-dir <dir>]

  Diffs the release manifest against a proposed deployment: deployment.json (FORMATS §8) or
  Kubernetes YAML. Without a deployment file, the bundle's own deployment.json, deployment.yaml
  or *.k8s.yaml is used. Deployable only when every deployed artifact matches the manifest's
  digest and the release is approved under the board policy.
  --board <file>   judge approvals under this board policy alone; the profile is not read or written
                   (without it: the profile's imported board policy, and the approvals kept there)
  --board-repo     judge approvals under the board shared through git (countersign board clone): the
                   policy in force there, the decisions published there, the notices re-opening it
  --max-age <d>    with --board-repo: blocked when the last board sync is older (90s, 30m, 12h, 7d)
  --json           print the full diff as JSON
  --all            list every row, not only the ones that differ
  ${maxRatioUsage}
  Exit: 0 deployable, 1 blocked, 2 unreadable or hostile input, or usage error.`;

export async function diffCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, 'board-repo': { type: 'boolean' }, 'max-age': { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...maxRatioOption },
  });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(`diff takes a bundle path and, optionally, a deployment file.\n\n${diffUsage}`);
  const [bundlePath, deploymentPath] = positionals as [string, string | undefined];

  const underBoardRepo = values['board-repo'] === true;
  if (underBoardRepo && values.board !== undefined) throw new UsageError(`give --board <file> or --board-repo, not both.\n\n${diffUsage}`);
  if (!underBoardRepo && values['max-age'] !== undefined) throw new UsageError(`--max-age goes with --board-repo.\n\n${diffUsage}`);
  const maxAgeSeconds = values['max-age'] === undefined ? null : durationSeconds(values['max-age']);

  const { diff, onBoard } = await withDispatcher({ dataDir: values['data-dir'], board: values.board }, async (call) => {
    const { sessionId } = await call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
    const diff = await call('deployment.diff', { sessionId, ...(deploymentPath !== undefined ? { deploymentPath } : {}), ...(underBoardRepo ? { underBoardRepo } : {}) });
    // Freshness and notices of the board: the diff alone cannot say that the answer may be old.
    const onBoard = underBoardRepo ? await call('board.evaluate', { sessionId, jobId: CLI_JOB, maxAgeSeconds }) : null;
    return { diff, onBoard };
  });
  const lines = [values.json ? jsonText(onBoard === null ? diff : { ...diff, board: { notices: onBoard.notices, lastSync: onBoard.lastSync, stale: onBoard.stale, staleLogs: onBoard.staleLogs } }) : formatDeploymentDiff(diff, { all: values.all ?? false, paint: stdoutPaint() })];
  if (onBoard !== null && !values.json) {
    for (const notice of onBoard.notices) lines.push(fields`Re-opened by a notice of ${notice.issuer} against ${notice.target}: ${notice.reason}`);
    if (onBoard.stale) lines.push(`The last board sync (${onBoard.lastSync ?? 'never'}) is older than --max-age: run countersign board sync.`);
    for (const member of onBoard.staleLogs) lines.push(fields`${member}'s log head was not cosigned within --max-age.`);
  }
  writeOut(lines.join('\n') + '\n');
  return diff.verdict === 'deployable' && onBoard?.stale !== true ? ExitCode.ok : ExitCode.failed;
}

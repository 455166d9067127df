import { parseArgs } from 'node:util';
import type { Reproduction } from '../../../shared/api/commands/release-cosign-commands';
import { digestText } from '../../../shared/compare/compare-releases';
import { fields, jsonText } from '../../../shared/text/neutralise';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { writeOut } from '../output';
import { createProgressPrinter } from '../progress';

export const releaseReproduceUsage = `countersign release reproduce <original bundle> <rebuilt bundle> [--json] [--board <board.json>] [--max-ratio <n>] [--data-dir <dir>]

  Is the rebuilt release an equivalent rerun of the original? Both bundles are verified (every
  blob hashed), then compared pin by pin: code, datasets, features, lock files and containers
  must be identical, and the seed the same, and neither built from a dirty work tree; models and
  hardware may differ and are reported. The evaluation metrics (predicate.evaluation.metrics) are
  judged against the original's tolerance (predicate.tolerance {metric, maxDelta}); without one,
  the metrics both record must be identical.
  --board <file>   verify under this board policy file alone; the profile is not read or written
  --json           print the full judgement as JSON
  ${maxRatioUsage}
  Exit: 0 equivalent, 1 not equivalent (every reason listed), 2 unreadable or hostile input, a
  missing or invalid manifest, or a usage error.`;

export async function releaseReproduceCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...maxRatioOption },
  });
  if (positionals.length !== 2) throw new UsageError(`release reproduce takes the original and the rebuilt bundle paths.\n\n${releaseReproduceUsage}`);
  const [originalPath, rebuiltPath] = positionals as [string, string];
  const progress = values.json ? null : createProgressPrinter(process.stderr);
  let reproduction: Reproduction;
  try {
    reproduction = await withDispatcher({ dataDir: values['data-dir'], board: values.board, onProgress: progress?.update }, async (call) => {
      const open = async (path: string) => {
        const opened = await call('session.open', { path, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
        if (opened.kind !== 'bundle') throw new UsageError(`${path} is a lineage file, not a bundle: there is no release to reproduce.`);
        return opened.sessionId;
      };
      const originalSessionId = await open(originalPath);
      const rebuiltSessionId = await open(rebuiltPath);
      return call('release.reproduce', { originalSessionId, rebuiltSessionId, jobId: CLI_JOB });
    });
  } finally {
    progress?.done();
  }
  writeOut((values.json ? jsonText(reproduction) : formatReproduction(reproduction)) + '\n');
  return reproduction.equivalent ? ExitCode.ok : ExitCode.failed;
}

export function formatReproduction(reproduction: Reproduction): string {
  const side = (label: string, release: Reproduction['original']) =>
    fields`  ${label} ${release.release ?? '(unnamed release)'}  manifest sha256 ${release.manifestDigest}  (${release.verdict})`;
  const lines = [reproduction.equivalent ? 'EQUIVALENT' : 'NOT EQUIVALENT', side('original:', reproduction.original), side('rebuilt: ', reproduction.rebuilt)];
  if (reproduction.reasons.length > 0) lines.push('', 'Why not:', ...reproduction.reasons.map((reason) => fields`  - ${reason}`));
  const allowed = reproduction.pins.filter((pin) => !pin.required);
  if (allowed.length > 0) {
    lines.push('', 'Differs, allowed for a rerun:');
    for (const pin of allowed) lines.push(fields`  ~ ${pin.name} (${pin.kind ?? 'no kind'}) ${pin.change}${pin.original ? `  original ${digestText(pin.original)}` : ''}${pin.rebuilt ? `  rebuilt ${digestText(pin.rebuilt)}` : ''}`);
  }
  if (reproduction.hardware.length > 0) {
    lines.push('', 'Hardware (may differ):');
    for (const field of reproduction.hardware) lines.push(fields`  ${field.field}: ${field.original ?? '(none)'} → ${field.rebuilt ?? '(none)'}`);
  }
  const otherEnvironment = reproduction.environment.filter((field) => !field.required);
  if (otherEnvironment.length > 0) {
    lines.push('', 'Other environment fields that differ:');
    for (const field of otherEnvironment) lines.push(fields`  ${field.field}: ${field.original ?? '(none)'} → ${field.rebuilt ?? '(none)'}`);
  }
  if (reproduction.metrics.length > 0) {
    lines.push('', 'Metrics:');
    for (const metric of reproduction.metrics) {
      const judged = metric.within === null ? 'not judged' : metric.within ? `within ±${String(metric.maxDelta)}` : `OUTSIDE ±${String(metric.maxDelta)}`;
      lines.push(fields`  ${metric.metric}: ${String(metric.original ?? '(none)')} → ${String(metric.rebuilt ?? '(none)')}  ${judged}`);
    }
  }
  return lines.join('\n');
}

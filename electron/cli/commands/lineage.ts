import { parseArgs } from 'node:util';
import type { ImpactReport, LineageGraphResult } from '../../../shared/api/commands/lineage-commands';
import { impactCsv } from '../../../shared/lineage/impact-csv';
import { MAX_LINEAGE_PATHS, MAX_LINEAGE_PATH_EDGES } from '../../../shared/lineage/lineage-paths';
import { withDispatcher } from '../cli-dispatcher';

type LineageNode = LineageGraphResult['nodes'][number];
import { ExitCode, UsageError } from '../exit-codes';

export const lineageUsage = `countersign lineage impact|path <bundle or lineage file> ...

  countersign lineage impact <bundle or lineage file> --node <id> [--upstream] [--json | --csv]
      Everything downstream of a node (upstream with --upstream), nearest first: each node's
      distance in hops, kind, linked subject, and the releases, approvals and deployments that pin it.
  countersign lineage path <bundle or lineage file> --from <id> --to <id> [--json]
      The paths between two nodes, shortest first: at most ${MAX_LINEAGE_PATHS} paths of at most ${MAX_LINEAGE_PATH_EDGES} edges.

  A bundle is a directory, .tar, .tar.gz, .tgz, .zip or .csbundle; its lineage.json, *.openlineage.json,
  *.openlineage.jsonl and dvc.lock merge into one graph. A lineage file is read on its own:
  dvc.lock, *.openlineage.json or *.jsonl (OpenLineage events), any other .json (native lineage).
  Exit: 0 done (impact: even when nothing is affected), 1 no path: the second node is not downstream of the first,
        2 unreadable or invalid lineage (bad file, unknown edge id, cycle), unknown node id, or usage error.`;

export async function lineageCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'impact') return impactCommand(rest);
  if (subcommand === 'path') return pathCommand(rest);
  throw new UsageError(`lineage takes "impact" or "path"${subcommand === undefined ? '' : `, not "${subcommand}"`}.\n\n${lineageUsage}`);
}

async function impactCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { node: { type: 'string' }, upstream: { type: 'boolean' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  const source = onePath(positionals, 'impact');
  if (values.node === undefined) throw new UsageError(`lineage impact needs --node <id>.\n\n${lineageUsage}`);
  if (values.json && values.csv) throw new UsageError('lineage impact takes --json or --csv, not both.');
  const node = values.node;
  const { report, graph } = await withDispatcher({ dataDir: values['data-dir'] }, async (call) => {
    const { sessionId } = await call('session.open', { path: source, verify: false });
    const report = await call('lineage.impact', { sessionId, nodeId: node, direction: values.upstream ? 'upstream' : 'downstream' });
    return { report, graph: values.json || values.csv ? null : await call('lineage.graph', { sessionId }) };
  });
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (values.csv) process.stdout.write(impactCsv(report));
  else process.stdout.write(formatImpact(report, graph!.nodes.find((candidate) => candidate.id === report.root)!));
  return ExitCode.ok;
}

async function pathCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  const source = onePath(positionals, 'path');
  if (values.from === undefined || values.to === undefined) throw new UsageError(`lineage path needs --from <id> and --to <id>.\n\n${lineageUsage}`);
  const from = values.from;
  const to = values.to;
  const found = await withDispatcher({ dataDir: values['data-dir'] }, async (call) => {
    const { sessionId } = await call('session.open', { path: source, verify: false });
    return call('lineage.path', { sessionId, from, to });
  });
  if (values.json) process.stdout.write(JSON.stringify(found, null, 2) + '\n');
  else process.stdout.write(formatPaths(found, values.from, values.to));
  return found.paths.length > 0 || found.truncated ? ExitCode.ok : ExitCode.failed;
}

function onePath(positionals: string[], subcommand: string): string {
  if (positionals.length !== 1) throw new UsageError(`lineage ${subcommand} takes one bundle or lineage file.\n\n${lineageUsage}`);
  return positionals[0]!;
}

function formatImpact(report: ImpactReport, root: LineageNode): string {
  const lines = [`${report.affected.length} node${report.affected.length === 1 ? '' : 's'} ${report.direction} of ${root.id} (${root.kind} "${root.name}")`];
  for (const node of report.affected) {
    const details = [
      node.subject === null ? null : `subject ${node.subject}`,
      node.releases.length === 0 ? null : `releases ${node.releases.join(', ')}`,
      node.approvals === 0 ? null : `${node.approvals} approval${node.approvals === 1 ? '' : 's'}`,
      node.deployments.length === 0 ? null : `deployed to ${node.deployments.join(', ')}`,
    ].filter((detail) => detail !== null);
    lines.push(`  ${String(node.degree).padStart(3)}  ${node.kind.padEnd(10)} ${node.id}  "${node.name}"${details.length > 0 ? `  (${details.join('; ')})` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function formatPaths(found: { paths: string[][]; truncated: boolean }, from: string, to: string): string {
  if (found.paths.length === 0) {
    return found.truncated
      ? `${to} is downstream of ${from}, but only by paths longer than ${MAX_LINEAGE_PATH_EDGES} edges.\n`
      : `No path from ${from} to ${to}: ${to} is not downstream of ${from}.\n`;
  }
  const lines = found.paths.map((path) => `${String(path.length - 1).padStart(3)} hops: ${path.join(' → ')}`);
  if (found.truncated) lines.push(`(more paths exist: the first ${found.paths.length} shortest are shown)`);
  return lines.join('\n') + '\n';
}

import { parseArgs } from 'node:util';
import type { BoardStatus, BoardSyncResult, BoardVerification } from '../../../shared/api/contract';
import { fields, jsonText } from '../../../shared/text/neutralise';
import { CLI_JOB, withDispatcher, type CliCall } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { writeOut } from '../output';
import { readPassphrase } from '../passphrase';
import { readTextFile } from '../read-text-file';

const MAX_BOARD_POLICY_BYTES = 4 * 1024 * 1024;

export const boardUsage = `countersign board init|clone|sync|status|publish|propose|endorse|revoke|notice|verify [options] [--json] [--data-dir <dir>]

  countersign board init <remote> --board <board.json> --key <key-id>
      create the board on an empty git remote, with this policy as its first version (its genesis)
  countersign board clone <remote> [--genesis sha256:<hex>]
      set this machine up on a board; without --genesis, a policy imported here serves as the pin,
      else the first policy is trusted on first use: compare the digest printed over another channel
  countersign board sync                     fetch, verify everything, restore what the remote lost,
                                             push the queue, this member's log head and cosignatures
  countersign board status                   the policy chain, members' logs and freshness, the queue,
                                             problems: as last accepted here (no network)
  countersign board publish <bundle>         put a release up for review (queued for the next sync)
  countersign board propose <board.json>     propose the next policy version, endorsed by this member
  countersign board endorse <policy digest>  endorse a proposed policy version
  countersign board revoke --self [--reason <text>]
                                             revoke this member's own key (when it is lost or stolen)
  countersign board notice (--node <lineage id> | --subject sha256:<hex>) --reason <text>
                                             re-open every release whose lineage or pins it reaches
  countersign board verify <remote> --genesis sha256:<hex> [--max-age <duration>] [--witnesses <n>]
                                             check a board from its remote alone (CI, auditors)

  The remote is any git remote (https, ssh, git, file). It is not trusted: every object is signed
  by a member and checked before use. Signing asks for the member key's passphrase (or reads
  COUNTERSIGN_PASSPHRASE). Durations: 90s, 30m, 12h, 7d.
  Exit: 0 synced or verified (offline is said, and is 0), 1 problems found, 2 bad input or usage.`;

export async function boardCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      board: { type: 'string' },
      key: { type: 'string' },
      genesis: { type: 'string' },
      self: { type: 'boolean' },
      reason: { type: 'string' },
      node: { type: 'string' },
      subject: { type: 'string' },
      'max-age': { type: 'string' },
      witnesses: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
  });
  const [action, ...operands] = positionals;
  const print = (json: unknown, human: string) => writeOut((values.json ? jsonText(json) : human) + '\n');
  const needs = (count: number, what: string) => {
    if (operands.length !== count) throw new UsageError(`board ${action ?? ''} takes ${what}.\n\n${boardUsage}`);
  };
  const run = <T>(work: (call: CliCall) => Promise<T>) => withDispatcher({ dataDir: values['data-dir'] }, work);
  const queued = (result: { queued: string[] }) => {
    print(result, `${result.queued.map((path) => fields`Queued ${path}`).join('\n')}\nRun \`countersign board sync\` to push it to the board.`);
    return ExitCode.ok;
  };

  switch (action) {
    case 'init': {
      needs(1, 'one remote');
      if (values.board === undefined || values.key === undefined) throw new UsageError(`board init needs --board <board.json> and --key <key-id>.\n\n${boardUsage}`);
      const boardText = await readTextFile(values.board, MAX_BOARD_POLICY_BYTES, 'The board policy file');
      const keyId = values.key;
      return run(async (call) => {
        await unlock(call, keyId);
        const result = await call('board.init', { remote: operands[0]!, boardText, keyId });
        print(result, `${fields`Created the board "${result.status.board}" on ${result.status.remote}`}\nGenesis: sha256:${result.status.genesis}\nGive this digest to every member: they clone with --genesis sha256:${result.status.genesis}`);
        return ExitCode.ok;
      });
    }
    case 'clone': {
      needs(1, 'one remote');
      const genesis = values.genesis === undefined ? null : digestOf(values.genesis, '--genesis');
      return run(async (call) => {
        const status = await call('board.clone', { remote: operands[0]!, genesis });
        print(status, formatClone(status));
        return status.problems.length > 0 ? ExitCode.failed : ExitCode.ok;
      });
    }
    case 'sync': {
      needs(0, 'no operand');
      return run(async (call) => {
        const before = await call('board.status', {});
        if (before.memberKeyId !== null && (await call('keys.list', {})).some((key) => key.keyId === before.memberKeyId)) await unlock(call, before.memberKeyId);
        const result = await call('board.sync', {});
        print(result, formatSync(result));
        return result.outcome === 'problems' ? ExitCode.failed : ExitCode.ok;
      });
    }
    case 'status': {
      needs(0, 'no operand');
      return run(async (call) => {
        const status = await call('board.status', {});
        print(status, formatStatus(status));
        return status.problems.length > 0 ? ExitCode.failed : ExitCode.ok;
      });
    }
    case 'publish': {
      needs(1, 'one bundle');
      return run(async (call) => {
        const { sessionId } = await call('session.open', { path: operands[0]!, jobId: CLI_JOB });
        try {
          return queued(await call('board.publish', { sessionId }));
        } finally {
          await call('session.close', { sessionId });
        }
      });
    }
    case 'propose': {
      needs(1, 'one board policy file');
      const boardText = await readTextFile(operands[0]!, MAX_BOARD_POLICY_BYTES, 'The board policy file');
      return run(async (call) => queued(await withMemberKey(call, () => call('board.propose', { boardText }))));
    }
    case 'endorse': {
      needs(1, 'one policy digest');
      const digest = digestOf(operands[0]!, 'the policy digest');
      return run(async (call) => queued(await withMemberKey(call, () => call('board.endorse', { digest }))));
    }
    case 'revoke': {
      needs(0, 'no operand');
      if (!values.self) throw new UsageError(`board revoke takes --self: a member revokes only their own key; revoking another's is a policy change (board propose).\n\n${boardUsage}`);
      const reason = values.reason ?? null;
      return run(async (call) => queued(await withMemberKey(call, () => call('board.revokeSelf', { reason }))));
    }
    case 'notice': {
      needs(0, 'no operand');
      if ((values.node === undefined) === (values.subject === undefined)) throw new UsageError(`board notice takes one of --node <lineage id> or --subject sha256:<hex>.\n\n${boardUsage}`);
      if (values.reason === undefined || values.reason.trim() === '') throw new UsageError(`board notice needs --reason <text>.\n\n${boardUsage}`);
      const target = values.node !== undefined ? { node: values.node } : { subject: digestOf(values.subject!, '--subject') };
      const reason = values.reason;
      return run(async (call) => queued(await withMemberKey(call, () => call('board.notice', { target, reason }))));
    }
    case 'verify': {
      needs(1, 'one remote');
      if (values.genesis === undefined) throw new UsageError(`board verify needs --genesis sha256:<hex>: a board is checked against the first policy its members agreed on.\n\n${boardUsage}`);
      const input = {
        remote: operands[0]!,
        genesis: digestOf(values.genesis, '--genesis'),
        maxAgeSeconds: values['max-age'] === undefined ? null : durationSeconds(values['max-age']),
        witnesses: values.witnesses === undefined ? null : count(values.witnesses, '--witnesses'),
      };
      return run(async (call) => {
        const result = await call('board.verify', input);
        print(result, formatVerification(result));
        return result.ok ? ExitCode.ok : ExitCode.failed;
      });
    }
    default:
      throw new UsageError(`board takes init, clone, sync, status, publish, propose, endorse, revoke, notice or verify.\n\n${boardUsage}`);
  }
}

async function unlock(call: CliCall, keyId: string): Promise<void> {
  const key = (await call('keys.list', {})).find((candidate) => candidate.keyId === keyId);
  if (key === undefined) throw new UsageError(`no key ${keyId} is held here (countersign keys list).`);
  await call('keys.unlock', { keyId, passphrase: await readPassphrase(`Passphrase for ${key.name} (${keyId})`) });
}

async function withMemberKey<T>(call: CliCall, work: () => Promise<T>): Promise<T> {
  const { memberKeyId } = await call('board.status', {});
  if (memberKeyId === null) throw new UsageError('no member key of this board is held here: this machine only reads the board.');
  await unlock(call, memberKeyId);
  try {
    return await work();
  } finally {
    await call('keys.lock', { keyId: memberKeyId });
  }
}

function digestOf(text: string, what: string): string {
  const match = /^(?:sha256:)?([0-9a-f]{64})$/.exec(text);
  if (match === null) throw new UsageError(`${what} is sha256:<64 lowercase hex digits>, not ${JSON.stringify(text.slice(0, 80))}.`);
  return match[1]!;
}

export function durationSeconds(text: string): number {
  const match = /^([1-9][0-9]{0,8})(s|m|h|d)$/.exec(text);
  if (match === null) throw new UsageError(`${JSON.stringify(text.slice(0, 40))} is not a duration: write 90s, 30m, 12h or 7d.`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

function count(text: string, what: string): number {
  if (!/^(0|[1-9][0-9]{0,3})$/.test(text)) throw new UsageError(`${what} takes a whole number, not ${JSON.stringify(text.slice(0, 40))}.`);
  return Number(text);
}

function formatClone(status: BoardStatus): string {
  const pin =
    status.pinnedBy === 'first-use'
      ? `Trusted on first use. Compare this digest with a member over another channel (in person, a call):\n  sha256:${status.genesis}`
      : `Pinned ${status.pinnedBy === 'genesis-flag' ? 'by --genesis' : 'by the board policy imported here'}: sha256:${status.genesis}`;
  const members = status.members.map((member) => fields`  ${member.name} (${member.roles.join(', ')})  ${member.keyIds.join(' ')}`).join('\n');
  const me = status.memberName === null ? 'This machine holds no member key: it reads the board.' : fields`This machine publishes as ${status.memberName} (${status.memberKeyId ?? ''}).`;
  return `${fields`Board "${status.board}", policy version ${String(status.chain[status.chain.length - 1]?.version ?? '?')}`}\n${pin}\nMembers:\n${members}\n${me}${formatProblems(status.problems)}`;
}

function formatSync(result: BoardSyncResult): string {
  const head =
    result.outcome === 'offline'
      ? result.detail != null
        ? fields`Offline: ${result.detail}`
        : `Offline: the remote cannot be reached. ${result.status.queue.length} object(s) wait in the queue; nothing is lost.`
      : `${result.outcome === 'synced' ? 'Synced' : 'Synced, with problems'}: ${result.published.length} published, ${result.cosigned.length} log head(s) cosigned, ${result.restored.length} restored (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}).`;
  // What the sync found on the remote (restored files, refused objects) comes first; the status after it may list more.
  const found = new Set(result.problems.map((problem) => problem.message));
  return `${head}\n${formatStatus({ ...result.status, problems: [...result.problems, ...result.status.problems.filter((problem) => !found.has(problem.message))] })}`;
}

function formatStatus(status: BoardStatus): string {
  const lines = [fields`Board "${status.board}" on ${status.remote}`];
  lines.push(`Policy: ${status.chain.map((link) => (link.endorsedBy.length === 0 ? `v${link.version} (genesis)` : fields`v${String(link.version)} (endorsed by ${link.endorsedBy.join(', ')})`)).join(' -> ')}`);
  for (const proposal of status.pending) {
    lines.push(fields`Proposed: v${String(proposal.version)} (sha256:${proposal.digest.slice(0, 16)}…), endorsed by ${proposal.endorsedBy.join(', ')}: ${String(proposal.endorsedBy.length)} of the ${String(proposal.needed)} needed`);
  }
  lines.push(`Last sync: ${status.lastSync === null ? 'never' : `${status.lastSync.at} (${status.lastSync.outcome})`}`);
  lines.push(`Queue: ${status.queue.length === 0 ? 'empty' : `${status.queue.length} waiting`}`);
  lines.push('Member logs:');
  for (const log of status.logs) {
    lines.push(fields`  ${log.memberName}: ${String(log.size)} entr${log.size === 1 ? 'y' : 'ies'}, cosigned by ${log.cosigners.length === 0 ? 'nobody yet' : log.cosigners.map((c) => c.name).join(', ')}${log.lastCosignedAt === null ? '' : ` (latest ${log.lastCosignedAt})`}`);
  }
  if (status.releases.length > 0) lines.push('Releases:');
  for (const release of status.releases) {
    const reopened = release.reopenedBy.length > 0 ? `, re-opened by ${release.reopenedBy.length} notice${release.reopenedBy.length === 1 ? '' : 's'}` : '';
    lines.push(fields`  ${release.name ?? '?'}@${release.version ?? '?'}  sha256:${release.manifestDigest.slice(0, 16)}…  ${String(release.decisions)} decision${release.decisions === 1 ? '' : 's'}${reopened}`);
  }
  for (const notice of status.notices) lines.push(fields`Notice by ${notice.issuer} against ${notice.target}: ${notice.reason}`);
  for (const revoked of status.revoked) lines.push(fields`Revoked: ${revoked.keyId} (${revoked.revokedAt})`);
  return lines.join('\n') + formatProblems(status.problems);
}

function formatProblems(problems: readonly { message: string }[]): string {
  return problems.length === 0 ? '' : `\nProblems:\n${problems.map((p) => fields`  - ${p.message}`).join('\n')}`;
}

function formatVerification(result: BoardVerification): string {
  const lines = [result.ok ? fields`VERIFIED: board "${result.board ?? ''}", policy version ${String(result.policyVersion ?? '?')}` : 'NOT VERIFIED'];
  for (const log of result.logs) {
    const flags = [log.stale ? 'not cosigned recently enough' : null, log.underWitnessed ? 'too few witnesses' : null].filter((flag) => flag !== null);
    lines.push(fields`  ${log.memberName}: size ${String(log.size)}, ${String(log.witnesses)} witness(es)${log.lastCosignedAt === null ? '' : `, latest ${log.lastCosignedAt}`}${flags.length > 0 ? ` - ${flags.join(', ')}` : ''}`);
  }
  return lines.join('\n') + formatProblems(result.problems);
}

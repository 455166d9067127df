import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DECISIONS, type Decision } from '../../../shared/approvals/approval-statement';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { readPassphrase } from '../passphrase';
import { createProgressPrinter } from '../progress';
import { jsonText } from '../../../shared/text/neutralise';
import { writeOut } from '../output';

export const approveUsage = `countersign approve <bundle> (--key <key-id> | --ssh-agent <key-id>) --decision approve|reject|abstain --role <role> [--comment <text>] [--condition <text>]... [--expires <time>] [--board <board.json>] [--out <file>] [--json] [--max-ratio <n>] [--data-dir <dir>]

  Signs an approval of the bundle's release (FORMATS §5) with a key held in the profile, bound to
  the manifest's digest and the board policy's digest. The key's passphrase is asked on the
  terminal, or read from COUNTERSIGN_PASSPHRASE.
  --ssh-agent <key-id>  sign with this Ed25519 key held by the ssh-agent at SSH_AUTH_SOCK (a key
                   on a hardware token or never exported): no passphrase is asked, the key never
                   leaves the agent; key-id is its SHA256 fingerprint (ssh-add -l)
  --board <file>   make it under this board policy, and verify the release under it alone;
                   without it, the profile's board policy and trusted keys
  --out <file>     write the approval to this new file; without it, into the bundle's approvals/
                   (directory bundles; an archive needs --out)
  --expires <time> RFC 3339 UTC, e.g. 2027-02-01T00:00:00Z
  Approving a release that does not verify is refused; rejecting or abstaining is allowed.
  ${maxRatioUsage}
  Exit: 0 written, 1 refused (the release does not verify, or the key or role cannot approve under
  this board), 2 unreadable input, wrong passphrase, unknown key, or a usage error.`;

export async function approveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'ssh-agent': { type: 'string' },
      decision: { type: 'string' },
      role: { type: 'string' },
      comment: { type: 'string' },
      condition: { type: 'string', multiple: true },
      expires: { type: 'string' },
      board: { type: 'string' },
      out: { type: 'string' },
      'board-repo': { type: 'boolean' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      ...maxRatioOption,
    },
  });
  if (positionals.length !== 1) throw new UsageError(`approve takes one bundle path.\n\n${approveUsage}`);
  const bundlePath = positionals[0]!;
  if ((values.key === undefined) === (values['ssh-agent'] === undefined)) throw new UsageError(`approve needs one of --key <key-id> and --ssh-agent <key-id>.\n\n${approveUsage}`);
  const viaAgent = values['ssh-agent'] !== undefined;
  const keyId = required(values.key ?? values['ssh-agent'], viaAgent ? '--ssh-agent <key-id>' : '--key <key-id>');
  const decision = parseDecision(required(values.decision, '--decision approve|reject|abstain'));
  const role = required(values.role, '--role <role>');
  if (values.out === undefined && !(await isDirectory(bundlePath))) {
    throw new UsageError(`${bundlePath} is not a bundle directory: an approval cannot be saved into an archive; give --out <file>.`);
  }

  if (values['board-repo'] && values.board !== undefined) throw new UsageError('give --board <file> or --board-repo, not both: an approval for the board is made under the policy in force there.');
  // For the board, the approval is made under the policy in force there, not the profile's.
  const boardPolicy = values['board-repo']
    ? await withDispatcher({ dataDir: values['data-dir'] }, async (call) => {
        const inForce = await call('board.policyInForce', {});
        return { bytes: new TextEncoder().encode(inForce.text), label: `the board's policy version ${inForce.version}` };
      })
    : undefined;
  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    return await withDispatcher({ dataDir: values['data-dir'], board: values.board, boardPolicy, onProgress: progress?.update }, async (call) => {
      const key = viaAgent ? { name: `the ssh-agent key` } : (await call('keys.list', {})).find((candidate) => candidate.keyId === keyId);
      if (key === undefined) throw new UsageError(`no key ${keyId} in this profile (see countersign keys list).`);
      const { sessionId } = await call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
      progress?.done();
      if (!viaAgent) await call('keys.unlock', { keyId, passphrase: await readPassphrase(`Passphrase for ${key.name} (${keyId})`) });
      try {
        const made = await call('approvals.approve', {
          sessionId,
          keyId,
          ...(viaAgent ? { sshAgent: true } : {}),
          decision,
          role,
          ...(values.comment !== undefined ? { comment: values.comment } : {}),
          ...(values.condition !== undefined ? { conditions: values.condition } : {}),
          ...(values.expires !== undefined ? { expiresAt: values.expires } : {}),
          saveToBundle: values.out === undefined,
          ...(values.out !== undefined ? { outFile: values.out } : {}),
        });
        const { evaluation } = made.status;
        const queued = values['board-repo'] ? (await call('board.queueApproval', { text: made.text })).queued : [];
        const forBoard = values['board-repo'] ? '\nQueued for the board: `countersign board sync` publishes it.' : '';
        const human = `Wrote ${decision} as ${role} by ${key.name} to ${made.file}\n${evaluation.approved ? 'The release is now APPROVED' : 'The release is NOT (yet) APPROVED'} (countersign status for the rules).${forBoard}`;
        writeOut((values.json ? jsonText({ file: made.file, status: made.status, queuedForBoard: queued }) : human) + '\n');
        return ExitCode.ok;
      } finally {
        if (!viaAgent) await call('keys.lock', { keyId });
      }
    });
  } finally {
    progress?.done();
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`approve needs ${flag}.\n\n${approveUsage}`);
  return value;
}

function parseDecision(value: string): Decision {
  const decision = DECISIONS.find((known) => known === value);
  if (decision === undefined) throw new UsageError(`--decision must be one of ${DECISIONS.join(', ')}, got "${value}".`);
  return decision;
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isDirectory();
  } catch {
    return true; // Let opening the bundle say what is wrong with it.
  }
}

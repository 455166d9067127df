import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DECISIONS, type Decision } from '../../../shared/approvals/approval-statement';
import { buildTrustContext } from '../../../shared/verify/trust';
import { makeApproval, type ApprovalContext } from '../../services/approvals/approval-service';
import { ProfileApprovals } from '../../services/approvals/profile-approvals';
import { createHashPool } from '../../services/hashing/hash-files';
import type { Store } from '../../services/store/store';
import { openProfile } from '../profile';
import { parseBoardPolicyBytes, readBoardPolicyFile } from '../../services/trust/board-file';
import { trustFromStore } from '../../services/trust/trust-sources';
import { runWithApprovalErrors } from '../approval-errors';
import { defaultDataDir } from '../data-dir';
import { ExitCode, UsageError } from '../exit-codes';
import { readPassphrase } from '../passphrase';
import { createProgressPrinter } from '../progress';

export const approveUsage = `countersign approve <bundle> --key <key-id> --decision approve|reject|abstain --role <role> [--comment <text>] [--condition <text>]... [--expires <time>] [--board <board.json>] [--out <file>] [--json] [--data-dir <dir>]

  Signs an approval of the bundle's release (FORMATS §5) with a key held in the profile, bound to
  the manifest's digest and the board policy's digest. The key's passphrase is asked on the
  terminal, or read from COUNTERSIGN_PASSPHRASE.
  --board <file>   make it under this board policy, and verify the release under it alone;
                   without it, the profile's board policy and trusted keys
  --out <file>     write the approval to this new file; without it, into the bundle's approvals/
                   (directory bundles; an archive needs --out)
  --expires <time> RFC 3339 UTC, e.g. 2027-02-01T00:00:00Z
  Approving a release that does not verify is refused; rejecting or abstaining is allowed.
  Exit: 0 written, 1 refused (the release does not verify, or the key or role cannot approve under
  this board), 2 unreadable input, wrong passphrase, unknown key, or a usage error.`;

export async function approveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      decision: { type: 'string' },
      role: { type: 'string' },
      comment: { type: 'string' },
      condition: { type: 'string', multiple: true },
      expires: { type: 'string' },
      board: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`approve takes one bundle path.\n\n${approveUsage}`);
  const bundlePath = positionals[0]!;
  const keyId = required(values.key, '--key <key-id>');
  const decision = parseDecision(required(values.decision, '--decision approve|reject|abstain'));
  const role = required(values.role, '--role <role>');
  if (values.out === undefined && !(await isDirectory(bundlePath))) {
    throw new UsageError(`${bundlePath} is not a bundle directory: an approval cannot be saved into an archive; give --out <file>.`);
  }

  const store = openProfile(values['data-dir'] ?? defaultDataDir());
  const hashPool = createHashPool();
  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    return await runWithApprovalErrors(async () => {
      const context = await approvalContext(store, values.board, hashPool);
      const key = store.keys.list().find((candidate) => candidate.keyId === keyId);
      if (key === undefined) throw new UsageError(`no key ${keyId} in this profile (see countersign keys list).`);
      store.keys.unlock(keyId, await readPassphrase(`Passphrase for ${key.name} (${keyId})`));
      const made = await makeApproval(
        bundlePath,
        {
          keyId,
          decision,
          role,
          ...(values.comment !== undefined ? { comment: values.comment } : {}),
          ...(values.condition !== undefined ? { conditions: values.condition } : {}),
          ...(values.expires !== undefined ? { expiresAt: values.expires } : {}),
          destination: values.out === undefined ? { kind: 'bundle' } : { kind: 'file', path: values.out },
        },
        {
          ...context,
          ...(progress ? { onProgress: progress.update } : {}),
          signer: {
            nameOf: (id) => (id === key.keyId ? key.name : null),
            isUnlocked: (id) => store.keys.isUnlocked(id),
            sign: (id, message) => store.keys.sign(id, message),
          },
          audit: store.audit,
          fileWrites: store.fileWrites,
        },
      );
      progress?.done();
      const { evaluation } = made.status;
      const human = `Wrote ${decision} as ${role} by ${key.name} to ${made.file}\n${evaluation.approved ? 'The release is now APPROVED' : 'The release is NOT (yet) APPROVED'} (countersign status for the rules).`;
      process.stdout.write((values.json ? JSON.stringify({ file: made.file, status: made.status }, null, 2) : human) + '\n');
      return ExitCode.ok;
    });
  } finally {
    store.keys.lock();
    progress?.done();
    await hashPool.close();
    store.close();
  }
}

/** With --board, that file is both the policy approved under and the only trust; else the profile's. */
async function approvalContext(store: Store, boardFile: string | undefined, hashPool: ApprovalContext['hashPool']): Promise<ApprovalContext> {
  if (boardFile !== undefined) {
    const board = await readBoardPolicyFile(boardFile);
    return { board, trust: buildTrustContext({ source: 'board-file', board: board.policy }), hashPool, profileApprovals: null };
  }
  const stored = store.boardPolicy.current();
  if (stored === null) throw new UsageError('this profile has no board policy: import one in the app, or give --board <board.json>.');
  const board = parseBoardPolicyBytes(stored.content, 'the stored board policy');
  return { board, trust: trustFromStore(store), hashPool, hashCache: store.hashCache, profileApprovals: new ProfileApprovals(store.db) };
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

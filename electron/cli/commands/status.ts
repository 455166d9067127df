import { parseArgs } from 'node:util';
import { evaluateApprovals, type ApprovalContext } from '../../services/approvals/approval-service';
import { ProfileApprovals } from '../../services/approvals/profile-approvals';
import { createHashPool } from '../../services/hashing/hash-files';
import { openProfile } from '../profile';
import { parseBoardPolicyBytes, readBoardPolicyFile } from '../../services/trust/board-file';
import { trustFromStore } from '../../services/trust/trust-sources';
import { buildTrustContext } from '../../../shared/verify/trust';
import { runWithApprovalErrors } from '../approval-errors';
import { defaultDataDir } from '../data-dir';
import { ExitCode, UsageError } from '../exit-codes';
import { formatApprovalStatus } from '../format-approvals';
import { createProgressPrinter } from '../progress';

export const statusUsage = `countersign status <bundle> [--board <board.json>] [--json] [--data-dir <dir>]

  Verifies the bundle and judges its approvals against the board's rules (FORMATS §6): every
  rule met or not, who fills which role seat, and what became of each approval.
  --board <file>   judge under this board policy file alone, with the bundle's approvals/ only;
                   the profile is not read or written. Without it: the profile's board policy,
                   with the approvals imported into the profile for the same manifest.
  --json           print the full evaluation as JSON
  Exit: 0 approved, 1 not (yet) approved (or blocked), 2 unreadable or hostile input, an invalid
  manifest or board policy, or a usage error.`;

export async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { board: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(`status takes one bundle path.\n\n${statusUsage}`);
  const bundlePath = positionals[0]!;

  const store = values.board ? null : openProfile(values['data-dir'] ?? defaultDataDir());
  const hashPool = createHashPool();
  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    return await runWithApprovalErrors(async () => {
      let context: ApprovalContext;
      if (store === null) {
        const board = await readBoardPolicyFile(values.board!);
        context = { board, trust: buildTrustContext({ source: 'board-file', board: board.policy }), hashPool, profileApprovals: null };
      } else {
        const stored = store.boardPolicy.current();
        if (stored === null) throw new UsageError('this profile has no board policy: import one in the app, or give --board <board.json>.');
        const board = parseBoardPolicyBytes(stored.content, 'the stored board policy');
        context = { board, trust: trustFromStore(store), hashPool, hashCache: store.hashCache, profileApprovals: new ProfileApprovals(store.db) };
      }
      const status = await evaluateApprovals(bundlePath, { ...context, ...(progress ? { onProgress: progress.update } : {}) });
      progress?.done();
      process.stdout.write((values.json ? JSON.stringify(status, null, 2) : formatApprovalStatus(status)) + '\n');
      return status.evaluation.approved ? ExitCode.ok : ExitCode.failed;
    });
  } finally {
    progress?.done();
    await hashPool.close();
    store?.close();
  }
}

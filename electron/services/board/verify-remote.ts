import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BoardVerification } from '../../../shared/api/contract';
import { problem } from '../../../shared/board-repo/board-problems';
import { verifyBoard } from '../../../shared/board-repo/verify-board';
import { BoardError } from './board-error';
import { GitTransport } from './git-transport';

/**
 * `board verify`: a board checked from nothing but its remote and the pinned genesis, in a
 * throwaway repository, for CI or an auditor: every object, the policy chain and the logs; with
 * `maxAgeSeconds`, every member log's head cosigned that recently; with `witnesses`, by that many.
 */
export async function verifyRemoteBoard(input: { remote: string; genesis: string; maxAgeSeconds: number | null; witnesses: number | null }, now = new Date()): Promise<BoardVerification> {
  const scratch = await mkdtemp(join(tmpdir(), 'countersign-board-verify-'));
  try {
    const git = new GitTransport(join(scratch, 'repo.git'));
    await git.init(input.remote);
    if (!(await git.fetch())) throw new BoardError('unreadable', `The remote ${input.remote} cannot be reached.`);
    const tree = await git.readTree();
    const board = verifyBoard({ remote: tree.files, accepted: new Map(), genesis: input.genesis });
    const problems = [...board.problems, ...tree.skipped.map((entry) => problem('unreadable', `${entry.path} is ${entry.reason}; it is ignored.`, entry.path))];
    const logs = [...board.logs.values()].map((log) => {
      const latest = log.cosignatures.reduce<number | null>((at, c) => Math.max(at ?? 0, c.timestamp), null);
      const stale = input.maxAgeSeconds !== null && (latest === null || now.getTime() / 1000 - latest > input.maxAgeSeconds);
      const underWitnessed = input.witnesses !== null && log.cosignatures.length < input.witnesses;
      return { memberName: log.memberName, size: log.size, witnesses: log.cosignatures.length, lastCosignedAt: latest === null ? null : new Date(latest * 1000).toISOString(), stale, underWitnessed };
    });
    const policy = board.chain[board.chain.length - 1]?.policy ?? null;
    const ok = board.chain.length > 0 && problems.length === 0 && logs.every((log) => !log.stale && !log.underWitnessed);
    return { ok, board: policy?.board ?? null, policyVersion: policy?.version ?? null, problems, logs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

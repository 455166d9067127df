import type { AtomicAuditSink } from '../approvals/audited-keys';
import type { BoardPolicyStore, StoredBoardPolicy } from '../store/board-policy-store';
import type { LoadedBoardPolicy } from './board-file';

/**
 * Makes `next` the profile's board policy. The policy change and its board.imported entry are
 * one write transaction that takes the write lock before it reads the current policy, so it
 * waits for another process writing the profile instead of failing at once.
 */
export function importBoardPolicy(boardPolicy: BoardPolicyStore, audit: AtomicAuditSink, next: LoadedBoardPolicy, now: Date = new Date()): StoredBoardPolicy {
  return audit.atomically('the board policy', () => {
    const previousDigest = boardPolicy.current()?.digest ?? null;
    const stored = boardPolicy.replace(next.bytes, next.digest, now);
    audit.append({
      actor: null,
      action: 'board.imported',
      manifestDigest: null,
      detail: { board: next.policy.board, version: next.policy.version, digest: next.digest, previousDigest },
    });
    return stored;
  });
}

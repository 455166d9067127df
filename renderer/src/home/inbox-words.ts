import type { BoardInbox } from '../../../shared/api/contract';

type InboxItem = NonNullable<BoardInbox>['items'][number];

const DECIDED = { approve: 'approved', reject: 'rejected', abstain: 'abstained on' } as const;

/** "fraud-detector@m92", or the start of its digest when the manifest names no release. */
export function inboxLabel(item: Pick<InboxItem, 'name' | 'version' | 'manifestDigest'>): string {
  if (item.name === null && item.version === null) return `Release sha256:${item.manifestDigest.slice(0, 12)}…`;
  return `${item.name ?? 'unnamed'}@${item.version ?? 'unversioned'}`;
}

/**
 * Why a release is back in the inbox: "Re-opened by Alan Turing's notice (deletion request covers
 * Q1): you approved it on 2026-11-30, before the notice; decide again." Null for a release the
 * reviewer never decided on.
 */
export function inboxNote(item: Pick<InboxItem, 'reopenedBy' | 'earlierDecision'>): string | null {
  if (item.reopenedBy.length === 0) return null;
  const notices = item.reopenedBy.map((notice) => `${notice.issuer}'s notice (${notice.reason})`).join('; ');
  const earlier = item.earlierDecision === null ? '' : `: you ${DECIDED[item.earlierDecision.decision]} it on ${item.earlierDecision.reviewedAt.slice(0, 10)}, before the notice; decide again`;
  return `Re-opened by ${notices}${earlier}.`;
}

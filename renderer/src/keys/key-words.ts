import type { BoardSummary, ReviewerKey } from '../../../shared/api/contract';
import type { StatusLook } from '../common/status-words';

export const LOCK_LOOK: Record<'locked' | 'unlocked', StatusLook> = {
  locked: { word: 'Locked', icon: '●', tone: 'neutral' },
  // Unlocked is the state to notice: the key can sign until it locks again.
  unlocked: { word: 'Unlocked', icon: '!', tone: 'warn' },
};

export const ORIGIN_WORDS: Record<ReviewerKey['origin'], string> = {
  generated: 'made in this app',
  imported: 'imported',
};

export function lockLook(key: Pick<ReviewerKey, 'unlocked'>): StatusLook {
  return LOCK_LOOK[key.unlocked ? 'unlocked' : 'locked'];
}

/**
 * What the board policy says about a key: whose it is and which roles it can approve in, that it
 * signs releases, that it is revoked, or that the board does not know it.
 */
export function boardStanding(board: Pick<BoardSummary, 'members' | 'producers' | 'revokedKeys'> | null | undefined, keyId: string): string {
  if (board === undefined) return '…';
  if (board === null) return 'No board policy imported';
  if (board.revokedKeys.includes(keyId)) return 'Revoked by the board: approvals signed with it do not count';
  const member = board.members.find((candidate) => candidate.keyIds.includes(keyId));
  const producer = board.producers.find((candidate) => candidate.keyIds.includes(keyId));
  const parts: string[] = [];
  if (member) parts.push(member.roles.length === 0 ? `${member.name}, member with no role` : `${member.name}, ${member.roles.join(' and ')}`);
  if (producer) parts.push(`signs releases as ${producer.name}`);
  return parts.length === 0 ? 'Not on the board: approvals signed with it do not count' : parts.join('; ');
}

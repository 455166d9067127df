import type { ReviewerKey } from '../../../shared/api/contract';
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

import type { BoardSummary } from '../../../shared/api/contract';
import type { trustCommands } from '../../../shared/api/commands/trust-commands';
import { describeBoardChanges, summariseBoard } from '../../../shared/board/board-summary';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { HandlerError } from '../api-error';
import { parseBoardPolicyBytes } from '../../services/trust/board-file';
import { importBoardPolicy } from '../../services/trust/import-board-policy';
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createTrustHandlers({ profile, sessions }: HandlerServices): HandlersFor<typeof trustCommands> {
  const store = () => profile.store();
  const currentBoard = (): BoardSummary | null => {
    const stored = store().boardPolicy.current();
    const board = profile.board();
    return stored && board ? summariseBoard(board.policy, stored.digest, stored.importedAt) : null;
  };

  return {
    'trust.keys': async () => store().pinnedKeys.list(),

    'trust.offeredKeys': async ({ sessionId }) => {
      const pinned = new Set(store().pinnedKeys.list().map((key) => key.keyId));
      return sessions
        .get(sessionId)
        .offeredKeys()
        .map(({ offered: key }) => ({ ...key, pinned: key.keyId !== null && pinned.has(key.keyId) }));
    },

    'trust.pin': async ({ publicKey, name, confirmKeyId }) => {
      const key = parsePublicKey(publicKey.trim());
      if (key.keyId !== confirmKeyId) {
        throw new HandlerError('conflict', `The confirmed fingerprint ${confirmKeyId} is not this key's fingerprint ${key.keyId}: nothing was pinned.`);
      }
      return store().pinnedKeys.pin({ keyId: key.keyId, name, publicKey: key.comment ? `${key.openssh} ${key.comment}` : key.openssh });
    },

    'trust.unpin': async ({ keyId }) => ({ removed: store().pinnedKeys.unpin(keyId) }),

    'trust.board': async () => currentBoard(),

    'trust.previewBoard': async ({ text }) => {
      const next = parseBoardPolicyBytes(new TextEncoder().encode(text), 'The board policy');
      const currentRules = profile.board()?.policy.rules ?? null;
      const nextSummary = summariseBoard(next.policy, next.digest, null);
      return { next: nextSummary, rules: next.policy.rules, changes: describeBoardChanges(currentBoard(), nextSummary, currentRules, next.policy.rules) };
    },

    'trust.importBoard': async ({ text, confirmDigest }) => {
      const next = parseBoardPolicyBytes(new TextEncoder().encode(text), 'The board policy');
      if (next.digest !== confirmDigest) {
        throw new HandlerError('conflict', `The policy changed since it was previewed (digest ${next.digest}, confirmed ${confirmDigest}): nothing was imported.`);
      }
      const { boardPolicy, audit } = store();
      const stored = importBoardPolicy(boardPolicy, audit, next);
      return summariseBoard(next.policy, stored.digest, stored.importedAt);
    },
  };
}

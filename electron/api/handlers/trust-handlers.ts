import type { BoardSummary } from '../../../shared/api/contract';
import type { trustCommands } from '../../../shared/api/commands/trust-commands';
import { describeBoardChanges, summariseBoard } from '../../../shared/board/board-summary';
import { sha256Hex } from '../../../shared/crypto/hash';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { decodeBase64Strict } from '../../../shared/encoding/base64';
import { HandlerError } from '../api-error';
import { parseBoardPolicyBytes } from '../../services/trust/board-file';
import { importBoardPolicy } from '../../services/trust/import-board-policy';
import { importTrustedRoot } from '../../services/trust/import-trusted-root';
import type { HandlerServices, HandlersFor } from './handler-kit';

export function createTrustHandlers({ profile, sessions }: HandlerServices): HandlersFor<typeof trustCommands> {
  const store = () => profile.store();
  const currentBoard = (): BoardSummary | null => {
    const stored = store().boardPolicy.current();
    const board = profile.board();
    return stored && board ? withHeldRoot(summariseBoard(board.policy, stored.digest, stored.importedAt)) : null;
  };
  const withHeldRoot = (summary: BoardSummary): BoardSummary =>
    summary.sigstoreTrustedRoot ? { ...summary, sigstoreTrustedRoot: { ...summary.sigstoreTrustedRoot, held: store().settings.trustedRoot(summary.sigstoreTrustedRoot.sha256) !== null } } : summary;

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
      return withHeldRoot(summariseBoard(next.policy, stored.digest, stored.importedAt));
    },

    'trust.importTrustedRoot': async ({ contentBase64 }) => {
      let bytes: Uint8Array;
      try {
        bytes = decodeBase64Strict(contentBase64, 'the trusted root');
      } catch (error) {
        throw new HandlerError('invalid-input', `The trusted root is not canonical base64: ${error instanceof Error ? error.message : String(error)}. Nothing was imported.`);
      }
      const digest = sha256Hex(bytes);
      const policy = profile.board()?.policy;
      const pin = policy?.sigstoreTrustedRoot;
      if (policy === undefined || pin === undefined) {
        throw new HandlerError('conflict', `The board policy pins no Sigstore trusted root, so none is imported (this file's sha256 is ${digest}): add "sigstoreTrustedRoot": {"sha256": "${digest}"} to the policy first if the board means to trust it.`);
      }
      if (pin.sha256 !== digest) {
        throw new HandlerError('conflict', `This trusted root's sha256 is ${digest}, but the board policy pins ${pin.sha256}: nothing was imported.`);
      }
      const { settings, audit } = store();
      importTrustedRoot(settings, audit, { sha256: digest, bytes, board: policy.board });
      return { sha256: digest, bytes: bytes.length };
    },
  };
}

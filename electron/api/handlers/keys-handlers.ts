import type { KeyLockStatus, ReviewerKey } from '../../../shared/api/commands/keys-commands';
import type { keysCommands } from '../../../shared/api/commands/keys-commands';
import { generateKey, importKey, removeKey } from '../../services/approvals/audited-keys';
import { applyStoredIdleLock, storeIdleLock } from '../../services/approvals/idle-lock-setting';
import type { StoredKeyInfo } from '../../services/keys/key-store';
import { withKeyErrors } from './key-errors';
import type { HandlerServices, HandlersFor } from './handler-kit';

const MS_PER_MINUTE = 60_000;

/** Private keys stay in the KeyStore: these handlers take passphrases in and give only public facts out. */
export function createKeysHandlers({ store }: HandlerServices): HandlersFor<typeof keysCommands> {
  const { keys, audit } = store;
  applyStoredIdleLock(store.db, keys);

  const toReviewerKey = (key: StoredKeyInfo): ReviewerKey => ({ ...key, unlocked: keys.isUnlocked(key.keyId) });
  const lockStatus = (): KeyLockStatus => ({
    unlocked: keys
      .list()
      .filter((key) => keys.isUnlocked(key.keyId))
      .map((key) => key.keyId),
    idleLockMinutes: keys.idleLockMs / MS_PER_MINUTE,
  });

  return {
    'keys.list': async () => keys.list().map(toReviewerKey),

    'keys.generate': async ({ name, passphrase }) => withKeyErrors(() => toReviewerKey(generateKey(keys, audit, name, passphrase))),

    'keys.import': async ({ privateKey, name, passphrase }) => withKeyErrors(() => toReviewerKey(importKey(keys, audit, privateKey, name, passphrase))),

    'keys.exportPublic': async ({ keyId }) => withKeyErrors(() => ({ keyId, publicKey: keys.exportPublic(keyId) })),

    'keys.remove': async ({ keyId }) => ({ removed: removeKey(keys, audit, keyId) }),

    'keys.unlock': async ({ keyId, passphrase }) =>
      withKeyErrors(() => {
        keys.unlock(keyId, passphrase);
        return lockStatus();
      }),

    'keys.lock': async ({ keyId }) => {
      keys.lock(keyId);
      return lockStatus();
    },

    'keys.status': async () => lockStatus(),

    'keys.setIdleLock': async ({ minutes }) =>
      withKeyErrors(() => {
        storeIdleLock(store.db, keys, minutes * MS_PER_MINUTE);
        return lockStatus();
      }),
  };
}

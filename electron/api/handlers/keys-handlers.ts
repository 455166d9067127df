import type { KeyLockStatus, ReviewerKey } from '../../../shared/api/commands/keys-commands';
import type { keysCommands } from '../../../shared/api/commands/keys-commands';
import { generateKey, importKey, removeKey } from '../../services/approvals/audited-keys';
import { applyStoredIdleLock, storeIdleLock } from '../../services/approvals/idle-lock-setting';
import type { StoredKeyInfo } from '../../services/keys/key-store';
import type { Store } from '../../services/store/store';
import type { HandlerServices, HandlersFor } from './handler-kit';

const MS_PER_MINUTE = 60_000;

/** Private keys stay in the KeyStore: these handlers take passphrases in and give only public facts out. */
export function createKeysHandlers({ profile }: HandlerServices): HandlersFor<typeof keysCommands> {
  // The store is opened on first use: a `--board` profile opens it only when a command needs keys.
  let opened: Store | null = null;
  const store = (): Store => {
    if (opened === null) {
      opened = profile.store();
      applyStoredIdleLock(opened.settings, opened.keys);
    }
    return opened;
  };

  const toReviewerKey = (key: StoredKeyInfo): ReviewerKey => ({ ...key, unlocked: store().keys.isUnlocked(key.keyId) });
  const lockStatus = (): KeyLockStatus => ({
    unlocked: store()
      .keys.list()
      .filter((key) => store().keys.isUnlocked(key.keyId))
      .map((key) => key.keyId),
    idleLockMinutes: store().keys.idleLockMs / MS_PER_MINUTE,
  });

  return {
    'keys.list': async () => store().keys.list().map(toReviewerKey),

    'keys.generate': async ({ name, passphrase }) => toReviewerKey(generateKey(store().keys, store().audit, name, passphrase)),

    'keys.import': async ({ privateKey, name, passphrase }) => toReviewerKey(importKey(store().keys, store().audit, privateKey, name, passphrase)),

    'keys.exportPublic': async ({ keyId }) => ({ keyId, publicKey: store().keys.exportPublic(keyId) }),

    'keys.remove': async ({ keyId }) => ({ removed: removeKey(store().keys, store().audit, keyId) }),

    'keys.unlock': async ({ keyId, passphrase }) => {
      store().keys.unlock(keyId, passphrase);
      return lockStatus();
    },

    'keys.lock': async ({ keyId }) => {
      store().keys.lock(keyId);
      return lockStatus();
    },

    'keys.status': async () => lockStatus(),

    'keys.setIdleLock': async ({ minutes }) => {
      storeIdleLock(store().settings, store().keys, minutes * MS_PER_MINUTE);
      return lockStatus();
    },
  };
}

import path from 'node:path';
import type { KeyLockStatus, ReviewerKey } from '../../../shared/api/commands/keys-commands';
import type { keysCommands } from '../../../shared/api/commands/keys-commands';
import { keyIdOf, toOpenSshLine } from '../../../shared/crypto/keys';
import { InvalidInputError } from '../../../shared/errors/domain-error';
import { generateKey, importKeyFile, removeKey } from '../../services/approvals/audited-keys';
import { applyStoredIdleLock, storeIdleLock } from '../../services/approvals/idle-lock-setting';
import type { StoredKeyInfo } from '../../services/keys/key-store';
import { inspectOpenSshPrivateKey } from '../../services/keys/openssh-private-key';
import { readPrivateKeyFile } from '../../services/keys/private-key-file';
import type { Store } from '../../services/store/store';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

const MS_PER_MINUTE = 60_000;

/**
 * Private keys stay on the Node side: these handlers take passphrases and key file paths in
 * (the file is read here, never sent by the page) and give only public facts out.
 */
export function createKeysHandlers({ profile, hooks }: HandlerServices): HandlersFor<typeof keysCommands> {
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

    'keys.generate': async ({ name, passphrase }) => toReviewerKey(await generateKey(store().keys, store().audit, name, passphrase)),

    'keys.pickKeyFile': async () => {
      if (!hooks.pickFile) throw new HandlerError('unsupported', 'This host has no native file dialog: type the key file path instead.');
      return { path: await hooks.pickFile({ directory: false, purpose: 'private-key' }) };
    },

    'keys.inspectKeyFile': async ({ path: keyFile }) => {
      const bytes = await readPrivateKeyFile(absolute(keyFile));
      try {
        const { publicKey, protection } = inspectOpenSshPrivateKey(bytes);
        return { keyId: keyIdOf(publicKey), publicKey: toOpenSshLine(publicKey), protection };
      } finally {
        bytes.fill(0);
      }
    },

    'keys.import': async ({ path: keyFile, name, passphrase }) => toReviewerKey(await importKeyFile(store().keys, store().audit, absolute(keyFile), name, passphrase)),

    'keys.exportPublic': async ({ keyId }) => ({ keyId, publicKey: store().keys.exportPublic(keyId) }),

    'keys.remove': async ({ keyId }) => ({ removed: removeKey(store().keys, store().audit, keyId) }),

    'keys.unlock': async ({ keyId, passphrase }) => {
      await store().keys.unlock(keyId, passphrase);
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

/** The hosts run with no meaningful working directory: a key file is named by its full path. */
function absolute(keyFile: string): string {
  if (!path.isAbsolute(keyFile)) throw new InvalidInputError(`give the key file's full path (from the root of the disk), not ${JSON.stringify(keyFile)}`);
  return keyFile;
}

import type { KeyLockStatus, ReviewerKey } from '../../../shared/api/commands/keys-commands';
import type { keysCommands } from '../../../shared/api/commands/keys-commands';
import path from 'node:path';
import { generateKey, importKeyFile, removeKey } from '../../services/approvals/audited-keys';
import { inspectOpenSshPrivateKey } from '../../services/keys/openssh-private-key';
import { readPrivateKeyFile } from '../../services/keys/private-key-file';
import { keyIdOf, toOpenSshLine } from '../../../shared/crypto/keys';
import { HandlerError } from '../api-error';
import { applyStoredIdleLock, storeIdleLock } from '../../services/approvals/idle-lock-setting';
import type { StoredKeyInfo } from '../../services/keys/key-store';
import { withKeyErrors } from './key-errors';
import type { HandlerServices, HandlersFor } from './handler-kit';

const MS_PER_MINUTE = 60_000;

/**
 * Private keys stay on the Node side: these handlers take passphrases and key file paths in
 * (the file is read here, never sent by the page) and give only public facts out.
 */
export function createKeysHandlers({ store, hooks }: HandlerServices): HandlersFor<typeof keysCommands> {
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

    'keys.generate': async ({ name, passphrase }) => withKeyErrors(async () => toReviewerKey(await generateKey(keys, audit, name, passphrase))),

    'keys.pickKeyFile': async () => {
      if (!hooks.pickFile) throw new HandlerError('unsupported', 'This host has no native file dialog: type the key file path instead.');
      return { path: await hooks.pickFile({ directory: false, purpose: 'private-key' }) };
    },

    'keys.inspectKeyFile': async ({ path: keyFile }) =>
      withKeyErrors(async () => {
        const bytes = await readPrivateKeyFile(absolute(keyFile));
        try {
          const { publicKey, protection } = inspectOpenSshPrivateKey(bytes);
          return { keyId: keyIdOf(publicKey), publicKey: toOpenSshLine(publicKey), protection };
        } finally {
          bytes.fill(0);
        }
      }),

    'keys.import': async ({ path: keyFile, name, passphrase }) =>
      withKeyErrors(async () => toReviewerKey(await importKeyFile(keys, audit, absolute(keyFile), name, passphrase))),

    'keys.exportPublic': async ({ keyId }) => withKeyErrors(() => ({ keyId, publicKey: keys.exportPublic(keyId) })),

    'keys.remove': async ({ keyId }) => ({ removed: removeKey(keys, audit, keyId) }),

    'keys.unlock': async ({ keyId, passphrase }) =>
      withKeyErrors(async () => {
        await keys.unlock(keyId, passphrase);
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

/** The hosts run with no meaningful working directory: a key file is named by its full path. */
function absolute(keyFile: string): string {
  if (!path.isAbsolute(keyFile)) throw new RangeError(`give the key file's full path (from the root of the disk), not ${JSON.stringify(keyFile)}`);
  return keyFile;
}

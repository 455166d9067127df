import type { KeyStore, StoredKeyInfo, StoreWithin } from '../keys/key-store';
import type { AuditSink } from './approval-service';
import { readPrivateKeyFile } from '../keys/private-key-file';

/** An audit trail that can commit a change to the profile and its entry as one transaction. */
export interface AtomicAuditSink extends AuditSink {
  atomically<T>(what: string, fn: () => T): T;
}

/**
 * The one place where keys are created, imported and removed for a person (the app's handlers
 * and the CLI both call these), so each change lands in the audit trail exactly once: the key
 * row and its entry are committed in one transaction, so a crash leaves both or neither. The
 * slow sealing of a new key happens before the transaction.
 */
export async function generateKey(keys: KeyStore, audit: AtomicAuditSink, name: string, passphrase: string): Promise<StoredKeyInfo> {
  return keys.generate(name, passphrase, recorded(audit, 'the new key', 'key.generated'));
}

function recorded(audit: AtomicAuditSink, what: string, action: 'key.generated' | 'key.imported'): StoreWithin {
  return (insert) =>
    audit.atomically(what, () => {
      const key = insert();
      audit.append({ actor: key.keyId, action, manifestDigest: null, detail: { name: key.name } });
      return key;
    });
}

/** Reads the key file on this side (its bytes are zeroed after the import); nothing else ever sees it. */
export async function importKeyFile(keys: KeyStore, audit: AtomicAuditSink, keyFile: string, name: string, passphrase: string): Promise<StoredKeyInfo> {
  return keys.importOpenSsh(await readPrivateKeyFile(keyFile), name, passphrase, recorded(audit, 'the imported key', 'key.imported'));
}

export function removeKey(keys: KeyStore, audit: AtomicAuditSink, keyId: string): boolean {
  return audit.atomically('the key removal', () => {
    const name = keys.list().find((key) => key.keyId === keyId)?.name ?? null;
    const removed = keys.remove(keyId);
    if (removed) audit.append({ actor: keyId, action: 'key.removed', manifestDigest: null, detail: { name } });
    return removed;
  });
}

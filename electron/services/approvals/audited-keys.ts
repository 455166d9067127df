import type { KeyStore, StoredKeyInfo } from '../keys/key-store';
import type { AuditSink } from './approval-service';

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
export function generateKey(keys: KeyStore, audit: AtomicAuditSink, name: string, passphrase: string): StoredKeyInfo {
  const sealed = keys.sealGenerated(name, passphrase);
  return audit.atomically('the new key', () => {
    const key = keys.insertSealed(sealed);
    audit.append({ actor: key.keyId, action: 'key.generated', manifestDigest: null, detail: { name: key.name } });
    return key;
  });
}

export function importKey(keys: KeyStore, audit: AtomicAuditSink, privateKeyText: string, name: string, passphrase: string): StoredKeyInfo {
  const sealed = keys.sealImported(privateKeyText, name, passphrase);
  return audit.atomically('the imported key', () => {
    const key = keys.insertSealed(sealed);
    audit.append({ actor: key.keyId, action: 'key.imported', manifestDigest: null, detail: { name: key.name } });
    return key;
  });
}

export function removeKey(keys: KeyStore, audit: AtomicAuditSink, keyId: string): boolean {
  return audit.atomically('the key removal', () => {
    const name = keys.list().find((key) => key.keyId === keyId)?.name ?? null;
    const removed = keys.remove(keyId);
    if (removed) audit.append({ actor: keyId, action: 'key.removed', manifestDigest: null, detail: { name } });
    return removed;
  });
}

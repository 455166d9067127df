import type { KeyStore, StoredKeyInfo } from '../keys/key-store';
import type { AuditSink } from './approval-service';

/**
 * The one place where keys are created, imported and removed for a person (the app's handlers
 * and the CLI both call these), so each change lands in the audit trail exactly once.
 */
export function generateKey(keys: KeyStore, audit: AuditSink, name: string, passphrase: string): StoredKeyInfo {
  const key = keys.generate(name, passphrase);
  audit.append({ actor: key.keyId, action: 'key.generated', manifestDigest: null, detail: { name: key.name } });
  return key;
}

export function importKey(keys: KeyStore, audit: AuditSink, privateKeyText: string, name: string, passphrase: string): StoredKeyInfo {
  const key = keys.importOpenSsh(privateKeyText, name, passphrase);
  audit.append({ actor: key.keyId, action: 'key.imported', manifestDigest: null, detail: { name: key.name } });
  return key;
}

export function removeKey(keys: KeyStore, audit: AuditSink, keyId: string): boolean {
  const name = keys.list().find((key) => key.keyId === keyId)?.name ?? null;
  const removed = keys.remove(keyId);
  if (removed) audit.append({ actor: keyId, action: 'key.removed', manifestDigest: null, detail: { name } });
  return removed;
}

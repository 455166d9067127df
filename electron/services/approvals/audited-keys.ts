import type { KeyStore, StoredKeyInfo } from '../keys/key-store';
import type { AuditSink } from './approval-service';
import { readPrivateKeyFile } from '../keys/private-key-file';

/**
 * The one place where keys are created, imported and removed for a person (the app's handlers
 * and the CLI both call these), so each change lands in the audit trail exactly once.
 */
export async function generateKey(keys: KeyStore, audit: AuditSink, name: string, passphrase: string): Promise<StoredKeyInfo> {
  const key = await keys.generate(name, passphrase);
  audit.append({ actor: key.keyId, action: 'key.generated', manifestDigest: null, detail: { name: key.name } });
  return key;
}

/** Reads the key file on this side (its bytes are zeroed after the import); nothing else ever sees it. */
export async function importKeyFile(keys: KeyStore, audit: AuditSink, keyFile: string, name: string, passphrase: string): Promise<StoredKeyInfo> {
  const key = await keys.importOpenSsh(await readPrivateKeyFile(keyFile), name, passphrase);
  audit.append({ actor: key.keyId, action: 'key.imported', manifestDigest: null, detail: { name: key.name } });
  return key;
}

export function removeKey(keys: KeyStore, audit: AuditSink, keyId: string): boolean {
  const name = keys.list().find((key) => key.keyId === keyId)?.name ?? null;
  const removed = keys.remove(keyId);
  if (removed) audit.append({ actor: keyId, action: 'key.removed', manifestDigest: null, detail: { name } });
  return removed;
}

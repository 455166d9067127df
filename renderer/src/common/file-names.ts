// Names for files the UI offers to save: safe on every platform, recognisable to the person.

/** Lowercase letters, digits and single dashes only; `fallback` when nothing is left. */
export function fileNamePart(text: string, fallback: string): string {
  const part = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return part === '' ? fallback : part;
}

/** The first `length` letters and digits of a key ID's fingerprint: `SHA256:Kn+oQZ…` → `knoqzu`. */
export function shortKeyId(keyId: string, length = 8): string {
  const fingerprint = keyId.startsWith('SHA256:') ? keyId.slice('SHA256:'.length) : keyId;
  return fingerprint.replace(/[^A-Za-z0-9]/g, '').slice(0, length).toLowerCase();
}

/** `ada-byron.pub` for a key named "Ada Byron". */
export function publicKeyFileName(keyName: string): string {
  return `${fileNamePart(keyName, 'key')}.pub`;
}

/** `approval-privacy-ab12cd34.dsse.json`: what a reviewer hands to the next one. */
export function approvalFileName(role: string, keyId: string): string {
  const key = shortKeyId(keyId);
  return `approval-${fileNamePart(role, 'role')}-${key === '' ? 'key' : key}.dsse.json`;
}

import type { AtomicAuditSink } from '../approvals/audited-keys';
import type { SettingsStore } from '../store/settings-store';

export interface TrustedRootImport {
  /** sha256 (hex) of the bytes, which the caller checked the board policy pins. */
  sha256: string;
  bytes: Uint8Array;
  /** The board whose policy pins it, for the audit entry. */
  board: string;
}

/**
 * Keeps the board's pinned Sigstore trusted root in the profile. The root and its
 * trusted-root.imported entry are one write transaction, as every other change of trust is.
 */
export function importTrustedRoot(settings: SettingsStore, audit: AtomicAuditSink, root: TrustedRootImport): void {
  audit.atomically('the trusted root', () => {
    const alreadyHeld = settings.trustedRoot(root.sha256) !== null;
    settings.putTrustedRoot(root.sha256, root.bytes);
    audit.append({
      actor: null,
      action: 'trusted-root.imported',
      manifestDigest: null,
      detail: { board: root.board, sha256: root.sha256, bytes: root.bytes.length, alreadyHeld },
    });
  });
}

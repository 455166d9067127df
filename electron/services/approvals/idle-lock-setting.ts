import type { KeyStore } from '../keys/key-store';
import type { SettingsStore } from '../store/settings-store';

/**
 * The idle time after which unlocked keys lock again is the person's choice, kept in the profile's
 * settings so it survives a restart. A stored value the KeyStore refuses is ignored.
 */
export function applyStoredIdleLock(settings: SettingsStore, keys: KeyStore): void {
  const stored = settings.idleLockMs();
  if (stored === null) return;
  try {
    keys.idleLockMs = stored;
  } catch {
    // Out of range or not a number: the default stays.
  }
}

export function storeIdleLock(settings: SettingsStore, keys: KeyStore, ms: number): void {
  keys.idleLockMs = ms;
  settings.setIdleLockMs(ms);
}

import { openStore, type Store } from '../services/store/store';

/** Opens the profile for a command; warnings about files others can read go to stderr. */
export function openProfile(dataDir: string): Store {
  return openStore(dataDir, { onWarning: (message) => process.stderr.write(`countersign: warning: ${message}\n`) });
}

import os from 'node:os';
import path from 'node:path';

/** The desktop app's product name: Electron's userData directory is <appData>/<productName>. */
export const PRODUCT_NAME = 'Countersign';

/**
 * The per-user data directory, the same one the desktop app uses (Electron's `userData`), so the
 * CLI and the app share pinned keys, the board policy and the audit trail.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.COUNTERSIGN_DATA_DIR) return path.resolve(env.COUNTERSIGN_DATA_DIR);
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
  }
}

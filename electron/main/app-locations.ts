import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';

/** Where the Electron host finds its parts, packaged or running from a checkout. */
export interface AppLocations {
  /** The built renderer (dist/renderer), the only folder `app://` serves. */
  rendererRoot: string;
  preloadScript: string;
  /** One SQLite database per user profile. */
  dataDir: string;
  /** The demo bundle, when this build has one. */
  demoBundlePath: string | null;
  /** better-sqlite3 compiled for Electron (node_modules holds the Node build, for tests and the CLI). */
  sqliteNativeBinding: string;
}

export function resolveAppLocations(): AppLocations {
  // Packaged: resources/app.asar holds dist/; the demo and the native module sit beside it
  // in resources/ (electron-builder.yml, extraResources). From a checkout: the repository root.
  const appRoot = app.getAppPath();
  const resources = app.isPackaged ? process.resourcesPath : null;
  const demo = resources ? path.join(resources, 'demo', 'bundle') : path.join(appRoot, 'assets', 'demo', 'bundle');
  return {
    rendererRoot: path.join(appRoot, 'dist', 'renderer'),
    preloadScript: path.join(appRoot, 'dist', 'electron', 'preload.cjs'),
    dataDir: app.getPath('userData'),
    demoBundlePath: fs.existsSync(path.join(demo, 'manifest.dsse.json')) ? demo : null,
    sqliteNativeBinding: resources
      ? path.join(resources, 'native', 'better_sqlite3.node')
      : path.join(appRoot, 'build', 'native', 'electron', 'better_sqlite3.node'),
  };
}

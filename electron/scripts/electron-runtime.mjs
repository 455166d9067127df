// Where the Electron runtime is, if this machine has it. The `electron` npm package downloads
// its binary on first use from a host outside the npm registry; until then only path.txt (or
// nothing at all) is there.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const electronPackage = path.join(repoRoot, 'node_modules', 'electron');

/** The installed `electron` package's version (what native modules must be built for). */
export function electronVersion() {
  return createRequire(import.meta.url)(path.join(electronPackage, 'package.json')).version;
}

/** The Electron executable, or null when the runtime has not been downloaded. */
export function findElectronBinary() {
  const pathFile = path.join(electronPackage, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(electronPackage, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/** The package's own installer, which fetches the runtime. */
export const electronInstaller = path.join(electronPackage, 'install.js');

// `npm run native:electron`: better-sqlite3 compiled for the installed Electron, written to
// build/native/electron/better_sqlite3.node, which the Electron host loads explicitly (and
// packaging ships as resources/native/better_sqlite3.node).
//
// node_modules/better-sqlite3 itself is never touched: it stays the Node build that the unit
// tests, the CLI and the web host load. The package is copied to a scratch folder and rebuilt
// there with @electron/rebuild, which first tries a prebuilt binary and otherwise compiles
// against Electron's headers. Both need Electron's download hosts; without them this fails
// with a message saying so.
//
// Usage: node electron/scripts/native-electron.mjs [--force]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { electronVersion, repoRoot } from './electron-runtime.mjs';

const packageDir = path.join(repoRoot, 'node_modules', 'better-sqlite3');
const outDir = path.join(repoRoot, 'build', 'native', 'electron');
const outFile = path.join(outDir, 'better_sqlite3.node');
const buildInfoFile = path.join(outDir, 'build-info.json');
const scratchDir = path.join(repoRoot, 'build', 'native', 'electron-rebuild');

function isUpToDate(wanted) {
  if (!fs.existsSync(outFile) || !fs.existsSync(buildInfoFile)) return false;
  // This script's own record of its last build, not outside input.
  // eslint-disable-next-line no-restricted-syntax
  const built = JSON.parse(fs.readFileSync(buildInfoFile, 'utf8'));
  return Object.entries(wanted).every(([key, value]) => built[key] === value);
}

/** A copy of the package without its Node build, as the project `@electron/rebuild` works on. */
function prepareScratchProject(sqliteVersion) {
  fs.rmSync(scratchDir, { recursive: true, force: true });
  const moduleCopy = path.join(scratchDir, 'node_modules', 'better-sqlite3');
  fs.cpSync(packageDir, moduleCopy, {
    recursive: true,
    filter: (source) => !source.startsWith(path.join(packageDir, 'build')) && !source.startsWith(path.join(packageDir, 'node_modules')),
  });
  const manifest = { name: 'countersign-native-electron', version: '0.0.0', private: true, dependencies: { 'better-sqlite3': sqliteVersion } };
  fs.writeFileSync(path.join(scratchDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return path.join(moduleCopy, 'build', 'Release', 'better_sqlite3.node');
}

async function main() {
  const wanted = {
    electron: electronVersion(),
    betterSqlite3: createRequire(import.meta.url)(path.join(packageDir, 'package.json')).version,
    platform: process.platform,
    arch: process.arch,
  };
  if (!process.argv.includes('--force') && isUpToDate(wanted)) {
    console.log(`better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} is up to date (${path.relative(repoRoot, outFile)}).`);
    return 0;
  }

  let rebuild;
  try {
    ({ rebuild } = await import('@electron/rebuild'));
  } catch {
    console.error('native:electron needs @electron/rebuild (installed with electron-builder); run `npm install` first.');
    return 1;
  }

  // A Node headers directory set in the npm config (npm_config_nodedir) would make node-gyp
  // compile against Node instead of Electron and produce a module Electron refuses to load.
  delete process.env.npm_config_nodedir;

  console.log(`Building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (${wanted.platform}-${wanted.arch})…`);
  const builtFile = prepareScratchProject(wanted.betterSqlite3);
  try {
    await rebuild({
      buildPath: scratchDir,
      projectRootPath: scratchDir,
      electronVersion: wanted.electron,
      onlyModules: ['better-sqlite3'],
      force: true,
      mode: 'sequential',
    });
  } catch (error) {
    fs.rmSync(scratchDir, { recursive: true, force: true });
    console.error(
      `Could not build better-sqlite3 for Electron ${wanted.electron}: ${error instanceof Error ? error.message : String(error)}\n` +
        'This needs either a prebuilt binary (from GitHub) or Electron’s headers (from electronjs.org) and a C++ ' +
        'toolchain; this machine could reach neither download or could not compile. The Node build in ' +
        'node_modules/better-sqlite3 is unchanged, so tests, the CLI and the web host still work.',
    );
    return 1;
  }
  if (!fs.existsSync(builtFile)) {
    console.error(`The rebuild finished but ${path.relative(repoRoot, builtFile)} is missing.`);
    return 1;
  }

  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(builtFile, outFile);
  fs.writeFileSync(buildInfoFile, JSON.stringify(wanted, null, 2) + '\n');
  fs.rmSync(scratchDir, { recursive: true, force: true });
  console.log(`Wrote ${path.relative(repoRoot, outFile)}.`);
  return 0;
}

process.exitCode = await main();

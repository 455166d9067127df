// vitest global setup: CLI and worker tests run what users run, the bundles in dist/electron/,
// so they are built (Node side only, about a second) before any test starts.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function buildNodeBundles(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  execFileSync(process.execPath, [path.join(root, 'electron/scripts/build.mjs'), '--node-only'], { cwd: root, stdio: 'inherit' });
}

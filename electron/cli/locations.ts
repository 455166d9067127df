import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/electron/, where the bundled CLI runs from. */
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** The built renderer served by the web host. */
export const rendererDir = path.join(repoRoot, 'dist', 'renderer');

/** The demo bundle shipped in assets/, when this is a checkout that has it. */
export function demoBundlePath(): string | null {
  const demo = path.join(repoRoot, 'assets', 'demo', 'bundle');
  return fs.existsSync(path.join(demo, 'manifest.dsse.json')) ? demo : null;
}

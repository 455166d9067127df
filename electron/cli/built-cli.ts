// For tests: the CLI as users run it, bundled into dist/ by the build (vitest's global setup
// builds the Node side first, so the tests never run a stale bundle).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILT_CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/electron/cli.mjs');

#!/usr/bin/env node
// The `countersign` command. The CLI is TypeScript bundled into dist/ by the build, which
// `npm install` runs (the package's prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundled = new URL('../../dist/electron/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundled))) {
  console.error('countersign: the CLI is not built yet; run `npm run build` in the Countersign checkout.');
  process.exit(2);
}
await import(bundled.href);

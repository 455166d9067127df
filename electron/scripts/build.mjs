// Builds everything that runs: the Node side with esbuild, the renderer with Vite.
// Runs on `npm install` (prepare), before tests, and before packaging. No network.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'dist/electron');

// better-sqlite3 is native and electron is the runtime itself: neither can be bundled.
const external = ['electron', 'better-sqlite3'];

// ESM bundles of CommonJS dependencies (yauzl, tar-stream) need a `require` in scope.
const esmRequireBanner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const nodeTargets = [
  { entry: 'electron/cli/main.ts', outfile: 'cli.mjs', format: 'esm' },
  { entry: 'electron/services/hashing/hash-worker.ts', outfile: 'hash-worker.mjs', format: 'esm' },
  { entry: 'electron/scripts/bench.ts', outfile: 'bench.mjs', format: 'esm' },
  { entry: 'electron/main/main.ts', outfile: 'main.cjs', format: 'cjs' },
  // A sandboxed preload must be a single CommonJS script, and it has no __filename.
  { entry: 'electron/preload/preload.ts', outfile: 'preload.cjs', format: 'cjs', sandboxed: true },
];

async function buildNode() {
  await Promise.all(
    nodeTargets.map(({ entry, outfile, format, sandboxed = false }) =>
      esbuild({
        entryPoints: [path.join(root, entry)],
        outfile: path.join(out, outfile),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format,
        external,
        sourcemap: true,
        minify: sandboxed,
        logLevel: 'warning',
        banner: format === 'esm' ? { js: esmRequireBanner } : {},
        // The CLI and workers find their siblings through import.meta.url; in CJS that is __filename.
        define: format === 'cjs' && !sandboxed ? { 'import.meta.url': '__import_meta_url' } : {},
        inject: format === 'cjs' && !sandboxed ? [path.join(root, 'electron/scripts/cjs-import-meta-url.js')] : [],
      }),
    ),
  );
}

async function buildRenderer() {
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

const started = Date.now();
// `--node-only`: the CLI, workers and hosts without the renderer (what unit tests run).
const nodeOnly = process.argv.includes('--node-only');
await Promise.all(nodeOnly ? [buildNode()] : [buildNode(), buildRenderer()]);
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);

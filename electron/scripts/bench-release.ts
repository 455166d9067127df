// `npm run bench -- release`: creating a release of two 1 GiB files (every byte read once,
// hashed and copied into the bundle on the hash workers, the manifest signed) against
// `openssl dgst -sha256` over the same files, one core, in the same run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { generateSeed, publicKeyFromSeed, signEd25519 } from '../../shared/crypto/ed25519';
import { keyIdOf } from '../../shared/crypto/keys';
import { scratchFolder, writeRandomFile } from './bench-files';
import { createHashPool } from '../services/hashing/hash-files';
import { createRelease } from '../services/release/create-release';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const ROUNDS = 3;
const AIM = 1.7;

export async function benchRelease(scale: number): Promise<void> {
  const size = Math.round(GiB * scale);
  const scratch = scratchFolder('countersign-bench-release-');
  const dir = scratch.dir;
  try {
    console.log(`node ${process.version}, ${availableParallelism()} cores`);
    const files = [path.join(dir, 'model', 'large-1.onnx'), path.join(dir, 'model', 'large-2.onnx')];
    console.log(`writing two files of ${(size / MiB).toFixed(0)} MiB to ${dir} ...`);
    for (const file of files) await writeRandomFile(file, size);
    const baseline = ['openssl', 'dgst', '-sha256', '-r', ...files];
    const expected = await digestsOf(baseline); // Also warms the page cache.

    // The bundle is written beside the inputs (the disk), and, where there is one, to a RAM disk:
    // copying is writing, and a slow disk makes the first a measure of the disk, not of us.
    await measure('bundle written to the same disk', dir, files, baseline, expected, dir);
    if (existsSync(RAM_DISK)) {
      const ramDir = mkdtempSync(path.join(RAM_DISK, 'countersign-bench-release-'));
      try {
        await measure(`bundle written to ${RAM_DISK} (RAM)`, dir, files, baseline, expected, ramDir);
      } finally {
        rmSync(ramDir, { recursive: true, force: true });
      }
    }
  } finally {
    scratch.remove();
  }
}

const RAM_DISK = '/dev/shm';

async function measure(label: string, dir: string, files: readonly string[], baseline: string[], expected: Map<string, string>, outDir: string): Promise<void> {
    const size = (await stat(files[0]!)).size;
    const seed = generateSeed();
    const signer = { keyId: keyIdOf(publicKeyFromSeed(seed)), sign: async (message: Uint8Array) => signEd25519(message, seed) };
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const out = path.join(outDir, `release-${round}`);
      const timeOurs = async () => {
        const started = performance.now();
        const hashPool = createHashPool();
        try {
          await createRelease({ baseDir: dir, paths: ['model'], out, name: 'bench', version: String(round) }, { hashPool, signer });
        } finally {
          await hashPool.close();
        }
        ours.push((performance.now() - started) / 1000);
        await checkPins(out, expected, dir);
        await rm(out, { recursive: true, force: true });
      };
      const timeTheirs = async () => {
        const started = performance.now();
        await run(baseline);
        theirs.push((performance.now() - started) / 1000);
      };
      // Alternate who goes first, so neither always meets a cache or CPU state left by the other.
      if (round % 2 === 0) {
        await timeOurs();
        await timeTheirs();
      } else {
        await timeTheirs();
        await timeOurs();
      }
    }
    const bytes = size * files.length;
    const oursMBps = bytes / Math.min(...ours) / 1e6;
    const theirsMBps = bytes / Math.min(...theirs) / 1e6;
    const ratio = oursMBps / theirsMBps;
    console.log(`\n${label}: best of ${ROUNDS} runs each, alternating order; MB/s = 10^6 bytes per second`);
    console.log(`  release create (directory bundle, hash + copy + sign): ${oursMBps.toFixed(0)} MB/s (${ours.map((s) => s.toFixed(2)).join(', ')} s)`);
    console.log(`  openssl dgst -sha256, one core:                        ${theirsMBps.toFixed(0)} MB/s (${theirs.map((s) => s.toFixed(2)).join(', ')} s)`);
    console.log(`  ratio ${ratio.toFixed(2)}×, aim ≥ ${AIM}×: ${ratio >= AIM ? 'met' : 'NOT met'}`);
}

/** A timed run whose release did not pin what openssl computed would be measuring something else: stop instead. */
async function checkPins(bundleDir: string, expected: Map<string, string>, baseDir: string): Promise<void> {
  const text = await readFile(path.join(bundleDir, 'manifest.dsse.json'), 'utf8');
  for (const [file, sha256] of expected) {
    const name = path.relative(baseDir, file).split(path.sep).join('/');
    if (!Buffer.from(text.match(/"payload":"([^"]+)"/)![1]!, 'base64').toString('utf8').includes(`"name": "${name}",\n      "digest": {\n        "sha256": "${sha256}"`)) {
      throw new Error(`the release did not pin ${name} as ${sha256}`);
    }
  }
}


async function digestsOf(command: string[]): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const line of (await run(command)).split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) digests.set(match[2]!, match[1]!);
  }
  return digests;
}

function run(command: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command.join(' ')} exited with ${code}`))));
  });
}

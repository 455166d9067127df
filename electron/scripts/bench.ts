// Benchmarks run on this machine against the standard tools, in the same run and on the same
// files: `npm run bench -- hash`. Each prints a table of our throughput, the baseline's, and
// the ratio against the aim.
import { spawn } from 'node:child_process';
import { randomFillSync, randomInt } from 'node:crypto';
import { link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { serializeEnvelope, signEnvelope } from '../../shared/crypto/dsse';
import { installNativeHashes } from '../services/native-hashes';
import { scratchFolder, writeRandomFile } from './bench-files';
import { generateSeed, publicKeyFromSeed } from '../../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../../shared/crypto/keys';
import { IN_TOTO_STATEMENT_V1, RELEASE_PREDICATE_V1 } from '../../shared/formats/manifest';
import { checkManifest, IN_TOTO_PAYLOAD_TYPE, MANIFEST_FILE } from '../../shared/verify/check-manifest';
import type { ArtifactKind, VerificationReport } from '../../shared/verify/report';
import { buildTrustContext, type TrustContext } from '../../shared/verify/trust';
import { createHashPool, type FileToHash } from '../services/hashing/hash-files';
import { ReviewSession } from '../services/session/review-session';
import { benchLineageLayout } from './bench-lineage-layout';
import { benchLineageImpact } from './bench-lineage-impact';
import { benchManifest } from './bench-manifest';
import { benchOms } from './bench-oms';
import { benchSignatures } from './bench-signatures';
import { benchRelease } from './bench-release';
import { benchBoard } from './bench-board';

const SCALE_VARIABLE = 'COUNTERSIGN_BENCH_SCALE';

const benchmarks: Record<string, { summary: string; run: (scale: number) => Promise<void> }> = {
  hash: { summary: 'verify bundles of two 1 GiB files, one 1 GiB file and 20,000 small files; compare with openssl and sha256sum', run: benchHash },
  manifest: { summary: 'check a 100,000-subject manifest (strict JSON, base64, signature); compare with JSON.parse of the payload', run: benchManifest },
  signatures: { summary: 'strict Ed25519 verifies/s against openssl speed; status of 1,000 approvals by a 50-member board next to verify', run: benchSignatures },
  release: { summary: 'create a release of two 1 GiB files (hash + copy + sign); compare with openssl dgst over the same files', run: benchRelease },
  oms: { summary: 'OMS verification of one 2 GiB model file, 256 MiB shards and a per-file digest; compare with openssl dgst -sha256', run: benchOms },
  lineage: { summary: 'lay out lineage graphs of 1,000, 5,000 and 10,000 nodes; time impact queries on 100,000 nodes', run: benchLineage },
  board: { summary: 'board sync of 1,000 new approvals on a 50-member board over a local bare repository; compare with git clone of it', run: benchBoard },
};

const usage = `usage: bench <name>

${Object.entries(benchmarks)
  .map(([key, { summary }]) => `  ${key.padEnd(10)}${summary}`)
  .join('\n')}

environment:
  ${SCALE_VARIABLE}=<s>   shrink the test data to s times its size (file sizes and
                                file count), 0 < s <= 1, for a quick trial run; figures at
                                s < 1 are not the benchmark`;

async function main(): Promise<void> {
  const name = process.argv[2];
  const benchmark = name === undefined ? undefined : benchmarks[name];
  const scale = parseScale(process.env[SCALE_VARIABLE]);
  if (!benchmark || scale === null) {
    if (scale === null) console.error(`${SCALE_VARIABLE} must be a number greater than 0 and at most 1, got ${JSON.stringify(process.env[SCALE_VARIABLE])}\n`);
    console.error(usage);
    process.exitCode = 2;
    return;
  }
  // As in the CLI and both hosts: shared/ hashes with OpenSSL through node:crypto.
  installNativeHashes();
  await benchmark.run(scale);
}

function parseScale(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return 1;
  const scale = Number(text);
  return scale > 0 && scale <= 1 ? scale : null;
}

// ---------------------------------------------------------------------------------------------
// lineage: the layout (bench-lineage-layout.ts) and the impact query, each in its own module

async function benchLineage(scale: number): Promise<void> {
  await benchLineageLayout(scale);
  await benchLineageImpact(scale);
}

// ---------------------------------------------------------------------------------------------
// hash

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const SMALL_FILE_COUNT = 20_000;
const SMALL_FILE_MAX_BYTES = 32 * 1024;
const ROUNDS = 3;

/** A blob of a bench bundle: its subject name, its file, and the sha256 its subject pins. */
interface PinnedBlob {
  name: string;
  file: FileToHash;
  sha256: string;
}

interface BenchSigner {
  seed: Uint8Array;
  keyId: string;
  openssh: string;
}

interface VerifyCase {
  name: string;
  bundleDir: string;
  blobs: readonly PinnedBlob[];
  baselineName: string;
  /** The baseline's command, over the very files of the bundle; run with its output discarded when timed. */
  baseline: string[];
  /** Minimum ratio of our throughput to the baseline's. */
  aim: number;
}

/**
 * The operation measured for Countersign: what `countersign verify` does short of printing.
 * Start the hash pool, open the bundle directory, check the manifest's signature, hash every
 * blob against its pinned digest, stop the pool. No hash cache, so every run hashes every byte.
 */
async function verifyWithFreshPool(bundleDir: string, trust: TrustContext): Promise<VerificationReport> {
  const hashPool = createHashPool();
  try {
    const session = await ReviewSession.open('bench', bundleDir, { hashPool });
    try {
      return await session.report(trust);
    } finally {
      await session.close();
    }
  } finally {
    await hashPool.close();
  }
}

/** A bench that timed a failed verification would be measuring something else: stop instead. */
function assertVerified(report: VerificationReport, verifyCase: VerifyCase): void {
  if (report.verdict === 'verified' && report.counts.ok === verifyCase.blobs.length) return;
  throw new Error(
    `the ${verifyCase.name} bundle did not verify: verdict ${report.verdict}, ${report.counts.ok} of ${verifyCase.blobs.length} blobs ok. ${report.reasons.join(' ')}`,
  );
}

async function benchHash(scale: number): Promise<void> {
  const largeBytes = Math.round(GiB * scale);
  const smallCount = Math.max(1, Math.round(SMALL_FILE_COUNT * scale));
  const scratch = scratchFolder('countersign-bench-');
  const dir = scratch.dir;
  try {
    console.log(`node ${process.version}, ${availableParallelism()} cores, ${await commandOutput(['openssl', 'version'])}`);
    if (scale !== 1) console.log(`${SCALE_VARIABLE}=${scale}: test data shrunk for a trial run; these figures are not the benchmark`);
    warnIfBusy();
    console.log(`writing test bundles to ${dir} ...`);
    const twoLargeDir = path.join(dir, 'two-large');
    const oneLargeDir = path.join(dir, 'one-large');
    const smallDir = path.join(dir, 'small');
    const largeFiles = [
      await writeBenchFile(path.join(twoLargeDir, 'artifacts', 'large-1.bin'), largeBytes),
      await writeBenchFile(path.join(twoLargeDir, 'artifacts', 'large-2.bin'), largeBytes),
    ];
    const smallFiles = await writeSmallFiles(path.join(smallDir, 'artifacts'), smallCount);
    const smallList = path.join(dir, 'small-files.list');
    await writeFile(smallList, smallFiles.map((f) => `${f.path}\0`).join(''));

    console.log('pinning digests: hashing every file once and checking it against the baselines (which also warms the page cache) ...');
    const largeBlobs = await pinDigests(twoLargeDir, largeFiles, ['openssl', 'dgst', '-sha256', '-r', ...largeFiles.map((f) => f.path)]);
    const smallBlobs = await pinDigests(smallDir, smallFiles, ['xargs', '-0', '-a', smallList, 'sha256sum']);
    // A hard link: the one-file bundle holds the very same bytes (same inode, same page cache) as the two-file one.
    const firstLarge = largeBlobs[0]!;
    const linkedPath = path.join(oneLargeDir, 'artifacts', firstLarge.name);
    await mkdir(path.dirname(linkedPath), { recursive: true });
    await link(firstLarge.file.path, linkedPath);
    const oneLargeBlobs = [{ ...firstLarge, file: { path: linkedPath, size: firstLarge.file.size } }];

    const signer = benchSigner();
    const trust = buildTrustContext({ source: 'store', board: null, pinned: [{ keyId: signer.keyId, name: 'bench', publicKey: signer.openssh }] });
    await writeSignedManifest(twoLargeDir, 'bench-two-large', largeBlobs, 'model', signer);
    await writeSignedManifest(oneLargeDir, 'bench-one-large', oneLargeBlobs, 'model', signer);
    await writeSignedManifest(smallDir, 'bench-small-files', smallBlobs, 'dataset', signer);

    const large = formatSize(largeBytes);
    const cases: VerifyCase[] = [
      { name: `two ${large} files`, bundleDir: twoLargeDir, blobs: largeBlobs, baselineName: 'openssl dgst', baseline: ['openssl', 'dgst', '-sha256', ...largeFiles.map((f) => f.path)], aim: 1.7 },
      { name: `one ${large} file`, bundleDir: oneLargeDir, blobs: oneLargeBlobs, baselineName: 'openssl dgst', baseline: ['openssl', 'dgst', '-sha256', linkedPath], aim: 0.9 },
      { name: `${smallCount.toLocaleString('en')} small files`, bundleDir: smallDir, blobs: smallBlobs, baselineName: 'sha256sum', baseline: ['xargs', '-0', '-a', smallList, 'sha256sum'], aim: 1.0 },
    ];

    const rows: string[][] = [];
    for (const verifyCase of cases) {
      const bytes = verifyCase.blobs.reduce((total, blob) => total + blob.file.size, 0);
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const timeOurs = async (): Promise<void> => {
          const { seconds, result } = await timed(() => verifyWithFreshPool(verifyCase.bundleDir, trust));
          assertVerified(result, verifyCase);
          ours.push(seconds);
        };
        const timeTheirs = async (): Promise<void> => void theirs.push((await timed(() => runDiscardingOutput(verifyCase.baseline))).seconds);
        // Alternate who goes first, so neither always meets a cache or CPU state left by the other.
        if (round % 2 === 0) {
          await timeOurs();
          await timeTheirs();
        } else {
          await timeTheirs();
          await timeOurs();
        }
      }
      const oursMBps = bytes / Math.min(...ours) / 1e6;
      const theirsMBps = bytes / Math.min(...theirs) / 1e6;
      const ratio = oursMBps / theirsMBps;
      rows.push([verifyCase.name, (bytes / MiB).toFixed(0), oursMBps.toFixed(0), verifyCase.baselineName, theirsMBps.toFixed(0), `${ratio.toFixed(2)}×`, `≥ ${verifyCase.aim.toFixed(1)}×`, ratio >= verifyCase.aim ? 'yes' : 'NO']);
    }
    // Other work on the machine only ever slows a run down, so the fastest run is the truest.
    console.log(`\nbest of ${ROUNDS} runs each, alternating order; ours is full bundle verification; MB/s = 10^6 bytes per second\n`);
    printTable(['case', 'MiB', 'ours MB/s', 'baseline', 'baseline MB/s', 'ratio', 'aim', 'met'], rows);
    console.log(`\n${await timeManifestCheck(smallDir, smallBlobs.length, trust)}`);
  } finally {
    scratch.remove();
  }
}

function benchSigner(): BenchSigner {
  const seed = generateSeed();
  const publicKey = publicKeyFromSeed(seed);
  return { seed, keyId: keyIdOf(publicKey), openssh: toOpenSshLine(publicKey, 'bench@countersign') };
}

/** Writes `manifest.dsse.json` (FORMATS §3, §4): one subject per blob, pinned by its sha256, signed by the bench key. */
async function writeSignedManifest(bundleDir: string, releaseName: string, blobs: readonly PinnedBlob[], kind: ArtifactKind, signer: BenchSigner): Promise<void> {
  const statement = {
    _type: IN_TOTO_STATEMENT_V1,
    subject: blobs.map((blob) => ({ name: blob.name, digest: { sha256: blob.sha256 } })),
    predicateType: RELEASE_PREDICATE_V1,
    predicate: {
      release: { name: releaseName, version: '1' },
      artifacts: Object.fromEntries(blobs.map((blob) => [blob.name, { kind, size: blob.file.size }])),
      createdBy: signer.keyId,
      createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  };
  const payload = new TextEncoder().encode(JSON.stringify(statement, null, 2) + '\n');
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId: signer.keyId, seed: signer.seed }]);
  await writeFile(path.join(bundleDir, MANIFEST_FILE), serializeEnvelope(envelope) + '\n');
}

/**
 * The manifest part of verification alone, for the largest manifest: strict JSON parse of the
 * envelope and payload, the signature check, and the statement's parse. Already inside the
 * verify time above; shown because it grows with the number of subjects, not bytes.
 */
async function timeManifestCheck(bundleDir: string, subjectCount: number, trust: TrustContext): Promise<string> {
  const bytes = await readFile(path.join(bundleDir, MANIFEST_FILE));
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { seconds: taken, result } = await timed(async () => checkManifest(bytes, trust));
    if (result.manifest?.subjects.length !== subjectCount || !result.signatures.some((signature) => signature.status === 'valid')) {
      throw new Error(`the manifest of ${bundleDir} did not check: ${result.findings.map((finding) => finding.message).join(' ')}`);
    }
    seconds.push(taken);
  }
  const milliseconds = (Math.min(...seconds) * 1000).toFixed(0);
  return `manifest of ${subjectCount.toLocaleString('en')} subjects (${(bytes.length / 1e6).toFixed(1)} MB): parse + signature check ${milliseconds} ms, best of ${ROUNDS} (part of the verify time above)`;
}

function formatSize(bytes: number): string {
  return bytes >= GiB ? `${Number((bytes / GiB).toFixed(2))} GiB` : `${Number((bytes / MiB).toFixed(1))} MiB`;
}

async function writeBenchFile(filePath: string, size: number): Promise<FileToHash> {
  await writeRandomFile(filePath, size);
  return { path: filePath, size };
}

/** Random sizes up to 32 KiB, 1,000 files per folder. */
async function writeSmallFiles(root: string, count: number): Promise<FileToHash[]> {
  const content = Buffer.allocUnsafe(SMALL_FILE_MAX_BYTES);
  const files: FileToHash[] = [];
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, String(Math.floor(i / 1000)).padStart(2, '0'));
    if (i % 1000 === 0) await mkdir(folder, { recursive: true });
    const size = randomInt(0, SMALL_FILE_MAX_BYTES + 1);
    const filePath = path.join(folder, `${i}.bin`);
    await writeFile(filePath, randomFillSync(content, 0, size).subarray(0, size));
    files.push({ path: filePath, size });
  }
  return files;
}

/**
 * The digests the bench manifests pin, computed once with the hash pool and checked against the
 * baseline's, so that a bench bundle is known to be right before anything is timed. Running the
 * baseline also reads every file into the page cache.
 */
async function pinDigests(bundleDir: string, files: readonly FileToHash[], baselineCommand: string[]): Promise<PinnedBlob[]> {
  const baseline = new Map<string, string>();
  // `openssl dgst -r` and `sha256sum` both print "<hex> *<path>" or "<hex>  <path>".
  for (const line of (await commandOutput(baselineCommand)).split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) baseline.set(match[2]!, match[1]!);
  }
  const pool = createHashPool();
  let ours: Map<string, string>;
  try {
    ours = await pool.hashFiles(files);
  } finally {
    await pool.close();
  }
  const wrong = files.filter((f) => ours.get(f.path) === undefined || ours.get(f.path) !== baseline.get(f.path));
  if (wrong.length > 0) throw new Error(`our SHA-256 differs from ${baselineCommand[0]} for ${wrong.length} files, first ${wrong[0]!.path}`);
  const artifactsDir = path.join(bundleDir, 'artifacts');
  return files.map((file) => ({ name: path.relative(artifactsDir, file.path).split(path.sep).join('/'), file, sha256: ours.get(file.path)! }));
}

async function timed<T>(operation: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await operation();
  return { seconds: (performance.now() - started) / 1000, result };
}

function runDiscardingOutput(command: string[]): Promise<void> {
  return run(command, 'ignore').then(() => undefined);
}

function commandOutput(command: string[]): Promise<string> {
  return run(command, 'pipe');
}

function run([program, ...args]: string[], stdout: 'pipe' | 'ignore'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program!, args, { stdio: ['ignore', stdout, 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8').trim());
      else reject(new Error(`${program} exited with code ${code}`));
    });
  });
}

/** The two-file aim needs two idle cores: say so when other processes compete for them. */
function warnIfBusy(): void {
  const [oneMinuteLoad = 0] = loadavg();
  if (oneMinuteLoad > availableParallelism() / 2) {
    console.log(`note: load average ${oneMinuteLoad.toFixed(1)} on ${availableParallelism()} cores; other processes compete, so figures are low and noisy`);
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]): string => cells.map((cell, column) => (column === 0 || column === 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}

await main();

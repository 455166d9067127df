// `npm run bench -- oms`: OMS verification of one 2 GiB model file, signed with 256 MiB shards
// and with one per-file digest, against `openssl dgst -sha256` over the same file, in the same
// run. Shards are hashed in parallel on the hash workers, so one large file uses every core.
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { open, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import type { VerificationReport } from '../../shared/verify/report';
import { loadTrustFlags } from '../services/foreign/load-trust-flags';
import { scratchFolder, writeRandomFile } from './bench-files';
import { createHashPool } from '../services/hashing/hash-files';
import { verifyOmsModel } from '../services/oms/verify-oms';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const ROUNDS = 3;
const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

interface OmsCase {
  name: string;
  modelDir: string;
  signaturePath: string;
  resources: number;
  aim: number;
}

export async function benchOms(scale = 1): Promise<void> {
  const fileBytes = Math.round(2 * GiB * scale);
  const shardBytes = Math.max(1, Math.round(256 * MiB * scale));
  const scratch = scratchFolder('countersign-bench-oms-');
  const dir = scratch.dir;
  try {
    console.log(`\noms: node ${process.version}, ${availableParallelism()} cores, ${await output(['openssl', 'version'])}`);
    const [load = 0] = loadavg();
    if (load > availableParallelism() / 2) console.log(`note: load average ${load.toFixed(1)} on ${availableParallelism()} cores; other processes compete, so figures are low and noisy`);
    const modelDir = path.join(dir, 'model');
    const weights = path.join(modelDir, 'weights.bin');
    console.log(`writing a ${(fileBytes / MiB).toFixed(0)} MiB model file to ${dir} ...`);
    await writeRandomFile(weights, fileBytes);

    console.log('signing it both ways (digests checked against openssl, which also warms the page cache) ...');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyPath = path.join(dir, 'signer.pub');
    await writeFile(keyPath, publicKey.export({ type: 'spki', format: 'pem' }));
    const { whole, shards } = await digestsOf(weights, shardBytes);
    const baselineDigest = (await output(['openssl', 'dgst', '-sha256', '-r', weights])).split(' ')[0];
    if (baselineDigest !== whole) throw new Error(`openssl's SHA-256 ${baselineDigest} differs from ours ${whole}`);
    const writeBundle = async (name: string, resources: typeof shards, serialization: Record<string, unknown>): Promise<string> => {
      const root = createHash('sha256');
      for (const resource of resources) root.update(Buffer.from(resource.digest, 'hex'));
      const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'model', digest: { sha256: root.digest('hex') } }], predicateType: 'https://model_signing/signature/v1.0', predicate: { resources, serialization } };
      const payload = Buffer.from(JSON.stringify(statement));
      const pae = Buffer.concat([Buffer.from(`DSSEv1 ${PAYLOAD_TYPE.length} ${PAYLOAD_TYPE} ${payload.length} `), payload]);
      const bundle = {
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: { publicKey: { hint: 'bench' }, tlogEntries: [] },
        dsseEnvelope: { payload: payload.toString('base64'), payloadType: PAYLOAD_TYPE, signatures: [{ sig: sign('sha256', pae, privateKey).toString('base64'), keyid: '' }] },
      };
      const signaturePath = path.join(dir, name);
      await writeFile(signaturePath, JSON.stringify(bundle));
      return signaturePath;
    };
    const size = (bytes: number): string => (bytes >= GiB ? `${Number((bytes / GiB).toFixed(2))} GiB` : `${Number((bytes / MiB).toFixed(1))} MiB`);
    const cases: OmsCase[] = [
      {
        name: `one ${size(fileBytes)} file, ${size(shardBytes)} shards`,
        modelDir,
        signaturePath: await writeBundle('sharded.sig', shards, { method: 'shards', hash_type: 'sha256', shard_size: shardBytes, allow_symlinks: false }),
        resources: shards.length,
        aim: 1.7,
      },
      {
        name: `one ${size(fileBytes)} file, per-file digest`,
        modelDir,
        signaturePath: await writeBundle('files.sig', [{ name: 'weights.bin', algorithm: 'sha256', digest: whole }], { method: 'files', hash_type: 'sha256', allow_symlinks: false }),
        resources: 1,
        aim: 0.95,
      },
    ];

    const rows: string[][] = [];
    for (const omsCase of cases) {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const timeOurs = async (): Promise<void> => {
          const started = performance.now();
          const report = await verifyWithFreshPool(omsCase, keyPath);
          ours.push((performance.now() - started) / 1000);
          if (report.verdict !== 'verified' || report.counts.ok !== omsCase.resources) throw new Error(`the bench model did not verify: ${report.verdict}: ${report.reasons.join(' ')}`);
        };
        const timeTheirs = async (): Promise<void> => {
          const started = performance.now();
          await output(['openssl', 'dgst', '-sha256', weights]);
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
      const oursMBps = fileBytes / Math.min(...ours) / 1e6;
      const theirsMBps = fileBytes / Math.min(...theirs) / 1e6;
      const ratio = oursMBps / theirsMBps;
      rows.push([omsCase.name, oursMBps.toFixed(0), theirsMBps.toFixed(0), `${ratio.toFixed(2)}×`, `≥ ${omsCase.aim.toFixed(2)}×`, ratio >= omsCase.aim ? 'yes' : 'NO']);
    }
    console.log(`\nbest of ${ROUNDS} runs each, alternating order; ours is full OMS verification (bundle, signature, every resource); MB/s = 10^6 bytes per second\n`);
    const header = ['case', 'ours MB/s', 'openssl dgst MB/s', 'ratio', 'aim', 'met'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const format = (cells: string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
    console.log(format(header));
    console.log(widths.map((width) => '-'.repeat(width)).join('  '));
    for (const row of rows) console.log(format(row));
  } finally {
    scratch.remove();
  }
}

/** What `countersign verify <model> --signature <sig> --key <pub>` does short of printing, with a fresh hash pool. */
async function verifyWithFreshPool(omsCase: OmsCase, keyPath: string): Promise<VerificationReport> {
  const hashPool = createHashPool();
  try {
    const trust = await loadTrustFlags({ keys: [keyPath] }, { namespace: null, links: null, ignorePaths: [], ignoreUnsignedFiles: false, threshold: 1 });
    return await verifyOmsModel({
      format: 'oms',
      target: { path: omsCase.modelDir, kind: 'directory' },
      signature: { path: omsCase.signaturePath, bytes: new Uint8Array(await readFile(omsCase.signaturePath)), separate: true },
      trust,
      job: {},
      hashPool,
      now: new Date(),
    });
  } finally {
    await hashPool.close();
  }
}

/** The whole file's SHA-256 and each shard's, in one streaming pass (2 GiB is past what readFile reads). */
async function digestsOf(filePath: string, shardBytes: number): Promise<{ whole: string; shards: { name: string; algorithm: string; digest: string }[] }> {
  const whole = createHash('sha256');
  const shards: { name: string; algorithm: string; digest: string }[] = [];
  const chunk = Buffer.allocUnsafe(16 * MiB);
  const file = await open(filePath, 'r');
  try {
    const size = (await file.stat()).size;
    for (let start = 0; start < size; start += shardBytes) {
      const end = Math.min(start + shardBytes, size);
      const shard = createHash('sha256');
      for (let position = start; position < end; ) {
        const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, end - position), position);
        if (bytesRead === 0) throw new Error(`${filePath} shrank while it was hashed`);
        shard.update(chunk.subarray(0, bytesRead));
        whole.update(chunk.subarray(0, bytesRead));
        position += bytesRead;
      }
      shards.push({ name: `${path.basename(filePath)}:${start}:${end}`, algorithm: 'sha256', digest: shard.digest('hex') });
    }
  } finally {
    await file.close();
  }
  return { whole: whole.digest('hex'), shards };
}


function output([program, ...args]: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8').trim()) : reject(new Error(`${program} exited with code ${code}`))));
  });
}

// `npm run bench -- signatures`: strict Ed25519 verifications per second against
// `openssl speed ed25519` on the same machine in the same run, then what they are for: the
// approvals of a board. `status` (verify the bundle, check 1,000 approvals from a 50-member board,
// evaluate the board) is timed next to verifying the same bundle alone.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomFillSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { buildApprovalStatement } from '../../shared/approvals/approval-statement';
import { checkApprovalEnvelope } from '../../shared/approvals/check-approval';
import { serializeEnvelope, signEnvelope } from '../../shared/crypto/dsse';
import { publicKeyFromSeed, signEd25519, useEd25519Verifier, VerifyingKey } from '../../shared/crypto/ed25519';
import { sha256Hex } from '../../shared/crypto/hash';
import { keyIdOf, toOpenSshLine } from '../../shared/crypto/keys';
import { IN_TOTO_STATEMENT_V1, RELEASE_PREDICATE_V1 } from '../../shared/formats/manifest';
import { IN_TOTO_PAYLOAD_TYPE, MANIFEST_FILE } from '../../shared/verify/check-manifest';
import { buildTrustContext } from '../../shared/verify/trust';
import { evaluateApprovals } from '../services/approvals/approval-service';
import { createHashPool } from '../services/hashing/hash-files';
import { installNativeEd25519 } from '../services/native-ed25519';
import { parseBoardPolicyBytes } from '../services/trust/board-file';
import { ReviewSession } from '../services/session/review-session';

const SECONDS = 2;
const VERIFY_AIM = 0.8;
const STATUS_AIM = 2;
const APPROVALS = 1_000;
const BOARD_MEMBERS = 50;
const BLOBS = 100;
const BLOB_BYTES = 256 * 1024;
const ROUNDS = 3;
const encoder = new TextEncoder();

export async function benchSignatures(scale = 1): Promise<void> {
  console.log(`\nsignatures: node ${process.version}, ${availableParallelism()} cores, ${await commandOutput(['openssl', 'version'])}`);
  await benchVerifyRate();
  await benchStatus(scale);
}

interface BenchKey {
  seed: Uint8Array;
  keyId: string;
  openssh: string;
  verifyingKey: VerifyingKey;
}

function benchKey(label: string): BenchKey {
  const seed = randomBytes(32);
  const publicKey = publicKeyFromSeed(seed);
  const verifyingKey = VerifyingKey.fromBytes(publicKey);
  if (typeof verifyingKey === 'string') throw new Error(`bench key ${label}: ${verifyingKey}`);
  return { seed, keyId: keyIdOf(publicKey), openssh: toOpenSshLine(publicKey, `${label}@bench`), verifyingKey };
}

/** Strict verifications of one signature over a 64-byte message, for SECONDS, on this thread. */
function verifiesPerSecond(seconds: number): number {
  const key = benchKey('rate');
  const message = randomBytes(64);
  const signature = signEd25519(message, key.seed);
  const tampered = Uint8Array.from(signature);
  tampered[40]! ^= 1;
  if (!key.verifyingKey.verify(signature, message) || key.verifyingKey.verify(tampered, message)) throw new Error('the bench signature does not check as it should');
  let count = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) if (!key.verifyingKey.verify(signature, message)) throw new Error('a valid signature failed');
    count += 100;
  }
  return count / ((performance.now() - started) / 1000);
}

async function benchVerifyRate(): Promise<void> {
  const openssl: number[] = [];
  const native: number[] = [];
  const rawNode: number[] = [];
  // Two rounds, alternating with openssl, best of each: other work on the machine only slows a run.
  for (let round = 0; round < 2; round++) {
    openssl.push(await opensslVerifyRate());
    native.push(verifiesWith('native'));
    rawNode.push(rawNodeVerifiesPerSecond(SECONDS / 2));
  }
  const portableRate = verifiesWith('portable');
  installNativeEd25519();
  const opensslRate = Math.max(...openssl);
  const row = (name: string, rate: number, aim: number | null): string[] => {
    const ratio = rate / opensslRate;
    return [name, rate.toFixed(0), opensslRate.toFixed(0), `${ratio.toFixed(2)}×`, aim === null ? '' : `≥ ${aim.toFixed(1)}×`, aim === null ? '' : ratio >= aim ? 'yes' : 'NO'];
  };
  console.log(`\nstrict Ed25519 verifications per second, one core, best of 2 runs alternating with openssl (key checked once; S < L, R canonical and not small-order per signature)\n`);
  printTable(
    ['verifier', 'verify/s', 'openssl speed verify/s', 'ratio', 'aim', 'met'],
    [
      row('strict checks + node:crypto (OpenSSL)', Math.max(...native), VERIFY_AIM),
      row('node:crypto verify alone, no checks (its ceiling)', Math.max(...rawNode), null),
      row('strict checks + portable (@noble, the browser fallback)', portableRate, null),
    ],
  );
}

/** `openssl speed -seconds 2 ed25519`: its verify/s figure (the last column of the Ed25519 row). */
async function opensslVerifyRate(): Promise<number> {
  const speed = await commandOutput(['openssl', 'speed', '-seconds', String(SECONDS), 'ed25519']);
  const line = speed.split('\n').find((text) => /Ed25519\)/.test(text) && /\d+\.\d+\s*$/.test(text));
  const rate = Number(line?.trim().split(/\s+/).pop());
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`cannot read the verify/s figure of openssl speed:\n${speed}`);
  return rate;
}

function verifiesWith(verifier: 'native' | 'portable'): number {
  if (verifier === 'native') installNativeEd25519();
  else useEd25519Verifier(null);
  return verifiesPerSecond(verifier === 'native' ? SECONDS : SECONDS / 2);
}

function rawNodeVerifiesPerSecond(seconds: number): number {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const message = randomBytes(64);
  const signature = sign(null, message, privateKey);
  let count = 0;
  const started = performance.now();
  while (performance.now() < started + seconds * 1000) {
    for (let i = 0; i < 100; i++) if (!verify(null, message, publicKey, signature)) throw new Error('a valid signature failed');
    count += 100;
  }
  return count / ((performance.now() - started) / 1000);
}

/**
 * A bundle of BLOBS blobs whose manifest a board producer signed, and 1,000 approvals by the 50
 * members in approvals/ (twenty decisions each, the latest counting), under a board policy file.
 */
async function benchStatus(scale: number): Promise<void> {
  const approvalCount = Math.max(BOARD_MEMBERS, Math.round(APPROVALS * scale));
  const dir = mkdtempSync(path.join(tmpdir(), 'countersign-bench-signatures-'));
  try {
    const producer = benchKey('producer');
    const members = Array.from({ length: BOARD_MEMBERS }, (_, i) => ({ name: `Member ${i + 1}`, key: benchKey(`member-${i + 1}`) }));
    const policyBytes = encoder.encode(
      JSON.stringify({
        board: 'Bench board',
        version: 1,
        members: members.map(({ name, key }, i) => ({ name, roles: i % 5 === 0 ? ['risk', 'ml'] : ['ml'], keys: [key.openssh] })),
        producers: [{ name: 'training CI', keys: [producer.openssh] }],
        rules: { approvalsRequired: 5, rolesRequired: { risk: 2 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
      }),
    );
    const board = parseBoardPolicyBytes(policyBytes, 'the bench board');
    const trust = buildTrustContext({ source: 'board-file', board: board.policy });

    const blobs: { name: string; sha256: string }[] = [];
    const content = Buffer.allocUnsafe(BLOB_BYTES);
    await mkdir(path.join(dir, 'artifacts', 'data'), { recursive: true });
    for (let i = 0; i < BLOBS; i++) {
      const name = `data/part-${i}.bin`;
      await writeFile(path.join(dir, 'artifacts', name), randomFillSync(content));
      blobs.push({ name, sha256: sha256Hex(content) });
    }
    const statement = {
      _type: IN_TOTO_STATEMENT_V1,
      subject: blobs.map((blob) => ({ name: blob.name, digest: { sha256: blob.sha256 } })),
      predicateType: RELEASE_PREDICATE_V1,
      predicate: {
        release: { name: 'bench-status', version: '1' },
        artifacts: Object.fromEntries(blobs.map((blob) => [blob.name, { kind: 'dataset', size: BLOB_BYTES }])),
        createdBy: producer.keyId,
        createdAt: '2026-11-01T12:00:00Z',
      },
    };
    const payload = encoder.encode(JSON.stringify(statement));
    await writeFile(path.join(dir, MANIFEST_FILE), serializeEnvelope(signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId: producer.keyId, seed: producer.seed }])));

    const approvalFiles: Uint8Array[] = [];
    await mkdir(path.join(dir, 'approvals'));
    for (let i = 0; i < approvalCount; i++) {
      const member = members[i % BOARD_MEMBERS]!;
      const approval = buildApprovalStatement({
        releaseName: 'bench-status',
        releaseVersion: '1',
        manifestDigest: sha256Hex(payload),
        decision: 'approve',
        role: i % 5 === 0 ? 'risk' : 'ml',
        reviewer: member.key.keyId,
        policyDigest: board.digest,
        reviewedAt: new Date(Date.now() - (approvalCount - i) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      });
      const bytes = encoder.encode(serializeEnvelope(signEnvelope(IN_TOTO_PAYLOAD_TYPE, encoder.encode(JSON.stringify(approval)), [{ keyId: member.key.keyId, seed: member.key.seed }])));
      approvalFiles.push(bytes);
      await writeFile(path.join(dir, 'approvals', `${String(i).padStart(4, '0')}.dsse.json`), bytes);
    }

    const verifyMs: number[] = [];
    const statusMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const timeVerify = async (): Promise<void> => {
        const hashPool = createHashPool();
        const started = performance.now();
        try {
          const session = await ReviewSession.open('bench-verify', dir, { hashPool });
          const report = await session.report(trust).finally(() => session.close());
          if (report.verdict !== 'verified') throw new Error(`the bench bundle did not verify: ${report.reasons.join(' ')}`);
        } finally {
          await hashPool.close();
        }
        verifyMs.push(performance.now() - started);
      };
      const timeStatus = async (): Promise<void> => {
        const hashPool = createHashPool();
        const started = performance.now();
        try {
          // What `countersign status` does: one session, verified, its approvals judged.
          const session = await ReviewSession.open('bench-status', dir, { hashPool });
          const status = await evaluateApprovals(session, { board, trust, profileApprovals: null }).finally(() => session.close());
          const counted = status.evaluation.approvals.filter((approval) => approval.outcome === 'counted').length;
          if (!status.evaluation.approved || counted === 0) throw new Error(`the bench approvals did not approve the release (${counted} counted)`);
        } finally {
          await hashPool.close();
        }
        statusMs.push(performance.now() - started);
      };
      // Alternate who goes first, so neither always meets a cache or heap left by the other.
      if (round % 2 === 0) {
        await timeVerify();
        await timeStatus();
      } else {
        await timeStatus();
        await timeVerify();
      }
    }
    const verifyBest = Math.min(...verifyMs);
    const statusBest = Math.min(...statusMs);
    const ratio = statusBest / verifyBest;
    console.log(`\nstatus of a bundle of ${BLOBS} blobs of ${BLOB_BYTES / 1024} KiB with ${approvalCount.toLocaleString('en')} approvals by a ${BOARD_MEMBERS}-member board, best of ${ROUNDS}, alternating order, fresh hash pool each\n`);
    printTable(
      ['operation', 'ms', 'ratio to verify', 'aim', 'met'],
      [
        ['verify the bundle', verifyBest.toFixed(0), '1.00×', '', ''],
        ['status: verify + check and evaluate every approval', statusBest.toFixed(0), `${ratio.toFixed(2)}×`, `< ${STATUS_AIM}×`, ratio < STATUS_AIM ? 'yes' : 'NO'],
      ],
    );
    for (const boardSize of [5, BOARD_MEMBERS]) {
      const smallTrust = buildTrustContext({ source: 'board-file', board: { ...board.policy, members: board.policy.members.slice(0, boardSize) } });
      const files = approvalFiles.filter((_, i) => i % BOARD_MEMBERS < boardSize);
      const started = performance.now();
      const checked = files.map((bytes) => checkApprovalEnvelope(null, bytes, smallTrust));
      const perApproval = (performance.now() - started) / files.length;
      if (checked.some((approval) => approval.signatureStatus !== 'valid')) throw new Error('a bench approval did not verify');
      console.log(`checking one approval envelope (strict JSON, signature, statement) on a ${boardSize}-member board: ${(perApproval * 1000).toFixed(0)} µs`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function commandOutput([program, ...args]: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program!, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8').trim()) : reject(new Error(`${program} exited with code ${code}`))));
  });
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}

// `npm run bench -- board`: a board of 50 members on a local bare repository (file://) that
// already holds 1,000 approvals this machine synced, then 1,000 new approvals (twenty per member,
// each member's log extended by one signed checkpoint). Timed: what `countersign board sync` does
// short of printing (sync, then the status it shows), pulling the new approvals, next to plain
// `git clone` of the same repository in the same run; then a resync with nothing new, and the
// same sync with the verification cache removed (every object verified again).
import { spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { cp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { buildApprovalStatement } from '../../shared/approvals/approval-statement';
import { fingerprintHexOf } from '../../shared/board-repo/member-keys';
import { boardPaths } from '../../shared/board-repo/board-paths';
import { extendMemberLog, type BoardPublisher } from '../../shared/board-repo/plan-sync';
import { pae, serializeEnvelope } from '../../shared/crypto/dsse';
import { sha256Hex } from '../../shared/crypto/hash';
import { keyIdOf, toOpenSshLine } from '../../shared/crypto/keys';
import { MerkleFrontier } from '../../shared/transparency/merkle';
import { IN_TOTO_PAYLOAD_TYPE } from '../../shared/verify/check-manifest';
import { BoardService, type MemberSigner, type SyncOutcome } from '../services/board/board-service';
import { GitTransport } from '../services/board/git-transport';
import { installNativeEd25519 } from '../services/native-ed25519';
import { scratchFolder } from './bench-files';

const MEMBERS = 50;
const APPROVALS = 1_000;
const ROUNDS = 3;
const encoder = new TextEncoder();
/** DER PKCS#8 of an Ed25519 private key, less the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

interface BenchMember {
  name: string;
  keyId: string;
  publicKey: Uint8Array;
  openssh: string;
  privateKey: KeyObject;
  frontier: MerkleFrontier;
}

export async function benchBoard(scale = 1): Promise<void> {
  installNativeEd25519();
  const perMember = Math.max(1, Math.round((APPROVALS * scale) / MEMBERS));
  const approvals = perMember * MEMBERS;
  console.log(`\nboard: node ${process.version}, ${(await output('git', ['--version'])).trim()}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}`);
  const scratch = scratchFolder('countersign-bench-board-');
  try {
    const bare = path.join(scratch.dir, 'board.git');
    const remote = `file://${bare}`;
    await output('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    const members = Array.from({ length: MEMBERS }, (_, i) => benchMember(`Member ${i + 1}`));
    const policy = encoder.encode(
      JSON.stringify({
        board: 'Bench board',
        version: 1,
        members: members.map((member, i) => ({ name: member.name, roles: i % 5 === 0 ? ['risk', 'ml'] : ['ml'], keys: [member.openssh] })),
        rules: { approvalsRequired: 5, rolesRequired: { risk: 2 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
      }),
    );
    const genesis = sha256Hex(policy);

    // Someone's machine writes the board with git plumbing (blobs, a private index, one commit per round).
    const writerDir = path.join(scratch.dir, 'writer.git');
    const writer = new GitTransport(writerDir);
    await writer.init(remote);
    const pushCommit = (files: ReadonlyMap<string, Uint8Array>, message: string) => commitAndPush(writer, `${writerDir}.index`, files, message);
    const started = performance.now();
    await pushCommit(new Map([[boardPaths.policy(1, genesis), policy]]), 'genesis');
    await pushCommit(await approvalRound(genesis, members, perMember, 0), `${approvals} approvals`);
    const older = performance.now() - started;

    // This machine: a member who has synced the board with its first 1,000 approvals.
    const me = members[0]!;
    const signer: MemberSigner = { keyId: me.keyId, publicKey: me.publicKey, sign: async (message) => new Uint8Array(sign(null, message, me.privateKey)) };
    const baseDir = path.join(scratch.dir, 'me-base');
    const base = new BoardService({ dataDir: baseDir });
    await base.clone(remote, { genesis, importedPolicyDigest: null }, [me.keyId]);
    expectClean(await base.sync(signer), 'the first sync');
    const historyHead = (await output('git', ['--git-dir', bare, 'rev-parse', 'main'])).trim();

    const newStarted = performance.now();
    await pushCommit(await approvalRound(genesis, members, perMember, 1), `${approvals} more approvals`);
    const newer = performance.now() - newStarted;
    const newHead = (await output('git', ['--git-dir', bare, 'rev-parse', 'main'])).trim();
    const fileCount = (await output('git', ['--git-dir', bare, 'ls-tree', '-r', '--name-only', 'main'])).split('\n').filter(Boolean).length;
    console.log(`setup: ${approvals.toLocaleString('en')} older approvals by ${MEMBERS} members written and synced (${older.toFixed(0)} ms to sign and commit), then ${approvals.toLocaleString('en')} new ones (${newer.toFixed(0)} ms); the repository holds ${fileCount.toLocaleString('en')} files; history head ${historyHead.slice(0, 12)}`);

    const clone: number[] = [];
    const sync: number[] = [];
    const resync: number[] = [];
    const cold: number[] = [];
    let work: SyncOutcome['work'] | null = null;
    let resyncWork: SyncOutcome['work'] | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const timeClone = async (): Promise<void> => {
        const target = path.join(scratch.dir, `clone-${round}`);
        const at = performance.now();
        await output('git', ['clone', '--quiet', remote, target]);
        clone.push(performance.now() - at);
        await rm(target, { recursive: true, force: true });
      };
      const timeSync = async (): Promise<void> => {
        const dataDir = path.join(scratch.dir, `me-${round}`);
        await cp(baseDir, dataDir, { recursive: true });
        const at = performance.now();
        const outcome = await boardSync(dataDir, signer);
        sync.push(performance.now() - at);
        expectClean(outcome, 'the sync of the new approvals');
        const onBoard = [...(outcome.board?.approvals.values() ?? [])].reduce((sum, list) => sum + list.length, 0);
        if (onBoard !== 2 * approvals || outcome.work.signaturesChecked < approvals) throw new Error(`the bench sync did not take in the new approvals (${onBoard} on the board)`);
        work = outcome.work;
        const again = performance.now();
        resyncWork = expectClean(await boardSync(dataDir, signer), 'the resync').work;
        resync.push(performance.now() - again);
        await rm(dataDir, { recursive: true, force: true });
        // The remote as it was before this round's sync pushed its cosignatures: every round pulls the same.
        await output('git', ['--git-dir', bare, 'update-ref', 'refs/heads/main', newHead]);
      };
      const timeCold = async (): Promise<void> => {
        const dataDir = path.join(scratch.dir, `cold-${round}`);
        await cp(baseDir, dataDir, { recursive: true });
        await rm(path.join(dataDir, 'board', 'verified.json'));
        const at = performance.now();
        expectClean(await boardSync(dataDir, signer), 'the sync without a cache');
        cold.push(performance.now() - at);
        await rm(dataDir, { recursive: true, force: true });
        await output('git', ['--git-dir', bare, 'update-ref', 'refs/heads/main', newHead]);
      };
      // Alternate who goes first, so that none always meets the page cache warmed by another.
      const order = round % 2 === 0 ? [timeClone, timeSync, timeCold] : [timeCold, timeSync, timeClone];
      for (const step of order) await step();
    }
    const cloneBest = Math.min(...clone);
    const row = (name: string, times: number[]): string[] => {
      const best = Math.min(...times);
      return [name, best.toFixed(0), (best / cloneBest).toFixed(2) + '×'];
    };
    console.log(`\n${MEMBERS}-member board over file://, best of ${ROUNDS}, alternating order; ratio to \`git clone\` of the same repository in the same run\n`);
    printTable(
      ['operation', 'ms', 'ratio to git clone'],
      [
        ['git clone of the whole repository (baseline)', cloneBest.toFixed(0), '1.00×'],
        row(`board sync pulling ${approvals.toLocaleString('en')} new approvals (history of ${approvals.toLocaleString('en')} synced)`, sync),
        row('board sync again, nothing new', resync),
        row(`board sync of the same ${approvals.toLocaleString('en')}, verification cache removed`, cold),
      ],
    );
    const describe = (w: SyncOutcome['work'] | null): string => (w === null ? '?' : `${w.filesRead} files read from git, ${w.signaturesChecked} signatures checked, ${w.leavesHashed} log leaves hashed`);
    console.log(`\nwork of the sync: ${describe(work)}; of the resync: ${describe(resyncWork)}`);
    console.log('(board sync: fetch, verify, cosign the 49 other members\' new log heads, commit, push, then the status the CLI shows)');
  } finally {
    scratch.remove();
  }
}

function benchMember(name: string): BenchMember {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, randomBytes(32)]), format: 'der', type: 'pkcs8' });
  const publicKey = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12));
  return { name, keyId: keyIdOf(publicKey), publicKey, openssh: toOpenSshLine(publicKey, `${name.replace(' ', '-').toLowerCase()}@bench`), privateKey, frontier: new MerkleFrontier() };
}

/** Twenty (per member) approvals of distinct releases, signed natively, and each member's log extended by them. */
async function approvalRound(genesis: string, members: BenchMember[], perMember: number, round: number): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const [index, member] of members.entries()) {
    const leaves: string[] = [];
    for (let i = 0; i < perMember; i++) {
      const manifestDigest = sha256Hex(encoder.encode(`bench release ${round} ${i}`));
      const statement = buildApprovalStatement({
        releaseName: `bench-${round}-${i}`,
        releaseVersion: '1',
        manifestDigest,
        decision: 'approve',
        role: index % 5 === 0 ? 'risk' : 'ml',
        reviewer: member.keyId,
        policyDigest: genesis,
        reviewedAt: new Date(Date.UTC(2026, 10, 1, 12, round, i)).toISOString().replace(/\.\d+Z$/, 'Z'),
      });
      const payload = encoder.encode(JSON.stringify(statement));
      const sig = new Uint8Array(sign(null, pae(IN_TOTO_PAYLOAD_TYPE, payload), member.privateKey));
      const bytes = encoder.encode(serializeEnvelope({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload, signatures: [{ keyid: member.keyId, sig }] }) + '\n');
      const filePath = boardPaths.approval(manifestDigest, sha256Hex(bytes));
      files.set(filePath, bytes);
      leaves.push(filePath);
    }
    const publisher: BoardPublisher = { fingerprintHex: fingerprintHexOf(member.keyId), publicKey: member.publicKey, sign: async (message) => new Uint8Array(sign(null, message, member.privateKey)) };
    const extended = await extendMemberLog(genesis, publisher, member.frontier, leaves.sort());
    member.frontier = extended.frontier;
    for (const [filePath, bytes] of extended.files) files.set(filePath, bytes);
  }
  return files;
}

async function commitAndPush(writer: GitTransport, indexFile: string, files: ReadonlyMap<string, Uint8Array>, message: string): Promise<void> {
  if (!(await writer.fetch())) throw new Error('the bench remote cannot be reached');
  const commit = await writer.commitFiles(files, message, indexFile);
  if ((await writer.push(commit)) !== 'pushed') throw new Error(`the bench commit "${message}" was not pushed`);
}

/** What `countersign board sync` does short of printing: the sync, then the board's status. */
async function boardSync(dataDir: string, signer: MemberSigner): Promise<SyncOutcome> {
  const service = new BoardService({ dataDir });
  const outcome = await service.sync(signer);
  await service.status();
  return outcome;
}

function expectClean(outcome: SyncOutcome, what: string): SyncOutcome {
  if (outcome.outcome !== 'synced' || outcome.problems.length > 0) throw new Error(`${what} did not sync cleanly: ${outcome.outcome} ${outcome.problems.map((p) => p.message).join(' ')}`);
  return outcome;
}

function output(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${program} ${args.join(' ')}: exit ${code}: ${Buffer.concat(errors).toString('utf8')}`))));
  });
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}

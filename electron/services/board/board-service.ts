import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pae, serializeEnvelope } from '../../../shared/crypto/dsse';
import { sha256Hex } from '../../../shared/crypto/hash';
import { parseBoardPolicy, type BoardPolicy } from '../../../shared/formats/board-policy';
import { parseStrictJson, type JsonObject } from '../../../shared/json/strict-json';
import { endorsementStatement, noticeStatement, revocationStatement, type NoticeTarget } from '../../../shared/board-repo/board-objects';
import { boardPaths } from '../../../shared/board-repo/board-paths';
import type { BoardProblem } from '../../../shared/board-repo/board-problems';
import { fingerprintHexOf, memberOf } from '../../../shared/board-repo/member-keys';
import { planSync, type BoardPublisher } from '../../../shared/board-repo/plan-sync';
import type { VerificationCache } from '../../../shared/board-repo/verification-cache';
import { verifyBoard, type VerifiedBoard } from '../../../shared/board-repo/verify-board';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../shared/verify/check-manifest';
import { BoardError } from './board-error';
import { BoardHome, type BoardSettings } from './board-home';
import { GitTransport } from './git-transport';

/** Signs with a member key held on this machine; the private key stays behind this interface. */
export interface MemberSigner {
  keyId: string;
  publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export interface BoardServiceOptions {
  dataDir: string;
  now?: () => Date;
  /** The local audit log's head, published in this member's log so a rollback of it shows. */
  auditHead?: () => { hash: string; count: number } | null;
  /** Pushes lost to a concurrent push are retried this many times, with backoff. */
  maxAttempts?: number;
}

export interface SyncOutcome {
  outcome: 'synced' | 'offline' | 'problems';
  attempts: number;
  commit: string | null;
  published: string[];
  cosigned: string[];
  restored: string[];
  queued: number;
  problems: BoardProblem[];
  board: VerifiedBoard | null;
  /** In plain words, when the sync could not finish talking to the remote (offline, or a push cut off); null otherwise. */
  detail: string | null;
  /** What this sync cost: files read from git's objects, signatures checked, log leaves hashed (the rest was known). */
  work: SyncWork;
}

export interface SyncWork {
  filesRead: number;
  signaturesChecked: number;
  leavesHashed: number;
}

const encoder = new TextEncoder();

export class BoardService {
  readonly home: BoardHome;
  private readonly git: GitTransport;
  private readonly now: () => Date;
  private cache: Promise<VerificationCache> | null = null;
  /** The accepted copy as this service last read and extended it: the status after a sync does not read it again. */
  private acceptedCopy: Map<string, Uint8Array> | null = null;
  private filesRead = 0;

  constructor(private readonly options: BoardServiceOptions) {
    this.home = new BoardHome(options.dataDir);
    this.git = new GitTransport(this.home.gitDir);
    this.now = options.now ?? (() => new Date());
  }

  /** Creates the board on an empty remote, with `policyBytes` as its genesis, and pushes it. */
  async init(remote: string, policyBytes: Uint8Array, signer: MemberSigner): Promise<SyncOutcome> {
    const policy = readPolicy(policyBytes);
    if (memberOf(policy, signer.keyId) === null) throw new BoardError('refused', `Key ${signer.keyId} is not a member's key in this board policy: a board is created by one of its members.`);
    const genesis = sha256Hex(policyBytes);
    await this.home.create({ format: 'countersign-board-home/v1', remote, genesis, pinnedBy: 'created', memberKeyId: signer.keyId, lastSync: null });
    try {
      await this.git.init(remote);
      if (!(await this.git.fetch())) throw new BoardError('unreadable', `The remote ${remote} cannot be reached.`);
      if ((await this.git.remoteCommit()) !== null) throw new BoardError('conflict', `The remote ${remote} is not empty: clone the board that is there instead (\`countersign board clone\`).`);
      // The genesis goes up first, alone: the board exists once its first policy is on the remote.
      const path = boardPaths.policy(policy.version, genesis);
      const first = await this.git.commitFiles(new Map([[path, policyBytes]]), 'Countersign board: genesis policy', join(this.home.root, `index.${process.pid}`));
      if ((await this.git.push(first)) !== 'pushed') throw new BoardError('conflict', `The genesis policy could not be pushed to ${remote}: someone else is creating a board there.`);
      await this.home.enqueue(path, policyBytes);
      return await this.sync(signer);
    } catch (error) {
      await this.home.discard();
      throw error;
    }
  }

  /**
   * Sets this machine up on an existing board. The genesis is pinned by `--genesis`, else by the
   * policy imported in the profile, else on first use (the caller shows the board and its digest
   * for comparison over another channel). Nothing is kept when the board does not verify.
   */
  async clone(remote: string, pin: { genesis: string | null; importedPolicyDigest: string | null }, memberKeyIds: readonly string[]): Promise<{ settings: BoardSettings; sync: SyncOutcome; policy: BoardPolicy }> {
    const placeholder: BoardSettings = { format: 'countersign-board-home/v1', remote, genesis: '0'.repeat(64), pinnedBy: 'first-use', memberKeyId: null, lastSync: null };
    await this.home.create(placeholder);
    try {
      await this.git.init(remote);
      if (!(await this.git.fetch())) throw new BoardError('unreadable', `The remote ${remote} cannot be reached.`);
      const tree = await this.git.readTree();
      this.filesRead += tree.readFromGit;
      const [genesis, pinnedBy] = choosePin(tree.files, pin);
      const cache = await this.verificationCache();
      const board = verifyBoard({ remote: tree.files, accepted: new Map(), genesis, cache });
      const inForce = board.chain[board.chain.length - 1];
      if (inForce === undefined) throw new BoardError('refused', `The board at ${remote} does not verify: ${board.problems.map((p) => p.message).join(' ')}`);
      const memberKeyId = memberKeyIds.find((keyId) => memberOf(inForce.policy, keyId) !== null) ?? null;
      const settings: BoardSettings = { ...placeholder, genesis, pinnedBy, memberKeyId };
      await this.home.saveSettings(settings);
      await this.home.addAccepted(board.accepted);
      cache.retainUsed();
      const outcome = this.outcomeOf(board, 'synced', 1, tree.commit, [], []);
      await this.recordSync(outcome);
      outcome.work = await this.workSoFar();
      return { settings: await this.home.settings(), sync: outcome, policy: inForce.policy };
    } catch (error) {
      await this.home.discard();
      throw error;
    }
  }

  /**
   * Fetch, verify everything, restore what the remote lost, write one commit with the queue, this
   * member's new log head and cosignatures, push; on a lost race start again (bounded, with
   * backoff). Offline keeps the queue and says so.
   */
  async sync(signer: MemberSigner | null): Promise<SyncOutcome> {
    return this.measured(() => this.syncAttempts(signer));
  }

  private async syncAttempts(signer: MemberSigner | null): Promise<SyncOutcome> {
    const settings = await this.home.settings();
    const publisher = signer === null ? null : publisherOf(signer);
    const maxAttempts = this.options.maxAttempts ?? 6;
    const cache = await this.verificationCache();
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (!(await this.git.fetch())) return this.offline(attempt, settings.remote, 'fetch');
      const accepted = await this.home.accepted();
      // Files whose git object ID is that of the accepted copy are not read again; every other file
      // (new, changed, or rewritten by a forced push) is read and verified, and every accepted file
      // is still compared with the remote's, so a deletion or an edit shows whatever the history says.
      const tree = await this.git.readTree(accepted);
      this.filesRead += tree.readFromGit;
      const queue = await this.home.queue();
      const refused = await this.dropRefusedFromQueue(queue, tree.files, accepted, settings.genesis, cache);
      const board = verifyBoard({ remote: tree.files, accepted, genesis: settings.genesis, cache });
      if (board.chain.length === 0) {
        const outcome = this.outcomeOf(board, 'problems', attempt, tree.commit, [], []);
        await this.recordSync(outcome);
        return outcome;
      }
      const plan = await planSync(board, queue, publisher, { now: this.now(), auditHead: this.options.auditHead?.() ?? null });
      let commit = tree.commit;
      if (plan.writes.size > 0) {
        commit = await this.git.commitFiles(plan.writes, commitMessage(plan.published.length, plan.cosigned.length, board.restore.size), join(this.home.root, `index.${process.pid}`));
        const pushed = await this.git.push(commit);
        // Cut off or unreachable: nothing of this commit is accepted here (the queue and the accepted
        // copy are as before), so the next sync starts over from whatever the remote then holds.
        if (pushed === 'unreachable') return this.offline(attempt, settings.remote, 'push');
        if (pushed === 'rejected') {
          await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random()));
          continue;
        }
      }
      // With nothing written, the board after the sync is the one just verified.
      const after = plan.writes.size === 0 ? board : verifyBoard({ remote: new Map([...tree.files, ...plan.writes]), accepted, genesis: settings.genesis, cache });
      await this.home.addAccepted(after.accepted, accepted);
      this.acceptedCopy = new Map([...after.accepted, ...accepted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      // Both passes consulted every fact the board needs: the rest (objects gone from the board) is dropped.
      cache.retainUsed();
      await this.home.dequeue([...queue.keys()].filter((path) => after.accepted.has(path)));
      const outcome = this.outcomeOf(board, board.problems.length + refused.length > 0 ? 'problems' : 'synced', attempt, commit, plan.published, plan.cosigned);
      outcome.problems = [...board.problems, ...refused];
      outcome.queued = (await this.home.queue()).size;
      await this.recordSync(outcome);
      return outcome;
    }
    throw new BoardError('conflict', `The remote changed under every one of ${maxAttempts} attempts to push; nothing was lost: the queue is kept. Sync again.`);
  }

  /**
   * A queued object the board would refuse (a manifest it cannot read, a signature that does not
   * verify) is never pushed: on the remote it would be a problem for every member on every sync.
   * It leaves the queue, and the sync names it.
   */
  private async dropRefusedFromQueue(queue: Map<string, Uint8Array>, remote: ReadonlyMap<string, Uint8Array>, accepted: ReadonlyMap<string, Uint8Array>, genesis: string, cache: VerificationCache): Promise<BoardProblem[]> {
    const waiting = [...queue.keys()].filter((path) => !remote.has(path));
    if (waiting.length === 0) return [];
    const withQueue = verifyBoard({ remote: new Map([...remote, ...queue]), accepted, genesis, cache });
    const refused = withQueue.problems.filter((found) => found.path !== null && waiting.includes(found.path) && REFUSED_OBJECT_CODES.has(found.code));
    if (refused.length === 0) return [];
    await this.home.dequeue(refused.map((found) => found.path!));
    for (const found of refused) queue.delete(found.path!);
    return refused.map((found) => ({ ...found, message: `Not published, and dropped from this computer's queue: ${found.message}`, queued: true }));
  }

  /** The board as this machine last accepted it: no network. */
  async status(): Promise<{ settings: BoardSettings; board: VerifiedBoard; queue: string[] }> {
    const settings = await this.home.settings();
    const accepted = this.acceptedCopy ?? (await this.home.accepted());
    const cache = await this.verificationCache();
    const board = verifyBoard({ remote: accepted, accepted: new Map(), genesis: settings.genesis, cache });
    if (cache.dirty) await this.home.saveVerificationCache(cache);
    return { settings, board, queue: [...(await this.home.queue()).keys()].sort() };
  }

  async enqueue(path: string, bytes: Uint8Array): Promise<string> {
    await this.home.settings();
    await this.home.enqueue(path, bytes);
    return path;
  }

  async queueApproval(manifestDigest: string, envelopeBytes: Uint8Array): Promise<string> {
    return this.enqueue(boardPaths.approval(manifestDigest, sha256Hex(envelopeBytes)), envelopeBytes);
  }

  async queueRelease(manifestDigest: string, manifestBytes: Uint8Array, lineage: ReadonlyMap<string, Uint8Array>): Promise<string[]> {
    const paths = [await this.enqueue(boardPaths.release(manifestDigest), manifestBytes)];
    for (const [name, bytes] of lineage) paths.push(await this.enqueue(boardPaths.releaseLineage(manifestDigest, name), bytes));
    return paths;
  }

  async revokeSelf(signer: MemberSigner, reason: string | null): Promise<string> {
    const { genesis } = await this.home.settings();
    return this.queueSigned(signer, revocationStatement({ board: genesis, key: signer.keyId, revokedAt: this.timestamp(), reason }), boardPaths.revocation);
  }

  async notice(signer: MemberSigner, target: NoticeTarget, reason: string): Promise<string> {
    const { genesis } = await this.home.settings();
    return this.queueSigned(signer, noticeStatement({ board: genesis, target, reason, issuedBy: signer.keyId, issuedAt: this.timestamp() }), boardPaths.notice);
  }

  /** Proposes `policyBytes` as the next version, endorsed by this member. */
  async propose(signer: MemberSigner, policyBytes: Uint8Array): Promise<string[]> {
    const policy = readPolicy(policyBytes);
    const { board } = await this.status();
    const current = board.chain[board.chain.length - 1]!;
    if (policy.version !== current.version + 1) throw new BoardError('conflict', `The board is on version ${current.version}: a proposal is version ${current.version + 1}, not ${policy.version}.`);
    const digest = sha256Hex(policyBytes);
    return [await this.enqueue(boardPaths.policy(policy.version, digest), policyBytes), await this.endorse(signer, digest, policyBytes)];
  }

  /** Endorses the policy with `digest` (on the board or proposed here) as the successor of the version in force. */
  async endorse(signer: MemberSigner, digest: string, known?: Uint8Array): Promise<string> {
    const { settings, board } = await this.status();
    const current = board.chain[board.chain.length - 1]!;
    const bytes = known ?? (await this.findPolicy(digest));
    const policy = readPolicy(bytes);
    if (policy.version !== current.version + 1) throw new BoardError('conflict', `That policy is version ${policy.version}; the board is on version ${current.version}, so only a version ${current.version + 1} can be endorsed.`);
    if (memberOf(current.policy, signer.keyId) === null) throw new BoardError('refused', `Key ${signer.keyId} is not a member's key in the policy in force: only its members endorse its successor.`);
    const statement = endorsementStatement({ board: settings.genesis, policy: digest, version: policy.version, parent: current.digest, member: signer.keyId, endorsedAt: this.timestamp() });
    return this.queueSigned(signer, statement, (objectDigest) => boardPaths.endorsement(digest, objectDigest));
  }

  private async findPolicy(digest: string): Promise<Uint8Array> {
    for (const files of [await this.home.accepted(), await this.home.queue(), (await this.git.readTree()).files]) {
      for (const [path, bytes] of files) if (path.startsWith('policies/') && path.endsWith(`-${digest}.json`) && sha256Hex(bytes) === digest) return bytes;
    }
    throw new BoardError('not-found', `No policy with digest ${digest} is on the board; propose it with \`countersign board propose <board.json>\`.`);
  }

  private async queueSigned(signer: MemberSigner, statement: JsonObject, pathOf: (digest: string) => string): Promise<string> {
    const payload = encoder.encode(JSON.stringify(statement));
    const sig = await signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload));
    const bytes = encoder.encode(serializeEnvelope({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload, signatures: [{ keyid: signer.keyId, sig }] }) + '\n');
    return this.enqueue(pathOf(sha256Hex(bytes)), bytes);
  }

  private timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private async offline(attempts: number, remote: string, during: 'fetch' | 'push'): Promise<SyncOutcome> {
    const { board, queue } = await this.status();
    const outcome = this.outcomeOf(board, 'offline', attempts, null, [], []);
    const git = this.git.lastFailure ?? 'no answer';
    const waiting = `${queue.length} object${queue.length === 1 ? ' waits' : 's wait'} in the queue; nothing is lost. Sync again.`;
    outcome.detail =
      during === 'fetch'
        ? `The remote ${remote} cannot be reached (git: ${git}). ${waiting}`
        : `The push to ${remote} was cut off before the remote took it (git: ${git}). Nothing of it was accepted here; ${waiting}`;
    await this.recordSync(outcome);
    return outcome;
  }

  private outcomeOf(board: VerifiedBoard, outcome: SyncOutcome['outcome'], attempts: number, commit: string | null, published: string[], cosigned: string[]): SyncOutcome {
    const work = { filesRead: 0, signaturesChecked: 0, leavesHashed: 0 };
    return { outcome, attempts, commit, published, cosigned, restored: [...board.restore.keys()], queued: 0, problems: board.problems, board, detail: null, work };
  }

  /** The facts verified before, read once per service from the data directory. */
  private verificationCache(): Promise<VerificationCache> {
    this.cache ??= this.home.verificationCache();
    return this.cache;
  }

  private async measured(run: () => Promise<SyncOutcome>): Promise<SyncOutcome> {
    const before = await this.workSoFar();
    const outcome = await run();
    const after = await this.workSoFar();
    outcome.work = { filesRead: after.filesRead - before.filesRead, signaturesChecked: after.signaturesChecked - before.signaturesChecked, leavesHashed: after.leavesHashed - before.leavesHashed };
    return outcome;
  }

  /** Work done since this service started: a sync reports its own share. */
  private async workSoFar(): Promise<SyncWork> {
    const { signaturesChecked, leavesHashed } = (await this.verificationCache()).counts;
    return { filesRead: this.filesRead, signaturesChecked, leavesHashed };
  }

  private async recordSync(outcome: SyncOutcome): Promise<void> {
    const cache = await this.verificationCache();
    if (cache.dirty) await this.home.saveVerificationCache(cache);
    const settings = await this.home.settings();
    outcome.queued = (await this.home.queue()).size;
    await this.home.saveSettings({ ...settings, lastSync: { at: this.now().toISOString(), outcome: outcome.outcome, commit: outcome.commit } });
  }
}

/** What makes a queued object worthless to push: the board would never accept it. */
const REFUSED_OBJECT_CODES: ReadonlySet<BoardProblem['code']> = new Set(['unreadable', 'name-mismatch', 'bad-signature', 'not-a-member', 'wrong-board', 'approval-moved']);

function publisherOf(signer: MemberSigner): BoardPublisher {
  return { fingerprintHex: fingerprintHexOf(signer.keyId), publicKey: signer.publicKey, sign: (message) => signer.sign(message) };
}

function readPolicy(bytes: Uint8Array): BoardPolicy {
  return parseBoardPolicy(parseStrictJson(bytes));
}

function choosePin(files: ReadonlyMap<string, Uint8Array>, pin: { genesis: string | null; importedPolicyDigest: string | null }): [string, BoardSettings['pinnedBy']] {
  if (pin.genesis !== null) return [pin.genesis, 'genesis-flag'];
  const policies = [...files.keys()].filter((path) => /^policies\/\d{4}-[0-9a-f]{64}\.json$/.test(path));
  const digestOf = (path: string) => path.slice(-'.json'.length - 64, -'.json'.length);
  if (pin.importedPolicyDigest !== null && policies.some((path) => digestOf(path) === pin.importedPolicyDigest)) return [pin.importedPolicyDigest, 'imported-policy'];
  const lowest = policies.sort()[0];
  const candidates = policies.filter((path) => lowest !== undefined && path.slice(0, 'policies/0000'.length) === lowest.slice(0, 'policies/0000'.length));
  if (candidates.length !== 1) {
    throw new BoardError('conflict', candidates.length === 0 ? 'The remote holds no board policy: it is not a board (or an empty one: `board init` creates one).' : 'The remote holds several first policies: give the one to trust with --genesis sha256:<hex>.');
  }
  return [digestOf(candidates[0]!), 'first-use'];
}

function commitMessage(published: number, cosigned: number, restored: number): string {
  const parts = [`${published} published`, `${cosigned} cosigned`, ...(restored > 0 ? [`${restored} restored`] : [])];
  return `Countersign board sync: ${parts.join(', ')}`;
}

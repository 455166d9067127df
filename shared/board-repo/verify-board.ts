import { readEnvelope, verifyEnvelopeSignature, type ParsedDsseEnvelope } from '../crypto/dsse';
import { sha256Hex } from '../crypto/hash';
import { equalBytes } from '../encoding/bytes';
import { parseBoardPolicy, type BoardPolicy } from '../formats/board-policy';
import { parseReleaseStatement } from '../formats/manifest';
import { parseStrictJson } from '../json/strict-json';
import { parseApprovalStatement } from '../approvals/approval-statement';
import { MAX_APPROVAL_BYTES } from '../approvals/check-approval';
import { IN_TOTO_PAYLOAD_TYPE, MAX_MANIFEST_BYTES } from '../verify/check-manifest';
import { messageOf } from '../verify/trust';
import { parseCheckpoint } from '../transparency/checkpoint';
import { checkNoteSignatures } from '../transparency/cosignature';
import { MerkleFrontier } from '../transparency/merkle';
import { parseSignedNote } from '../transparency/signed-note';
import { parseBoardObject, type Endorsement, type Notice, type Revocation } from './board-objects';
import { classifyBoardPath, contentDigestOf, type BoardPath } from './board-paths';
import { problem, type BoardProblem } from './board-problems';
import { logKeyName, logOrigin, memberKeysOf, memberOf, type MemberKey } from './member-keys';
import { VerificationCache } from './verification-cache';

/**
 * Verifies a board repository before anything in it is used. The remote is untrusted: every file is
 * checked against its name, its signer and the policy chain from the pinned genesis; what this
 * machine accepted before is kept whatever the remote now says (a lost or changed file is restored
 * from the local copy and named as a problem); junk is ignored, never deleted.
 */

export interface VerifyBoardInput {
  /** The remote's files, path to bytes (regular files only: the git reader refuses links). */
  remote: ReadonlyMap<string, Uint8Array>;
  /** The local copy of every file this machine accepted before. */
  accepted: ReadonlyMap<string, Uint8Array>;
  /** sha256 hex of the genesis policy file: the pin. */
  genesis: string;
  /**
   * Signatures and Merkle frontiers computed before, by content digest: each object is verified
   * once. Without it, everything is verified from the bytes.
   */
  cache?: VerificationCache;
}

export interface PolicyLink {
  version: number;
  digest: string;
  policy: BoardPolicy;
  bytes: Uint8Array;
  /** Names of the members of the previous version whose endorsements put this one in force (none for the genesis). */
  endorsedBy: string[];
}

/** A proposed next version, endorsed by members of the version in force but not yet by a quorum. */
export interface PendingPolicy {
  version: number;
  digest: string;
  endorsedBy: string[];
  /** Distinct members of the version in force needed. */
  needed: number;
}

export interface BoardRelease {
  manifestDigest: string;
  /** Where its manifest lies in the repository: `releases/[<2 hex>/]<digest>/manifest.dsse.json`. */
  path: string;
  name: string | null;
  version: string | null;
  envelopeBytes: Uint8Array;
  /** Lineage files published with it, by file name. */
  lineage: Map<string, Uint8Array>;
  /** sha256 subject digests the manifest pins. */
  subjectDigests: string[];
}

export interface BoardApprovalFile {
  path: string;
  bytes: Uint8Array;
  reviewerKeyId: string;
  reviewedAt: string;
}

export interface BoardNotice extends Notice {
  path: string;
  digest: string;
  issuerName: string;
}

export interface MemberLog {
  memberName: string;
  fingerprintHex: string;
  size: number;
  rootHash: Uint8Array;
  /** The accepted leaves, in order: repository paths, and `audit-head <hex> <count>` lines. */
  leaves: string[];
  frontier: MerkleFrontier;
  /** Checkpoint text (the note body) at `size`. */
  checkpointText: string | null;
  /** Checkpoint texts of every accepted size: older cosignatures are kept against them. */
  checkpointTexts: Map<number, string>;
  /** Cosignatures of the checkpoint at `size`. */
  cosignatures: { witnessName: string; witnessHex: string; timestamp: number }[];
}

export interface VerifiedBoard {
  genesis: string;
  chain: PolicyLink[];
  pending: PendingPolicy[];
  revocations: Map<string, Revocation & { path: string }>;
  releases: Map<string, BoardRelease>;
  approvals: Map<string, BoardApprovalFile[]>;
  notices: BoardNotice[];
  logs: Map<string, MemberLog>;
  /** Every file accepted: the new local copy. */
  accepted: Map<string, Uint8Array>;
  /** Files accepted before that the remote lost or changed: to be written back. */
  restore: Map<string, Uint8Array>;
  /** Paths that are not part of the layout: ignored, left alone. */
  junk: string[];
  problems: BoardProblem[];
}

const MAX_LOG_LEAVES_BYTES = 16 * 1024 * 1024;
const MAX_LINEAGE_BYTES = 64 * 1024 * 1024;
const AUDIT_HEAD_LEAF = /^audit-head [0-9a-f]{64} (0|[1-9][0-9]{0,15})$/;

export function verifyBoard(input: VerifyBoardInput): VerifiedBoard {
  const problems: BoardProblem[] = [];
  const genesisSuffix = `-${input.genesis}.json`;
  const remotePolicies = [...input.remote.keys()].filter((path) => path.startsWith('policies/'));
  if (input.accepted.size > 0 && remotePolicies.length > 0 && !remotePolicies.some((path) => path.endsWith(genesisSuffix))) {
    problems.push(problem('genesis-mismatch', 'The remote now holds another board: its policies do not include the pinned first one. Nothing from it is used; this board is restored from this computer.'));
  }
  const { files, restore } = mergeWithAccepted(input, problems);
  const board = emptyBoard(input.genesis, restore, problems);
  const cache = input.cache ?? new VerificationCache();

  const classified: Classified[] = [];
  for (const [path, bytes] of files) {
    const kind = classifyBoardPath(path);
    if (kind === null) {
      board.junk.push(path);
      continue;
    }
    // The digest of the exact bytes names every cached fact about them: changed bytes are never answered from the cache.
    const digest = sha256Hex(bytes);
    const named = contentDigestOf(kind);
    if (named !== null && digest !== named) {
      problems.push(problem('name-mismatch', `${path} does not hold what its name says (its bytes hash to something else); it is ignored.`, path));
      continue;
    }
    classified.push([path, kind, bytes, digest]);
  }
  const ofKind = <K extends BoardPath['kind']>(kind: K) =>
    classified.filter((entry): entry is [string, Extract<BoardPath, { kind: K }>, Uint8Array, string] => entry[1].kind === kind);
  const signedBy = (digest: string, envelope: ParsedDsseEnvelope, key: MemberKey) => cache.signedBy(digest, key.key.keyId, () => envelopeSignedBy(envelope, key));

  const policies = readPolicies(ofKind('policy'), problems);
  const genesis = policies.get(input.genesis);
  if (genesis === undefined) {
    const otherGenesis = [...policies.values()].some((p) => p.policy.version === 1);
    problems.push(
      otherGenesis
        ? problem('genesis-mismatch', `The repository's first policy is not the one pinned (sha256:${input.genesis}): this is another board, or the board was replaced. Nothing from it is used.`)
        : problem('genesis-missing', `The repository has no board policy with the pinned digest sha256:${input.genesis}. Nothing from it is used.`),
    );
    return board;
  }
  const allKeys = memberKeysOf([...policies.values()].map((p) => p.policy));
  const accept = (path: string, bytes: Uint8Array) => board.accepted.set(path, bytes);

  for (const [path, , bytes, digest] of ofKind('revocation')) {
    const read = readBoardEnvelope(path, bytes, input.genesis, problems);
    if (read === null || read.object.kind !== 'revocation') continue;
    const revocation = read.object;
    const key = allKeys.get(revocation.key);
    if (key === undefined || !signedBy(digest, read.envelope, key)) {
      problems.push(problem('bad-signature', `${path} revokes ${revocation.key} but is not signed by that key; it is ignored.`, path));
      continue;
    }
    board.revocations.set(revocation.key, { ...revocation, path });
    accept(path, bytes);
  }
  const revoked = (keyId: string, policy: BoardPolicy) => board.revocations.has(keyId) || policy.revokedKeys.includes(keyId);

  board.chain = followPolicyChain(genesis, policies, ofKind('endorsement'), input.genesis, allKeys, revoked, signedBy, problems, accept, board.pending);
  for (const link of board.chain) accept(policyPathOf(link), link.bytes);
  const chainPolicies = board.chain.map((link) => link.policy);
  const chainKeys = memberKeysOf(chainPolicies);
  const inForce = board.chain[board.chain.length - 1]!.policy;
  const memberKeyOf = (keyId: string) => (revoked(keyId, inForce) ? undefined : chainKeys.get(keyId));

  for (const [path, kind, bytes, digest] of ofKind('release')) {
    const release = readRelease(path, kind.manifestDigest, bytes, (parse) => cache.parsed('release', digest, parse), problems);
    if (release === null) continue;
    board.releases.set(kind.manifestDigest, release);
    accept(path, bytes);
  }
  for (const [path, kind, bytes] of ofKind('release-lineage')) {
    const release = board.releases.get(kind.manifestDigest);
    if (release === undefined || bytes.length > MAX_LINEAGE_BYTES) continue;
    release.lineage.set(kind.fileName, bytes);
    accept(path, bytes);
  }

  for (const [path, kind, bytes, digest] of ofKind('approval')) {
    // A decision stays on the board when its key is later revoked or its member leaves: it was
    // signed by a member, and the evaluation (under the policy in force, without revoked keys) decides what counts.
    const approval = readApproval(path, kind.manifestDigest, bytes, (keyId) => chainKeys.get(keyId), (envelope, key) => signedBy(digest, envelope, key), (parse) => cache.parsed('approval', digest, parse), problems);
    if (approval === null) continue;
    const list = board.approvals.get(kind.manifestDigest) ?? [];
    list.push(approval);
    board.approvals.set(kind.manifestDigest, list);
    accept(path, bytes);
  }

  for (const [path, kind, bytes, digest] of ofKind('notice')) {
    const read = readBoardEnvelope(path, bytes, input.genesis, problems);
    if (read === null || read.object.kind !== 'notice') continue;
    const notice = read.object;
    const issuer = memberKeyOf(notice.issuedBy);
    if (issuer === undefined || !signedBy(digest, read.envelope, issuer)) {
      problems.push(problem('bad-signature', `${path} is a notice not signed by a current member's key (${notice.issuedBy}); it is ignored.`, path));
      continue;
    }
    board.notices.push({ ...notice, path, digest: kind.digest, issuerName: issuer.memberName });
    accept(path, bytes);
  }

  readMemberLogs(board, classified, chainKeys, files, cache, problems, accept);
  return board;
}

/** A file of the layout: its path, what the path says it is, its bytes and their sha256. */
type Classified = [path: string, kind: BoardPath, bytes: Uint8Array, digest: string];
type SignedBy = (digest: string, envelope: ParsedDsseEnvelope, key: MemberKey) => boolean;

function emptyBoard(genesis: string, restore: Map<string, Uint8Array>, problems: BoardProblem[]): VerifiedBoard {
  return {
    genesis,
    chain: [],
    pending: [],
    revocations: new Map(),
    releases: new Map(),
    approvals: new Map(),
    notices: [],
    logs: new Map(),
    accepted: new Map(),
    restore,
    junk: [],
    problems,
  };
}

/** The remote's files, with every file accepted before put back as it was accepted. */
function mergeWithAccepted(input: VerifyBoardInput, problems: BoardProblem[]): { files: Map<string, Uint8Array>; restore: Map<string, Uint8Array> } {
  const files = new Map(input.remote);
  const restore = new Map<string, Uint8Array>();
  for (const [path, bytes] of input.accepted) {
    const remote = input.remote.get(path);
    if (remote === undefined) {
      problems.push(problem('missing-on-remote', `${describePath(path)} is missing on the remote; restored from this computer.`, path));
    } else if (!equalBytes(remote, bytes)) {
      problems.push(problem('changed-on-remote', `${describePath(path)} was changed on the remote; the version this computer accepted is kept and written back.`, path));
    } else {
      continue;
    }
    files.set(path, bytes);
    restore.set(path, bytes);
  }
  return { files, restore };
}

function describePath(path: string): string {
  const kind = classifyBoardPath(path)?.kind;
  const what: Record<BoardPath['kind'], string> = {
    policy: 'A board policy',
    endorsement: 'An endorsement of a policy',
    release: 'A published release',
    'release-lineage': "A release's lineage file",
    approval: 'A decision (approval, rejection or abstention)',
    notice: 'A notice',
    revocation: 'A key revocation',
    'log-leaves': "Part of a member's log",
    'log-checkpoint': "A member's log checkpoint",
    'log-cosignature': "A cosignature of a member's log",
  };
  return `${kind === undefined ? 'A file' : what[kind]} (${path})`;
}

function readPolicies(entries: [string, Extract<BoardPath, { kind: 'policy' }>, Uint8Array, string][], problems: BoardProblem[]) {
  const policies = new Map<string, { policy: BoardPolicy; bytes: Uint8Array; path: string }>();
  for (const [path, kind, bytes] of entries) {
    try {
      const policy = parseBoardPolicy(parseStrictJson(bytes));
      if (policy.version !== kind.version) throw new Error(`its name says version ${kind.version}, its content ${policy.version}`);
      policies.set(kind.digest, { policy, bytes, path });
    } catch (error) {
      problems.push(problem('unreadable', `${path} is not a board policy this version reads: ${messageOf(error)}`, path));
    }
  }
  return policies;
}

function policyPathOf(link: PolicyLink): string {
  return `policies/${String(link.version).padStart(4, '0')}-${link.digest}.json`;
}

/**
 * From the genesis, version n+1 is in force once `policyQuorum` distinct, unrevoked members of
 * version n (default: a strict majority) endorsed it as n's successor. Two successors with a quorum
 * each leave the board on version n: failing closed.
 */
function followPolicyChain(
  genesis: { policy: BoardPolicy; bytes: Uint8Array },
  policies: ReadonlyMap<string, { policy: BoardPolicy; bytes: Uint8Array; path: string }>,
  endorsementFiles: [string, Extract<BoardPath, { kind: 'endorsement' }>, Uint8Array, string][],
  genesisDigest: string,
  allKeys: ReadonlyMap<string, MemberKey>,
  revoked: (keyId: string, policy: BoardPolicy) => boolean,
  signedBy: SignedBy,
  problems: BoardProblem[],
  accept: (path: string, bytes: Uint8Array) => void,
  pending: PendingPolicy[],
): PolicyLink[] {
  const endorsements: (Endorsement & { path: string; bytes: Uint8Array; signerKeyId: string })[] = [];
  for (const [path, kind, bytes, digest] of endorsementFiles) {
    const read = readBoardEnvelope(path, bytes, genesisDigest, problems);
    if (read === null || read.object.kind !== 'endorsement') continue;
    const endorsement = read.object;
    const key = allKeys.get(endorsement.member);
    if (endorsement.policy !== kind.policyDigest || key === undefined || !signedBy(digest, read.envelope, key)) {
      problems.push(problem('bad-signature', `${path} is not an endorsement signed by the member it names, for the policy its folder names; it is ignored.`, path));
      continue;
    }
    endorsements.push({ ...endorsement, path, bytes, signerKeyId: endorsement.member });
  }

  const chain: PolicyLink[] = [{ version: genesis.policy.version, digest: genesisDigest, policy: genesis.policy, bytes: genesis.bytes, endorsedBy: [] }];
  for (;;) {
    const current = chain[chain.length - 1]!;
    const quorum = current.policy.rules.policyQuorum ?? Math.floor(current.policy.members.length / 2) + 1;
    const supporters = new Map<string, { members: Set<string>; files: [string, Uint8Array][] }>();
    for (const e of endorsements) {
      if (e.parent !== current.digest || e.version !== current.version + 1) continue;
      const member = memberOf(current.policy, e.signerKeyId);
      if (member === null || revoked(e.signerKeyId, current.policy)) continue;
      const entry = supporters.get(e.policy) ?? { members: new Set(), files: [] };
      entry.members.add(member);
      entry.files.push([e.path, e.bytes]);
      supporters.set(e.policy, entry);
    }
    const inForce = [...supporters].filter(([digest, s]) => s.members.size >= quorum && policies.get(digest)?.policy.version === current.version + 1);
    for (const [digest, s] of supporters) {
      const file = policies.get(digest);
      if (s.members.size >= quorum || file === undefined || file.policy.version !== current.version + 1) continue;
      // A proposal short of its quorum is the board's state, not a fault: its signed files are kept
      // (and restored if the remote loses them), and it comes into force when the quorum is reached.
      pending.push({ version: file.policy.version, digest, endorsedBy: [...s.members].sort(), needed: quorum });
      accept(file.path, file.bytes);
      for (const [path, bytes] of s.files) accept(path, bytes);
    }
    if (inForce.length > 1) {
      problems.push(problem('competing-successors', `Two different version ${current.version + 1} policies were each endorsed by a quorum; the board stays on version ${current.version} until the members settle it.`));
      return chain;
    }
    const next = inForce[0];
    if (next === undefined) return chain;
    const [digest, s] = next;
    const file = policies.get(digest)!;
    for (const [path, bytes] of s.files) accept(path, bytes);
    chain.push({ version: file.policy.version, digest, policy: file.policy, bytes: file.bytes, endorsedBy: [...s.members].sort() });
  }
}

function readBoardEnvelope(path: string, bytes: Uint8Array, genesis: string, problems: BoardProblem[]) {
  try {
    const envelope = readEnvelope(bytes, MAX_APPROVAL_BYTES);
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new Error(`payloadType ${JSON.stringify(envelope.payloadType)}`);
    const object = parseBoardObject(parseStrictJson(envelope.payload, { maxBytes: MAX_APPROVAL_BYTES }));
    if (object.board !== genesis) {
      problems.push(problem('wrong-board', `${path} was made for another board; it is ignored.`, path));
      return null;
    }
    return { envelope, object };
  } catch (error) {
    problems.push(problem('unreadable', `${path} cannot be read: ${messageOf(error)}`, path));
    return null;
  }
}

function envelopeSignedBy(envelope: ParsedDsseEnvelope, key: MemberKey): boolean {
  return envelope.signatures.some((_, index) => verifyEnvelopeSignature(envelope, index, key.key.verifyingKey));
}

function readRelease(path: string, manifestDigest: string, bytes: Uint8Array, parseOnce: <T>(parse: () => T) => T, problems: BoardProblem[]): BoardRelease | null {
  try {
    // A manifest can be tens of megabytes: it is read once per run, whatever the passes over the board.
    const read = parseOnce(() => {
      const envelope = readEnvelope(bytes, MAX_MANIFEST_BYTES);
      const payloadDigest = sha256Hex(envelope.payload);
      if (payloadDigest !== manifestDigest) return { payloadDigest, manifest: null };
      return { payloadDigest, manifest: parseReleaseStatement(parseStrictJson(envelope.payload, { maxBytes: MAX_MANIFEST_BYTES })) };
    });
    if (read.manifest === null) {
      problems.push(problem('name-mismatch', `${path} holds a manifest whose digest is not the one its folder names; it is ignored.`, path));
      return null;
    }
    const { manifest } = read;
    const subjectDigests = manifest.subjects.flatMap((subject) => (subject.digest['sha256'] === undefined ? [] : [subject.digest['sha256']]));
    return { manifestDigest, path, name: manifest.release?.name ?? null, version: manifest.release?.version ?? null, envelopeBytes: bytes, lineage: new Map(), subjectDigests };
  } catch (error) {
    problems.push(problem('unreadable', `${path} is not a release manifest: ${messageOf(error)}`, path));
    return null;
  }
}

function readApproval(
  path: string,
  manifestDigest: string,
  bytes: Uint8Array,
  memberKeyOf: (keyId: string) => MemberKey | undefined,
  signedBy: (envelope: ParsedDsseEnvelope, key: MemberKey) => boolean,
  parseOnce: <T>(parse: () => T) => T,
  problems: BoardProblem[],
): BoardApprovalFile | null {
  try {
    const { envelope, statement } = parseOnce(() => {
      const read = readEnvelope(bytes, MAX_APPROVAL_BYTES);
      return { envelope: read, statement: parseApprovalStatement(parseStrictJson(read.payload, { maxBytes: MAX_APPROVAL_BYTES })) };
    });
    const key = memberKeyOf(statement.predicate.reviewer);
    if (key === undefined || !signedBy(envelope, key)) {
      problems.push(problem('bad-signature', `${path} is not signed by the member it names (${statement.predicate.reviewer}); it is ignored.`, path));
      return null;
    }
    if (statement.manifestDigest !== manifestDigest) {
      problems.push(problem('approval-moved', `${path} is ${key.memberName}'s decision on another release, copied under this one; it is ignored.`, path));
      return null;
    }
    return { path, bytes, reviewerKeyId: key.key.keyId, reviewedAt: statement.predicate.reviewedAt };
  } catch (error) {
    problems.push(problem('unreadable', `${path} is not an approval: ${messageOf(error)}`, path));
    return null;
  }
}

interface LogFiles {
  leaves: Map<number, [path: string, bytes: Uint8Array, digest: string]>;
  checkpoints: Map<number, [path: string, bytes: Uint8Array, digest: string]>;
  cosigs: [path: string, end: number, witnessHex: string, bytes: Uint8Array, digest: string][];
}

/**
 * Each member's log: leaves files and checkpoints from size 0 up, each checkpoint signed by the
 * member over the RFC 6962 root of every leaf so far, then the other members' cosignatures of it.
 * The log is accepted up to its last good checkpoint.
 */
function readMemberLogs(
  board: VerifiedBoard,
  classified: readonly Classified[],
  chainKeys: ReadonlyMap<string, MemberKey>,
  files: ReadonlyMap<string, Uint8Array>,
  cache: VerificationCache,
  problems: BoardProblem[],
  accept: (path: string, bytes: Uint8Array) => void,
): void {
  const byHex = new Map([...chainKeys.values()].map((key) => [key.fingerprintHex, key]));
  const perMember = new Map<string, LogFiles>();
  for (const [path, kind, bytes, digest] of classified) {
    if (kind.kind !== 'log-leaves' && kind.kind !== 'log-checkpoint' && kind.kind !== 'log-cosignature') continue;
    const entry: LogFiles = perMember.get(kind.member) ?? { leaves: new Map(), checkpoints: new Map(), cosigs: [] };
    perMember.set(kind.member, entry);
    if (kind.kind === 'log-leaves') entry.leaves.set(kind.end, [path, bytes, digest]);
    else if (kind.kind === 'log-checkpoint') entry.checkpoints.set(kind.end, [path, bytes, digest]);
    else entry.cosigs.push([path, kind.end, kind.witness, bytes, digest]);
  }

  for (const [hex, entry] of perMember) {
    const member = byHex.get(hex);
    if (member === undefined) {
      problems.push(problem('not-a-member', `logs/${hex}/ is the log of a key that is not a member's; it is ignored.`));
      continue;
    }
    const log: MemberLog = { memberName: member.memberName, fingerprintHex: hex, size: 0, rootHash: new MerkleFrontier().root(), leaves: [], frontier: new MerkleFrontier(), checkpointText: null, checkpointTexts: new Map(), cosignatures: [] };
    const ends = [...entry.leaves.keys()].sort((a, b) => a - b);
    const signer = { keyName: logKeyName(hex), publicKey: member.key.publicKey };
    for (const end of ends) {
      const [leavesPath, leavesBytes, leavesDigest] = entry.leaves.get(end)!;
      const checkpoint = entry.checkpoints.get(end);
      const broken = (why: string) => problems.push(problem('log-broken', `${member.memberName}'s log stops being valid at ${leavesPath}: ${why}. It is accepted up to size ${log.size}.`, leavesPath));
      const lines = leavesBytes.length <= MAX_LOG_LEAVES_BYTES ? new TextDecoder().decode(leavesBytes).split('\n') : null;
      if (lines === null || lines.pop() !== '' || lines.length !== end - log.size) {
        broken(`it should hold the ${end - log.size} leaves from ${log.size} to ${end}, one per line`);
        break;
      }
      const bad = lines.find((line) => !isLeaf(line));
      if (bad !== undefined) {
        broken(`"${bad.slice(0, 80)}" is not a board object path`);
        break;
      }
      if (checkpoint === undefined) {
        broken('it has no checkpoint');
        break;
      }
      // The frontier after the leaves accepted so far: extending it hashes only the new leaves, once.
      const frontier = cache.extend(log.frontier, leavesDigest, lines.map((line) => new TextEncoder().encode(line)));
      const checked = checkCheckpoint(checkpoint[1], signer, hex, board.genesis, end, frontier.root(), (check) => cache.signedBy(checkpoint[2], `note:${member.key.keyId}`, check));
      if (checked !== null) {
        broken(checked);
        break;
      }
      accept(leavesPath, leavesBytes);
      accept(checkpoint[0], checkpoint[1]);
      log.leaves.push(...lines);
      log.frontier = frontier;
      log.size = end;
      log.rootHash = frontier.root();
      log.checkpointText = parseSignedNote(checkpoint[1]).text;
      log.checkpointTexts.set(end, log.checkpointText);
    }
    for (const line of log.leaves) {
      if (line.startsWith('audit-head ') || files.has(line)) continue;
      problems.push(problem('log-lists-missing', `${member.memberName}'s log lists ${line}, which the remote does not hold and this computer never had: it was deleted from the board.`, line));
    }
    readCosignatures(log, entry.cosigs, byHex, cache, problems, accept);
    board.logs.set(hex, log);
  }
}

function isLeaf(line: string): boolean {
  if (AUDIT_HEAD_LEAF.test(line)) return true;
  const kind = classifyBoardPath(line);
  // A release's lineage files are listed too, so that their deletion from the remote is noticed.
  return kind !== null && (contentDigestOf(kind) !== null || kind.kind === 'release' || kind.kind === 'release-lineage');
}

function checkCheckpoint(
  bytes: Uint8Array,
  signer: { keyName: string; publicKey: Uint8Array },
  hex: string,
  genesis: string,
  end: number,
  root: Uint8Array,
  signedOnce: (check: () => boolean) => boolean,
): string | null {
  try {
    const note = parseSignedNote(bytes);
    const signed = signedOnce(() => {
      const checks = checkNoteSignatures(note, [signer], []);
      return checks.some((check) => check.status === 'valid') && !checks.some((check) => check.status === 'invalid');
    });
    if (!signed) return "its checkpoint is not signed by the member's key";
    const checkpoint = parseCheckpoint(note.text);
    if (checkpoint.origin !== logOrigin(genesis, hex)) return 'its checkpoint is for another log';
    if (checkpoint.size !== end) return `its checkpoint says size ${checkpoint.size}, its name ${end}`;
    if (!equalBytes(checkpoint.rootHash, root)) return 'its checkpoint root is not the root of the leaves (the history was rewritten)';
    return null;
  } catch (error) {
    return `its checkpoint cannot be read: ${messageOf(error)}`;
  }
}

function readCosignatures(
  log: MemberLog,
  cosigs: readonly [string, number, string, Uint8Array, string][],
  byHex: ReadonlyMap<string, MemberKey>,
  cache: VerificationCache,
  problems: BoardProblem[],
  accept: (path: string, bytes: Uint8Array) => void,
): void {
  const witnessed = new Set<string>();
  for (const [path, end, witnessHex, bytes, digest] of cosigs) {
    const witness = byHex.get(witnessHex);
    const text = log.checkpointTexts.get(end);
    if (text === undefined || witness === undefined || witnessHex === log.fingerprintHex) continue;
    try {
      const note = parseSignedNote(bytes);
      const timestamp = cache.cosignature(digest, witness.key.keyId, () => {
        const checks = checkNoteSignatures(note, [], [{ keyName: logKeyName(witnessHex), publicKey: witness.key.publicKey }]);
        const valid = checks.find((check) => check.status === 'valid');
        return valid === undefined || valid.status !== 'valid' ? null : valid.timestamp;
      });
      if (note.text !== text || timestamp === null) throw new Error('it is not a valid cosignature of this checkpoint');
      if (end === log.size && !witnessed.has(witnessHex)) log.cosignatures.push({ witnessName: witness.memberName, witnessHex, timestamp });
      if (end === log.size) witnessed.add(witnessHex);
      accept(path, bytes);
    } catch (error) {
      problems.push(problem('cosignature-invalid', `${path}: ${witness.memberName}'s cosignature of ${log.memberName}'s log is ignored: ${messageOf(error)}`, path));
    }
  }
}

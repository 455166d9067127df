import { signEd25519 } from '../crypto/ed25519';
import { sha256Hex as digestOf } from '../crypto/hash';
import { signedApproval, signedPayload, testKey, type TestKey } from '../approvals/test-keys';
import { endorsementStatement, noticeStatement, revocationStatement } from './board-objects';
import { boardPaths } from './board-paths';
import { fingerprintHexOf } from './member-keys';
import { planSync, type BoardPublisher } from './plan-sync';
import { VerificationCache } from './verification-cache';
import { verifyBoard, type VerifiedBoard } from './verify-board';

/** An in-memory board: a remote (path to bytes) and machines that sync with it, as the git service does. */

const encoder = new TextEncoder();
export const NOW = new Date('2026-12-01T12:00:00Z');

export const ada = testKey('ada');
export const alan = testKey('alan');
export const grace = testKey('grace');
export const mallory = testKey('mallory');

export function policyBytes(version: number, members: readonly [string, TestKey, string[]][], extra: object = {}): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      board: 'Responsible AI Review Board',
      version,
      members: members.map(([name, key, roles]) => ({ name, roles, keys: [key.openssh] })),
      rules: { approvalsRequired: 2, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
      ...extra,
    }),
  );
}

export const GENESIS = policyBytes(1, [
  ['Ada Byron', ada, ['risk']],
  ['Alan Turing', alan, ['privacy']],
  ['Grace Hopper', grace, ['ml-lead']],
]);
export const GENESIS_DIGEST = digestOf(GENESIS);

export function publisherOf(key: TestKey): BoardPublisher {
  return { fingerprintHex: fingerprintHexOf(key.keyId), publicKey: key.publicKey, sign: async (message) => signEd25519(message, key.seed) };
}

export class Machine {
  accepted = new Map<string, Uint8Array>();
  queue = new Map<string, Uint8Array>();
  /** Each machine keeps what it verified, as the git service does: every check below runs with a warm cache. */
  constructor(
    readonly key: TestKey | null,
    readonly cache = new VerificationCache(),
  ) {}

  async sync(remote: Map<string, Uint8Array>): Promise<VerifiedBoard> {
    const board = verifyBoard({ remote, accepted: this.accepted, genesis: GENESIS_DIGEST, cache: this.cache });
    const plan = await planSync(board, this.queue, this.key === null ? null : publisherOf(this.key), { now: NOW, auditHead: null });
    for (const [path, bytes] of plan.writes) remote.set(path, bytes);
    const after = verifyBoard({ remote, accepted: this.accepted, genesis: GENESIS_DIGEST, cache: this.cache });
    this.accepted = after.accepted;
    this.queue.clear();
    return board;
  }

  view(remote: ReadonlyMap<string, Uint8Array>): VerifiedBoard {
    return verifyBoard({ remote, accepted: this.accepted, genesis: GENESIS_DIGEST, cache: this.cache });
  }
}

export function newRemote(): Map<string, Uint8Array> {
  return new Map([[boardPaths.policy(1, GENESIS_DIGEST), GENESIS]]);
}

export const MANIFEST = digestOf(encoder.encode('a release manifest'));
export const OTHER_MANIFEST = digestOf(encoder.encode('another release manifest'));

export function approvalFile(key: TestKey, overrides: Parameters<typeof signedApproval>[1] = {}): [string, Uint8Array] {
  const bytes = signedApproval([key], { manifestDigest: MANIFEST, policyDigest: GENESIS_DIGEST, ...overrides });
  return [boardPaths.approval(overrides.manifestDigest ?? MANIFEST, digestOf(bytes)), bytes];
}

export function boardObject(key: TestKey, statement: object): Uint8Array {
  return signedPayload([key], encoder.encode(JSON.stringify(statement)));
}

export function endorsementFile(key: TestKey, policy: Uint8Array, version: number, parent = GENESIS_DIGEST): [string, Uint8Array] {
  const bytes = boardObject(key, endorsementStatement({ board: GENESIS_DIGEST, policy: digestOf(policy), version, parent, member: key.keyId, endorsedAt: '2026-11-30T10:00:00Z' }));
  return [boardPaths.endorsement(digestOf(policy), digestOf(bytes)), bytes];
}

export function revocationFile(key: TestKey): [string, Uint8Array] {
  const bytes = boardObject(key, revocationStatement({ board: GENESIS_DIGEST, key: key.keyId, revokedAt: '2026-11-30T10:00:00Z', reason: 'laptop stolen' }));
  return [boardPaths.revocation(digestOf(bytes)), bytes];
}

export function noticeFile(key: TestKey, target: { node: string } | { subject: string }): [string, Uint8Array] {
  const bytes = boardObject(key, noticeStatement({ board: GENESIS_DIGEST, target, reason: 'deletion request covers raw transactions Q1', issuedBy: key.keyId, issuedAt: '2026-11-30T10:00:00Z' }));
  return [boardPaths.notice(digestOf(bytes)), bytes];
}

export { digestOf };

import { formatCheckpoint } from '../transparency/checkpoint';
import { MerkleFrontier, leafHash } from '../transparency/merkle';
import { cosignatureOf, cosignedMessage } from '../transparency/cosignature';
import { NOTE_ED25519, formatSignedNote, noteKeyId } from '../transparency/signed-note';
import { boardPaths } from './board-paths';
import { logKeyName, logOrigin } from './member-keys';
import type { VerifiedBoard } from './verify-board';

/** The member this machine publishes as: their log, their checkpoints, their cosignatures. */
export interface BoardPublisher {
  fingerprintHex: string;
  publicKey: Uint8Array;
  /** A plain Ed25519 signature over the message, by the member's key (held on this machine). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export interface SyncPlan {
  /** Files the next commit adds: restored ones, queued objects, this member's log, cosignatures. */
  writes: Map<string, Uint8Array>;
  /** Paths newly added to this member's log. */
  published: string[];
  /** Members whose checkpoints this machine cosigns in this commit. */
  cosigned: string[];
}

const encoder = new TextEncoder();

/**
 * What one sync writes, given a verified board: everything the remote lost, the queued objects,
 * a new head of this member's log listing them (and the local audit log's head when it moved),
 * and a cosignature of every other member's verified head not yet cosigned by this member.
 */
export async function planSync(
  board: VerifiedBoard,
  queued: ReadonlyMap<string, Uint8Array>,
  publisher: BoardPublisher | null,
  options: { now: Date; auditHead: { hash: string; count: number } | null },
): Promise<SyncPlan> {
  const writes = new Map(board.restore);
  const plan: SyncPlan = { writes, published: [], cosigned: [] };
  for (const [path, bytes] of queued) if (!board.accepted.has(path)) writes.set(path, bytes);
  if (publisher === null) return plan;

  const me = publisher.fingerprintHex;
  const mine = board.logs.get(me);
  const listed = new Set(mine?.leaves ?? []);
  const leaves = [...queued.keys()].filter((path) => !listed.has(path)).sort();
  if (options.auditHead !== null) {
    const line = `audit-head ${options.auditHead.hash} ${options.auditHead.count}`;
    const lastHead = [...(mine?.leaves ?? [])].reverse().find((leaf) => leaf.startsWith('audit-head '));
    if (lastHead !== line) leaves.push(line);
  }
  if (leaves.length > 0) {
    const extended = await extendMemberLog(board.genesis, publisher, mine?.frontier ?? new MerkleFrontier(), leaves);
    for (const [path, bytes] of extended.files) writes.set(path, bytes);
    plan.published = leaves;
  }

  const timestamp = Math.floor(options.now.getTime() / 1000);
  for (const log of board.logs.values()) {
    if (log.fingerprintHex === me || log.checkpointText === null) continue;
    if (log.cosignatures.some((cosignature) => cosignature.witnessHex === me)) continue;
    const signature = await publisher.sign(cosignedMessage(log.checkpointText, timestamp));
    const note = formatSignedNote({ text: log.checkpointText, signatures: [cosignatureOf(logKeyName(me), publisher.publicKey, timestamp, signature)] });
    writes.set(boardPaths.logCosignature(log.fingerprintHex, log.size, me), encoder.encode(note));
    plan.cosigned.push(log.memberName);
  }
  return plan;
}

/**
 * The next part of a member's log: the leaves file from the frontier's size to the new one, and
 * the member's signed checkpoint of the new root. The frontier given is left as it was.
 */
export async function extendMemberLog(
  genesis: string,
  publisher: BoardPublisher,
  frontier: MerkleFrontier,
  leaves: readonly string[],
): Promise<{ frontier: MerkleFrontier; files: Map<string, Uint8Array> }> {
  const me = publisher.fingerprintHex;
  const extended = MerkleFrontier.restore(frontier.size, frontier.subtreeRoots);
  for (const leaf of leaves) extended.append(leafHash(encoder.encode(leaf)));
  const text = formatCheckpoint({ origin: logOrigin(genesis, me), size: extended.size, rootHash: extended.root(), extensions: [] });
  const keyName = logKeyName(me);
  const signature = await publisher.sign(encoder.encode(text));
  const files = new Map([
    [boardPaths.logLeaves(me, extended.size), encoder.encode(leaves.map((leaf) => `${leaf}\n`).join(''))],
    [boardPaths.logCheckpoint(me, extended.size), encoder.encode(formatSignedNote({ text, signatures: [{ keyName, keyId: noteKeyId(keyName, NOTE_ED25519, publisher.publicKey), signature }] }))],
  ]);
  return { frontier: extended, files };
}

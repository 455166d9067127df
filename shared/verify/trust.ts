import type { VerifyingKey } from '../crypto/ed25519';
import { parsePublicKey } from '../crypto/keys';
import type { BoardPolicy } from '../formats/board-policy';
import type { Finding, TrustSource } from './report';

/** A public key a verifier may accept signatures from, and whose it is. */
export interface TrustedKey {
  keyId: string;
  publicKey: Uint8Array;
  /** Checked once, when the key entered trust; every signature is verified with it. */
  verifyingKey: VerifyingKey;
  name: string;
  source: TrustSource;
}

/**
 * Who is trusted to sign, decided locally: the board policy's members and producers, plus keys a
 * person pinned on this machine. Never taken from a bundle.
 */
export interface TrustContext {
  /** flags: trust given on the command line alone (foreign signatures); no board, nothing pinned. */
  source: 'board-file' | 'store' | 'flags';
  boardName: string | null;
  keys: readonly TrustedKey[];
  /** Key IDs the board revoked: a signature under one of them never counts. */
  revokedKeyIds: ReadonlySet<string>;
  /** Problems met while building the context (an unreadable key in the policy, ...). */
  findings: readonly Finding[];
}

export interface PinnedPublicKey {
  keyId: string;
  name: string;
  publicKey: string;
}

/** Builds the trust context from a board policy and pinned keys; a key listed twice is kept once, board roles first. */
export function buildTrustContext(options: {
  source: TrustContext['source'];
  board: BoardPolicy | null;
  pinned?: readonly PinnedPublicKey[];
}): TrustContext {
  const keys = new Map<string, TrustedKey>();
  const findings: Finding[] = [];

  const add = (text: string, name: string, source: TrustSource, location: string) => {
    try {
      const key = parsePublicKey(text);
      if (!keys.has(key.keyId)) keys.set(key.keyId, { keyId: key.keyId, publicKey: key.publicKey, verifyingKey: key.verifyingKey, name, source });
    } catch (error) {
      findings.push({ severity: 'warning', code: 'trust-key-unreadable', message: `The key of ${name} cannot be used: ${messageOf(error)}`, location });
    }
  };

  const board = options.board;
  board?.members.forEach((member, m) => member.keys.forEach((text, k) => add(text, member.name, 'member', `board.members[${m}].keys[${k}]`)));
  board?.producers.forEach((producer, p) => producer.keys.forEach((text, k) => add(text, producer.name, 'producer', `board.producers[${p}].keys[${k}]`)));
  options.pinned?.forEach((pinned) => add(pinned.publicKey, pinned.name, 'pinned', `pinned key ${pinned.keyId}`));

  return {
    source: options.source,
    boardName: board?.board ?? null,
    keys: [...keys.values()],
    revokedKeyIds: new Set(board?.revokedKeys ?? []),
    findings,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { bytesToHex, hexToBytesStrict } from '../encoding/hex';
import { parseStrictJson, type JsonValue } from '../json/strict-json';
import { MerkleFrontier, leafHash } from '../transparency/merkle';

/**
 * What the board verifier has already computed, so that a sync costs what is new, not the
 * history. Only facts that hold whatever the board's policy says are kept: "these exact bytes
 * (named by their sha256) carry a valid signature by this key", "this cosignature note is valid
 * for this witness key at this time", "these leaves extend this Merkle frontier to that one". Who
 * is a member, whose key is revoked and which policy is in force are judged again on every
 * verification from these facts, which costs map lookups: a newly revoked key's decisions stop
 * counting, and a rotated policy re-judges everything, with nothing to invalidate. A changed file
 * has another digest, so it is never answered from here.
 */

const FORMAT = 'countersign-board-verified/v1';
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** About two million facts: far beyond a board's size, and still a file read in one go. */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

export interface VerificationCounts {
  /** Signatures actually checked (Ed25519), as opposed to answered from the cache. */
  signaturesChecked: number;
  /** Log leaves hashed into a Merkle frontier, as opposed to frontiers taken from the cache. */
  leavesHashed: number;
}

type CosignatureFact = number | null;

export class VerificationCache {
  private readonly signatures = new Map<string, boolean>();
  private readonly cosignatures = new Map<string, CosignatureFact>();
  private readonly frontiers = new Map<string, string[]>();
  /** Parsed objects by kind and digest, for this run only (never written): a sync reads the board more than once. */
  private readonly parsedObjects = new Map<string, { value: unknown } | { error: unknown }>();
  /** Keys consulted since the last `retainUsed`: what the current board still needs. */
  private readonly used = new Set<string>();
  readonly counts: VerificationCounts = { signaturesChecked: 0, leavesHashed: 0 };
  private changed = false;

  /** Whether anything was added since the cache was read or last written. */
  get dirty(): boolean {
    return this.changed;
  }

  get size(): number {
    return this.signatures.size + this.cosignatures.size + this.frontiers.size;
  }

  /** Whether the bytes with sha256 `digest` carry a valid signature by `keyId`; `check` runs only once per pair. */
  signedBy(digest: string, keyId: string, check: () => boolean): boolean {
    const key = `${digest} ${keyId}`;
    this.used.add(key);
    const known = this.signatures.get(key);
    if (known !== undefined) return known;
    this.counts.signaturesChecked++;
    const valid = check();
    this.signatures.set(key, valid);
    this.changed = true;
    return valid;
  }

  /** A cosignature note's time when it is valid for the witness key, null when not; `check` runs only once. */
  cosignature(digest: string, witnessKeyId: string, check: () => number | null): number | null {
    const key = `${digest} ${witnessKeyId}`;
    this.used.add(key);
    const known = this.cosignatures.get(key);
    if (known !== undefined) return known;
    this.counts.signaturesChecked++;
    const timestamp = check();
    this.cosignatures.set(key, timestamp);
    this.changed = true;
    return timestamp;
  }

  /**
   * `parse()` of the bytes with sha256 `digest`, run once per run of the program: the same bytes
   * parse the same (or fail the same, and the same error is thrown again). `kind` keeps the
   * readings of one file as different things apart.
   */
  parsed<T>(kind: string, digest: string, parse: () => T): T {
    const key = `${kind} ${digest}`;
    let known = this.parsedObjects.get(key);
    if (known === undefined) {
      try {
        known = { value: parse() };
      } catch (error) {
        known = { error };
      }
      this.parsedObjects.set(key, known);
    }
    if ('error' in known) throw known.error;
    return known.value as T;
  }

  /** `frontier` extended by the leaves of the file with sha256 `leavesDigest`; hashes them only the first time. */
  extend(frontier: MerkleFrontier, leavesDigest: string, leaves: readonly Uint8Array[]): MerkleFrontier {
    const key = `${frontier.size} ${bytesToHex(frontier.root())} ${leavesDigest}`;
    this.used.add(key);
    const known = this.frontiers.get(key);
    if (known !== undefined) {
      try {
        return MerkleFrontier.restore(frontier.size + leaves.length, known.map((hex) => hexToBytesStrict(hex, 'frontier hash')));
      } catch {
        this.frontiers.delete(key);
      }
    }
    const extended = MerkleFrontier.restore(frontier.size, frontier.subtreeRoots);
    for (const leaf of leaves) extended.append(leafHash(leaf));
    this.counts.leavesHashed += leaves.length;
    this.frontiers.set(key, extended.subtreeRoots.map(bytesToHex));
    this.changed = true;
    return extended;
  }

  /** Forgets every fact not consulted since the last call: the cache stays the size of the board. */
  retainUsed(): void {
    for (const map of [this.signatures, this.cosignatures, this.frontiers]) {
      for (const key of map.keys()) {
        if (!this.used.has(key)) {
          map.delete(key);
          this.changed = true;
        }
      }
    }
    this.used.clear();
  }

  serialize(): Uint8Array {
    this.changed = false;
    const body = {
      format: FORMAT,
      signatures: Object.fromEntries(this.signatures),
      cosignatures: Object.fromEntries(this.cosignatures),
      frontiers: Object.fromEntries(this.frontiers),
    };
    return new TextEncoder().encode(JSON.stringify(body) + '\n');
  }

  /**
   * The cache written by `serialize`. Anything unreadable gives an empty cache: a lost cache costs
   * one full verification, never a wrong answer, so it is not an error.
   */
  static parse(bytes: Uint8Array | null): VerificationCache {
    const cache = new VerificationCache();
    if (bytes === null) return cache;
    try {
      const root = objectOf(parseStrictJson(bytes, { maxBytes: MAX_CACHE_BYTES }));
      if (root?.['format'] !== FORMAT) return cache;
      for (const [key, value] of entriesOf(root['signatures'])) {
        if (typeof value === 'boolean' && isFactKey(key, 2)) cache.signatures.set(key, value);
      }
      for (const [key, value] of entriesOf(root['cosignatures'])) {
        if ((value === null || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) && isFactKey(key, 2)) cache.cosignatures.set(key, value);
      }
      for (const [key, value] of entriesOf(root['frontiers'])) {
        if (Array.isArray(value) && value.every((hex) => typeof hex === 'string' && SHA256_HEX.test(hex)) && isFactKey(key, 3)) cache.frontiers.set(key, value as string[]);
      }
    } catch {
      return new VerificationCache();
    }
    return cache;
  }
}

function objectOf(value: JsonValue | undefined): Record<string, JsonValue> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

function entriesOf(value: JsonValue | undefined): [string, JsonValue][] {
  return Object.entries(objectOf(value) ?? {});
}

/** A fact's key: space-separated parts, the last of which is a sha256 (signatures: digest then key ID). */
function isFactKey(key: string, parts: number): boolean {
  const split = key.split(' ');
  return split.length === parts && split.every((part) => part.length > 0) && (parts === 3 ? SHA256_HEX.test(split[2]!) : SHA256_HEX.test(split[0]!));
}

import { sha256 } from '../crypto/hash';
import { equalBytes } from '../encoding/bytes';

/**
 * RFC 6962 §2.1 Merkle tree hashing (the tree C2SP checkpoints commit to), its audit paths and
 * consistency proofs, and their verification as RFC 9162 §2.1.3.2 and §2.1.4.2 write them.
 * Tree sizes are plain numbers: every loop uses arithmetic, not 32-bit shifts, so sizes up to
 * 2^53 − 1 work.
 */

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
export const MERKLE_HASH_LENGTH = 32;

/** `SHA-256(0x00 || data)` */
export function leafHash(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

/** `SHA-256(0x01 || left || right)` */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** The root of the empty tree: SHA-256 of nothing. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** The largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:end]) over leaf hashes. */
export function rootOf(leafHashes: readonly Uint8Array[], start = 0, end = leafHashes.length): Uint8Array {
  const frontier = new MerkleFrontier();
  for (let i = start; i < end; i++) frontier.append(leafHashes[i]!);
  return frontier.root();
}

/** PATH(index, D[n]): the audit path proving the leaf at `index` is in the tree of all given leaves. */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leafHashes.length) {
    throw new RangeError(`No leaf ${index} in a tree of ${leafHashes.length}.`);
  }
  const path: Uint8Array[] = [];
  collectPath(leafHashes, index, 0, leafHashes.length, path);
  return path;
}

function collectPath(leaves: readonly Uint8Array[], index: number, start: number, end: number, path: Uint8Array[]): void {
  const n = end - start;
  if (n <= 1) return;
  const k = splitPoint(n);
  if (index < k) {
    collectPath(leaves, index, start, start + k, path);
    path.push(rootOf(leaves, start + k, end));
  } else {
    collectPath(leaves, index - k, start + k, end, path);
    path.push(rootOf(leaves, start, start + k));
  }
}

/** PROOF(oldSize, D[n]): proves the tree of the first `oldSize` leaves is a prefix of the tree of all. */
export function consistencyProof(leafHashes: readonly Uint8Array[], oldSize: number): Uint8Array[] {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > leafHashes.length) {
    throw new RangeError(`A tree of ${leafHashes.length} has no prefix of ${oldSize}.`);
  }
  const proof: Uint8Array[] = [];
  if (oldSize > 0 && oldSize < leafHashes.length) collectSubproof(leafHashes, oldSize, 0, leafHashes.length, true, proof);
  return proof;
}

function collectSubproof(leaves: readonly Uint8Array[], m: number, start: number, end: number, whole: boolean, proof: Uint8Array[]): void {
  const n = end - start;
  if (m === n) {
    if (!whole) proof.push(rootOf(leaves, start, end));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    collectSubproof(leaves, m, start, start + k, whole, proof);
    proof.push(rootOf(leaves, start + k, end));
  } else {
    collectSubproof(leaves, m - k, start + k, end, false, proof);
    proof.push(rootOf(leaves, start, start + k));
  }
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` leaves with `root`? */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2: is the tree of `newSize` leaves with `newRoot` an extension of the one of `oldSize` with `oldRoot`? */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(x: number): boolean {
  let n = x;
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}

/**
 * The right edge of an append-only tree: the roots of its perfect subtrees, largest first. It is
 * all a log needs to append a leaf and to give its root, so a sync costs what is new, not the
 * history. Serialisable as the size and the hashes.
 */
export class MerkleFrontier {
  private readonly heights: number[] = [];
  private readonly hashes: Uint8Array[] = [];
  private count = 0;

  static restore(size: number, hashes: readonly Uint8Array[]): MerkleFrontier {
    const frontier = new MerkleFrontier();
    const heights: number[] = [];
    let rest = size;
    for (let height = 52; height >= 0; height--) {
      const span = 2 ** height;
      if (rest >= span) {
        heights.push(height);
        rest -= span;
      }
    }
    if (!Number.isSafeInteger(size) || size < 0 || heights.length !== hashes.length || hashes.some((h) => h.length !== MERKLE_HASH_LENGTH)) {
      throw new RangeError(`A frontier of ${hashes.length} hashes does not fit a tree of ${size} leaves.`);
    }
    frontier.heights.push(...heights);
    frontier.hashes.push(...hashes);
    frontier.count = size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  /** The subtree roots, largest first: with `size`, everything `restore` needs. */
  get subtreeRoots(): readonly Uint8Array[] {
    return this.hashes;
  }

  append(leaf: Uint8Array): void {
    let height = 0;
    let hash = leaf;
    while (this.heights.length > 0 && this.heights[this.heights.length - 1] === height) {
      this.heights.pop();
      hash = nodeHash(this.hashes.pop()!, hash);
      height++;
    }
    this.heights.push(height);
    this.hashes.push(hash);
    this.count++;
  }

  root(): Uint8Array {
    if (this.hashes.length === 0) return emptyRoot();
    let root = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) root = nodeHash(this.hashes[i]!, root);
    return root;
  }
}

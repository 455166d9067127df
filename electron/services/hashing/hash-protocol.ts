// The messages between the hash pool (hash-files.ts) and its workers (hash-worker.ts).

/** One unit of work for a worker: a single large file, or a batch of small ones. */
export interface HashTask {
  kind: 'files';
  taskId: number;
  files: { path: string; size: number; copyTo?: string }[];
  /** Set to non-zero (Atomics.store) when the task's job is cancelled; workers check it between 1 MiB chunks. */
  cancelFlag: SharedArrayBuffer;
  /** Stat each file again after hashing it, so the pool can tell whether it changed under us. */
  statAfter: boolean;
}

/** Digests the pool can compute over byte ranges (node:crypto names). */
export type RangeAlgorithm = 'sha256' | 'blake2b512';

/** Bytes [start, end) of a file, or from start to the end of the file when end is null. */
export interface ByteRange {
  path: string;
  start: number;
  end: number | null;
  algorithm: RangeAlgorithm;
  /** For a range to the end of the file: its size when listed, to plan work and count progress. */
  sizeHint?: number;
}

/** The digest of a range, and how many bytes it covered (fewer than asked when the file is shorter). */
export interface RangeDigest {
  hex: string;
  bytes: number;
}

/** Byte ranges to digest, one after another; a single large shard is a task of its own. */
export interface RangeTask {
  kind: 'ranges';
  taskId: number;
  ranges: ByteRange[];
  cancelFlag: SharedArrayBuffer;
}

export interface StatIdentity {
  size: number;
  mtimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export interface HashedFile {
  path: string;
  sha256: string;
  /** Present when the task asked for `statAfter` and the file could still be stat'ed. */
  identityAfter?: StatIdentity;
}

export type WorkerMessage =
  /** Bytes and files finished since the previous progress message of the same task. */
  | { type: 'progress'; taskId: number; bytes: number; files: number }
  | { type: 'done'; taskId: number; results: HashedFile[] }
  | { type: 'ranges-done'; taskId: number; digests: RangeDigest[] }
  | { type: 'cancelled'; taskId: number }
  | { type: 'failed'; taskId: number; path: string; reason: string };

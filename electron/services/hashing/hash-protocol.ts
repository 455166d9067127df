// The messages between the hash pool (hash-files.ts) and its workers (hash-worker.ts).

/** One unit of work for a worker: a single large file, or a batch of small ones. */
export interface HashTask {
  taskId: number;
  files: { path: string; size: number; copyTo?: string }[];
  /** Set to non-zero (Atomics.store) when the task's job is cancelled; workers check it between 1 MiB chunks. */
  cancelFlag: SharedArrayBuffer;
  /** Stat each file again after hashing it, so the pool can tell whether it changed under us. */
  statAfter: boolean;
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
  | { type: 'cancelled'; taskId: number }
  | { type: 'failed'; taskId: number; path: string; reason: string };

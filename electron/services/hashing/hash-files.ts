// The hash pool: SHA-256 of many files on worker threads, off the calling thread.
// Large files go first, one per worker; small files travel in batches so that 20,000 tiny
// files do not pay one message round-trip each.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { DomainError } from '../../../shared/errors/domain-error';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sameIdentity, type FileIdentity, type HashCache } from './hash-cache';
import type { ByteRange, HashedFile, HashTask, RangeDigest, RangeTask, WorkerMessage } from './hash-protocol';

export type { ByteRange, RangeAlgorithm, RangeDigest } from './hash-protocol';

export interface FileToHash {
  /** Absolute path. */
  path: string;
  /** Size from lstat; progress is counted against it. */
  size: number;
  /**
   * Also copy the bytes here, in the same pass as they are hashed (a new file, created with mode
   * 0644; an existing one is an error). The file must then be exactly `size` bytes when read:
   * one that grew or shrank since it was listed fails, so the copy is what was hashed and listed.
   */
  copyTo?: string;
}

export interface HashProgressUpdate {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface HashOptions {
  signal?: AbortSignal;
  onProgress?: (p: HashProgressUpdate) => void;
  cache?: HashCache;
}

export class HashCancelledError extends DomainError {
  constructor(message = 'Hashing was cancelled') {
    super('cancelled', message);
  }
}

export interface HashPool {
  /** Resolves to path -> SHA-256 (lowercase hex) for every file. */
  hashFiles(files: readonly FileToHash[], options?: HashOptions): Promise<Map<string, string>>;
  /**
   * Digests of byte ranges (OMS shards, or whole files with `end: null`), in the order given.
   * Ranges of one file are spread over the workers, so one large file uses every core.
   */
  hashRanges(ranges: readonly ByteRange[], options?: Omit<HashOptions, 'cache'>): Promise<RangeDigest[]>;
  close(): Promise<void>;
}

/** Files at least this large are a task of their own; smaller ones are batched up to it. */
const BATCH_BYTES = 4 * 1024 * 1024;
const BATCH_FILES = 256;

/**
 * Where the worker's code is. Built (dist/electron/): this module is bundled into cli.mjs,
 * bench.mjs or main.cjs, and the worker is the sibling hash-worker.mjs. From source (vitest,
 * tsx): only hash-worker.ts sits beside this file. Node 20 does not apply `--import tsx` to a
 * worker's own entry, so a one-line bootstrap loads the .ts through tsx's require API instead.
 */
function resolveWorkerEntry(): { source: URL | string; options: WorkerOptions } {
  const bundled = fileURLToPath(new URL('./hash-worker.mjs', import.meta.url));
  // Packaged Electron: workers cannot run code from inside app.asar, so electron-builder.yml
  // unpacks the worker next to it, into app.asar.unpacked.
  const unpacked = bundled.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  if (existsSync(unpacked)) return { source: pathToFileURL(unpacked), options: {} };
  const tsxApi = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const source = fileURLToPath(new URL('./hash-worker.ts', import.meta.url));
  const bootstrap = `require(${JSON.stringify(tsxApi)}).require(${JSON.stringify(source)}, __filename);`;
  return { source: bootstrap, options: { eval: true } };
}

interface Job {
  cancelFlag: SharedArrayBuffer;
  results: Map<string, string>;
  progress: HashProgressUpdate;
  onProgress: ((p: HashProgressUpdate) => void) | undefined;
  cache: HashCache | undefined;
  /** Identity before hashing, by path; only with a cache. */
  identities: Map<string, FileIdentity>;
  /** hashRanges only: the digest of each range, by its index in the request. */
  rangeDigests: RangeDigest[];
  tasksLeft: number;
  running: number;
  /** Set once the job will reject; it does so when its last running task has stopped. */
  failure: Error | undefined;
  resolve: () => void;
  reject: (error: Error) => void;
  settled: boolean;
}

interface QueuedTask {
  job: Job;
  work: { kind: 'files'; files: FileToHash[] } | { kind: 'ranges'; ranges: ByteRange[]; indices: number[] };
}

interface Slot {
  worker: Worker;
  task: (QueuedTask & { taskId: number }) | undefined;
}

export function createHashPool(options: { workers?: number } = {}): HashPool {
  const maxWorkers = options.workers ?? availableParallelism();
  if (!Number.isInteger(maxWorkers) || maxWorkers < 1) throw new RangeError(`workers must be a positive integer, got ${maxWorkers}`);

  const slots: Slot[] = [];
  const queue: QueuedTask[] = [];
  const activeJobs = new Set<Job>();
  let nextTaskId = 1;
  let closed = false;
  let entry: ReturnType<typeof resolveWorkerEntry> | undefined;

  function spawn(): Slot {
    entry ??= resolveWorkerEntry();
    const worker = new Worker(entry.source, entry.options);
    const slot: Slot = { worker, task: undefined };
    worker.on('message', (message: WorkerMessage) => onMessage(slot, message));
    worker.on('error', (error) => onWorkerGone(slot, error));
    worker.on('exit', (code) => onWorkerGone(slot, new Error(`exited with code ${code}`)));
    slots.push(slot);
    return slot;
  }

  function dispatch(): void {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => s.task === undefined) ?? (slots.length < maxWorkers ? spawn() : undefined);
      if (!slot) return;
      const queued = queue.shift()!;
      const taskId = nextTaskId++;
      slot.task = { ...queued, taskId };
      queued.job.running++;
      const { work, job } = queued;
      const task: HashTask | RangeTask =
        work.kind === 'files'
          ? { kind: 'files', taskId, files: work.files, cancelFlag: job.cancelFlag, statAfter: job.cache !== undefined }
          : { kind: 'ranges', taskId, ranges: work.ranges, cancelFlag: job.cancelFlag };
      slot.worker.ref();
      slot.worker.postMessage(task);
    }
  }

  function onMessage(slot: Slot, message: WorkerMessage): void {
    const task = slot.task;
    if (!task || task.taskId !== message.taskId) return;
    const job = task.job;
    if (message.type === 'progress') {
      if (job.failure) return;
      job.progress.bytesDone += message.bytes;
      job.progress.filesDone += message.files;
      report(job);
      return;
    }
    // The task is over: the worker is free again.
    slot.task = undefined;
    slot.worker.unref();
    job.running--;
    if (message.type === 'ranges-done') {
      job.tasksLeft--;
      const indices = task.work.kind === 'ranges' ? task.work.indices : [];
      message.digests.forEach((digest, i) => {
        const index = indices[i];
        if (index !== undefined) job.rangeDigests[index] = digest;
      });
    } else if (message.type === 'done') {
      job.tasksLeft--;
      try {
        for (const hashed of message.results) record(job, hashed);
      } catch (error) {
        fail(job, error instanceof Error ? error : new Error(String(error))); // E.g. the cache's store failed.
      }
    } else if (message.type === 'failed') {
      fail(job, new Error(`Cannot read ${message.path}: ${message.reason}`));
    } else {
      fail(job, new HashCancelledError());
    }
    finishIfDone(job);
    dispatch();
  }

  function onWorkerGone(slot: Slot, cause: Error): void {
    const index = slots.indexOf(slot);
    if (index === -1) return; // 'error' is followed by 'exit'; handle the worker once.
    slots.splice(index, 1);
    const task = slot.task;
    if (task) {
      task.job.running--;
      const firstPath = (task.work.kind === 'files' ? task.work.files[0]?.path : task.work.ranges[0]?.path) ?? '(no file)';
      fail(task.job, new Error(`Hash worker stopped while hashing ${firstPath}: ${cause.message}`));
      finishIfDone(task.job);
    }
    dispatch(); // Spawns a replacement if work is waiting.
  }

  function record(job: Job, hashed: HashedFile): void {
    job.results.set(hashed.path, hashed.sha256);
    const before = job.identities.get(hashed.path);
    const after = hashed.identityAfter && { path: hashed.path, ...hashed.identityAfter };
    // Only an unchanged file may be cached: otherwise the digest may belong to neither version.
    if (job.cache && before && after && sameIdentity(before, after)) job.cache.set(before, hashed.sha256);
  }

  function report(job: Job): void {
    if (!job.onProgress) return;
    try {
      job.onProgress({ ...job.progress });
    } catch (error) {
      fail(job, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Stops the job's remaining work; the job rejects once its running tasks have stopped. */
  function fail(job: Job, error: Error): void {
    if (job.failure) return;
    job.failure = error;
    Atomics.store(new Int32Array(job.cancelFlag), 0, 1);
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.job === job) queue.splice(i, 1);
  }

  function finishIfDone(job: Job): void {
    if (job.settled || job.running > 0) return;
    if (job.failure) {
      job.settled = true;
      activeJobs.delete(job);
      job.reject(job.failure);
    } else if (job.tasksLeft === 0) {
      job.settled = true;
      activeJobs.delete(job);
      job.resolve();
    }
  }

  async function hashFiles(files: readonly FileToHash[], hashOptions: HashOptions = {}): Promise<Map<string, string>> {
    const { signal, onProgress, cache } = hashOptions;
    if (closed) throw new Error('The hash pool is closed');
    if (signal?.aborted) throw new HashCancelledError();

    const unique = [...new Map(files.map((file) => [file.path, file])).values()];
    const job = newJob({ bytesDone: 0, bytesTotal: sumSizes(unique), filesDone: 0, filesTotal: unique.length }, onProgress, cache);

    const toHash = cache ? await lookUpCache(job, unique, cache) : unique;
    if (signal?.aborted) throw new HashCancelledError();
    if (closed) throw new Error('The hash pool is closed');
    report(job);
    if (job.failure) throw job.failure; // onProgress threw.

    await runJob(
      job,
      planTasks(toHash).map((batch) => ({ kind: 'files' as const, files: batch })),
      signal,
    );
    return job.results;
  }

  async function hashRanges(ranges: readonly ByteRange[], rangeOptions: Omit<HashOptions, 'cache'> = {}): Promise<RangeDigest[]> {
    const { signal, onProgress } = rangeOptions;
    if (closed) throw new Error('The hash pool is closed');
    if (signal?.aborted) throw new HashCancelledError();
    for (const range of ranges) {
      if (!Number.isSafeInteger(range.start) || range.start < 0 || (range.end !== null && (!Number.isSafeInteger(range.end) || range.end < range.start))) {
        throw new RangeError(`Not a byte range: ${range.path} ${range.start}..${String(range.end)}`);
      }
    }
    const bytesTotal = ranges.reduce((total, range) => total + rangeLength(range), 0);
    const job = newJob({ bytesDone: 0, bytesTotal, filesDone: 0, filesTotal: ranges.length }, onProgress, undefined);
    report(job);
    if (job.failure) throw job.failure;
    await runJob(job, planRangeTasks(ranges), signal);
    return job.rangeDigests;
  }

  function newJob(progress: HashProgressUpdate, onProgress: Job['onProgress'], cache: HashCache | undefined): Job {
    return {
      cancelFlag: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
      results: new Map(),
      progress,
      onProgress,
      cache,
      identities: new Map(),
      rangeDigests: [],
      tasksLeft: 0,
      running: 0,
      failure: undefined,
      resolve: () => {},
      reject: () => {},
      settled: false,
    };
  }

  async function runJob(job: Job, tasks: QueuedTask['work'][], signal: AbortSignal | undefined): Promise<void> {
    job.tasksLeft = tasks.length;
    const done = new Promise<void>((resolve, reject) => {
      job.resolve = resolve;
      job.reject = reject;
    });
    const onAbort = (): void => {
      fail(job, new HashCancelledError());
      finishIfDone(job);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    activeJobs.add(job);
    for (const work of tasks) queue.push({ job, work });
    finishIfDone(job);
    dispatch();
    try {
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Credits cache hits as done and returns the files that still need hashing. */
  async function lookUpCache(job: Job, files: FileToHash[], cache: HashCache): Promise<FileToHash[]> {
    const identities = await Promise.all(files.map((file) => statIdentity(file.path)));
    const misses: FileToHash[] = [];
    files.forEach((file, i) => {
      const identity = identities[i];
      const cached = identity && cache.get(identity);
      if (cached === undefined) {
        if (identity) job.identities.set(file.path, identity);
        misses.push(file);
        return;
      }
      job.results.set(file.path, cached);
      job.progress.bytesDone += file.size;
      job.progress.filesDone++;
    });
    return misses;
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    const closing = new Error('The hash pool was closed');
    for (const job of activeJobs) {
      fail(job, closing);
      finishIfDone(job); // Jobs with a running task settle when its worker exits.
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  return { hashFiles, hashRanges, close };
}

function rangeLength(range: ByteRange): number {
  return range.end === null ? Math.max(0, (range.sizeHint ?? 0) - range.start) : range.end - range.start;
}

/** Ranges of at least BATCH_BYTES are tasks of their own, largest first; small ones are batched. */
function planRangeTasks(ranges: readonly ByteRange[]): QueuedTask['work'][] {
  const length = rangeLength;
  const order = ranges.map((_, index) => index).sort((a, b) => length(ranges[b]!) - length(ranges[a]!));
  const tasks: QueuedTask['work'][] = [];
  let batch: number[] = [];
  let batchBytes = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    tasks.push({ kind: 'ranges', ranges: batch.map((index) => ranges[index]!), indices: batch });
    batch = [];
    batchBytes = 0;
  };
  for (const index of order) {
    const range = ranges[index]!;
    if (length(range) >= BATCH_BYTES) {
      tasks.push({ kind: 'ranges', ranges: [range], indices: [index] });
      continue;
    }
    batch.push(index);
    batchBytes += length(range);
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_FILES) flush();
  }
  flush();
  return tasks;
}

/** Largest first, so no worker starts a big file last; small files in batches. */
function planTasks(files: readonly FileToHash[]): FileToHash[][] {
  const bySizeDescending = [...files].sort((a, b) => b.size - a.size);
  const tasks: FileToHash[][] = [];
  let batch: FileToHash[] = [];
  let batchBytes = 0;
  for (const file of bySizeDescending) {
    if (file.size >= BATCH_BYTES) {
      tasks.push([file]);
      continue;
    }
    batch.push(file);
    batchBytes += file.size;
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_FILES) {
      tasks.push(batch);
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length > 0) tasks.push(batch);
  return tasks;
}

async function statIdentity(path: string): Promise<FileIdentity | undefined> {
  try {
    const stats = await stat(path, { bigint: true });
    return { path, size: Number(stats.size), mtimeNs: stats.mtimeNs, ino: stats.ino, dev: stats.dev };
  } catch {
    return undefined; // The worker will fail on it with an error that names the file.
  }
}

function sumSizes(files: readonly FileToHash[]): number {
  return files.reduce((total, file) => total + file.size, 0);
}

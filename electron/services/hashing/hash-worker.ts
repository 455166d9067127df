// Worker thread: hashes the files of one task at a time with 1 MiB synchronous reads into a
// reused buffer (measurably faster than read streams, whose default 64 KiB chunks cost ~28 %).
import { parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { closeSync, constants, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { ByteRange, HashedFile, HashTask, RangeDigest, RangeTask, StatIdentity, WorkerMessage } from './hash-protocol';

const CHUNK_BYTES = 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;
const PROGRESS_BYTES = 64 * 1024 * 1024;
// The caller lstat'ed a regular file at this path; never follow a symlink swapped in since.
// (O_NOFOLLOW does not exist on Windows, where it is undefined.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);
// A copy is always a new file: never write through a file or symlink already there.
const COPY_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const COPY_MODE = 0o644;

const port = parentPort;
if (!port) throw new Error('hash-worker must run as a worker thread');
const chunk = Buffer.allocUnsafe(CHUNK_BYTES);

port.on('message', (task: HashTask | RangeTask) => port.postMessage(task.kind === 'ranges' ? runRangeTask(task) : runTask(task)));

function runRangeTask(task: RangeTask): WorkerMessage {
  const cancelled = new Int32Array(task.cancelFlag);
  const progress = new ProgressReporter(task.taskId);
  const digests: RangeDigest[] = [];
  for (const range of task.ranges) {
    let digest: RangeDigest | undefined;
    try {
      digest = hashRange(range, cancelled, progress);
    } catch (error) {
      return { type: 'failed', taskId: task.taskId, path: range.path, reason: describeError(error) };
    }
    if (digest === undefined) return { type: 'cancelled', taskId: task.taskId };
    digests.push(digest);
  }
  progress.flush();
  return { type: 'ranges-done', taskId: task.taskId, digests };
}

/** Reads the range with positional reads, so several workers can share one large file. */
function hashRange(range: ByteRange, cancelled: Int32Array, progress: ProgressReporter): RangeDigest | undefined {
  if (Atomics.load(cancelled, 0) !== 0) return undefined;
  const fd = openSync(range.path, OPEN_FLAGS);
  try {
    const hash = createHash(range.algorithm);
    let position = range.start;
    for (;;) {
      if (Atomics.load(cancelled, 0) !== 0) return undefined;
      const wanted = range.end === null ? CHUNK_BYTES : Math.min(CHUNK_BYTES, range.end - position);
      if (wanted <= 0) break;
      const bytesRead = readSync(fd, chunk, 0, wanted, position);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      position += bytesRead;
      progress.add(bytesRead, 0);
    }
    progress.add(0, 1);
    return { hex: hash.digest('hex'), bytes: position - range.start };
  } finally {
    closeSync(fd);
  }
}

function runTask(task: HashTask): WorkerMessage {
  const cancelled = new Int32Array(task.cancelFlag);
  const progress = new ProgressReporter(task.taskId);
  const results: HashedFile[] = [];
  for (const file of task.files) {
    let sha256: string | undefined;
    try {
      sha256 = hashFile(file, cancelled, progress);
    } catch (error) {
      return { type: 'failed', taskId: task.taskId, path: file.path, reason: describeError(error) };
    }
    if (sha256 === undefined) return { type: 'cancelled', taskId: task.taskId };
    const identityAfter = task.statAfter ? statIdentity(file.path) : undefined;
    results.push(identityAfter ? { path: file.path, sha256, identityAfter } : { path: file.path, sha256 });
  }
  progress.flush();
  return { type: 'done', taskId: task.taskId, results };
}

/** Returns the lowercase hex SHA-256, or undefined when the job was cancelled midway. */
function hashFile(file: { path: string; size: number; copyTo?: string }, cancelled: Int32Array, progress: ProgressReporter): string | undefined {
  if (Atomics.load(cancelled, 0) !== 0) return undefined;
  const fd = openSync(file.path, OPEN_FLAGS);
  let copyFd: number | undefined;
  try {
    if (file.copyTo !== undefined) copyFd = openSync(file.copyTo, COPY_FLAGS, COPY_MODE);
    const hash = createHash('sha256');
    // Progress credits at most the announced size, so bytesDone ends exactly at bytesTotal
    // even when a file grew or shrank since it was listed.
    let credited = 0;
    let bytesTotal = 0;
    for (;;) {
      if (Atomics.load(cancelled, 0) !== 0) return undefined;
      const bytesRead = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      bytesTotal += bytesRead;
      if (copyFd !== undefined) writeAll(copyFd, chunk.subarray(0, bytesRead));
      const credit = Math.min(bytesRead, file.size - credited);
      credited += credit;
      progress.add(credit, 0);
    }
    if (copyFd !== undefined && bytesTotal !== file.size) throw new Error(`the file changed while it was read (${bytesTotal} bytes, listed as ${file.size})`);
    progress.add(file.size - credited, 1);
    return hash.digest('hex');
  } finally {
    closeSync(fd);
    if (copyFd !== undefined) closeSync(copyFd);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
}

function statIdentity(path: string): StatIdentity | undefined {
  try {
    const stats = statSync(path, { bigint: true });
    return { size: Number(stats.size), mtimeNs: stats.mtimeNs, ino: stats.ino, dev: stats.dev };
  } catch {
    return undefined; // Gone or unreadable now: the pool will simply not cache it.
  }
}

/** "ENOENT: no such file or directory, open '/x'" -> "no such file or directory (ENOENT)". */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const systemMessage = code ? new RegExp(`^${code}: ([^,]+)`).exec(error.message)?.[1] : undefined;
  return systemMessage && code ? `${systemMessage} (${code})` : error.message;
}

/** Sends progress at most every 100 ms or 64 MiB, whichever comes first. */
class ProgressReporter {
  private bytes = 0;
  private files = 0;
  private lastSent = performance.now();

  constructor(private readonly taskId: number) {}

  add(bytes: number, files: number): void {
    this.bytes += bytes;
    this.files += files;
    if (this.bytes >= PROGRESS_BYTES || performance.now() - this.lastSent >= PROGRESS_INTERVAL_MS) this.flush();
  }

  flush(): void {
    if (this.bytes === 0 && this.files === 0) return;
    port?.postMessage({ type: 'progress', taskId: this.taskId, bytes: this.bytes, files: this.files } satisfies WorkerMessage);
    this.bytes = 0;
    this.files = 0;
    this.lastSent = performance.now();
  }
}

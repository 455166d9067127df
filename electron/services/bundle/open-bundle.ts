import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, resolve } from 'node:path';
import { abortError, isAbortError, throwIfAborted } from './abort';
import { detectArchiveFormat, NOT_A_BUNDLE } from './archive-format';
import type { ArchiveFormat } from './archive-format';
import { BundleError } from './bundle-error';
import { displayName } from './entry-path';
import { defaultStatFs } from './free-space';
import type { StatFs } from './free-space';
import { resolveLimits } from './limits';
import type { BundleLimits } from './limits';
import { unpackTar } from './read-tar';
import { unpackZip } from './read-zip';
import { UnpackTarget } from './unpack-target';
import { walkDirectory } from './walk-directory';

export interface BundleEntry {
  /** POSIX, NFC, e.g. 'artifacts/model/fraud-m92.onnx'. */
  relPath: string;
  absPath: string;
  size: number;
}

export interface OpenedBundle {
  format: 'directory' | 'tar' | 'tar.gz' | 'zip';
  /** What the person opened. */
  sourcePath: string;
  /** The directory on disk holding the files: the bundle directory itself, or the private temp dir. */
  root: string;
  /** Files only, keyed by relPath. */
  entries: ReadonlyMap<string, BundleEntry>;
  /** Removes the private temp dir (nothing to do for directories); idempotent. */
  close(): Promise<void>;
}

export interface OpenBundleOptions {
  limits?: Partial<BundleLimits>;
  /** Where the private temp dir is made; the OS temp dir by default. */
  tempRoot?: string;
  signal?: AbortSignal;
  /**
   * How the free space of tempRoot's file system is asked: fs.statfs by default. A caller
   * passes its own to stand for a file system it cannot create (a nearly full disk in a test).
   */
  statFs?: StatFs;
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function statSource(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new BundleError('not-found', `No such file or folder: ${path}`);
    throw new BundleError('unreadable', `Cannot read ${path}: ${describeFailure(error)}`);
  }
}

async function openDirectory(sourcePath: string, limits: BundleLimits, signal: AbortSignal | undefined): Promise<OpenedBundle> {
  const root = resolve(sourcePath);
  let entries: Map<string, BundleEntry>;
  try {
    entries = await walkDirectory(root, limits, signal);
  } catch (error) {
    if (error instanceof BundleError || isAbortError(error)) throw error;
    throw new BundleError('unreadable', `Cannot read the bundle folder ${sourcePath}: ${describeFailure(error)}`);
  }
  return { format: 'directory', sourcePath, root, entries, close: async () => {} };
}

async function openArchive(sourcePath: string, format: ArchiveFormat, limits: BundleLimits, options: OpenBundleOptions): Promise<OpenedBundle> {
  const { signal } = options;
  const target = await UnpackTarget.create(options.tempRoot ?? tmpdir(), limits, signal, options.statFs ?? defaultStatFs);
  try {
    if (format === 'zip') await unpackZip(sourcePath, target, limits, signal);
    else await unpackTar(sourcePath, format === 'tar.gz', target, limits, signal);
    throwIfAborted(signal);
  } catch (error) {
    // No partial state: the temp dir goes before the error is reported.
    await target.discard();
    if (signal?.aborted === true) throw abortError();
    if (error instanceof BundleError || isAbortError(error)) throw error;
    throw new BundleError('unreadable', `Cannot read ${basename(sourcePath)} as a ${format} archive: ${describeFailure(error)}`);
  }

  const { root, entries } = target.finish();
  let closing: Promise<void> | null = null;
  return {
    format,
    sourcePath,
    root,
    entries,
    close: () => (closing ??= target.discard()),
  };
}

/**
 * Opens a bundle (FORMATS §9): a directory is listed in place; a .tar, .tar.gz/.tgz or .zip
 * archive is unpacked into a private temporary directory, which `close()` removes. Every
 * bundle is treated as hostile: see entry-path.ts, entry-names.ts and limits.ts for what is
 * refused, zip-structure.ts, tar-structure.ts and gzip-member.ts for archives that would read
 * differently in another reader, and free-space.ts for the disk. Cancelling through `signal` rejects with an Error named AbortError.
 */
export async function openBundle(path: string, options: OpenBundleOptions = {}): Promise<OpenedBundle> {
  const limits = resolveLimits(options.limits);
  throwIfAborted(options.signal);
  const stats = await statSource(path);
  if (stats.isDirectory()) return openDirectory(path, limits, options.signal);
  if (!stats.isFile()) throw new BundleError('unreadable', `${basename(path)}: ${NOT_A_BUNDLE}.`);

  let format: ArchiveFormat;
  try {
    format = await detectArchiveFormat(path);
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError('unreadable', `Cannot read ${path}: ${describeFailure(error)}`);
  }
  return openArchive(path, format, limits, options);
}

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

function tooLarge(relPath: string, maxBytes: number): BundleError {
  return new BundleError('hostile-input', `${relPath} is larger than the ${maxBytes}-byte cap for this kind of file.`, relPath);
}

/**
 * Reads one file of the bundle whole, refusing it if it is over maxBytes. The file is opened
 * without following links, its size checked again on the open handle, and the read stops one
 * byte past that size: a file swapped or grown since the bundle was opened is refused, never
 * read past the cap.
 */
export async function readBundleFile(bundle: OpenedBundle, relPath: string, maxBytes: number): Promise<Uint8Array> {
  const entry = bundle.entries.get(relPath);
  if (entry === undefined) throw new BundleError('not-found', `The bundle has no file ${displayName(relPath)}.`, relPath);
  if (entry.size > maxBytes) throw tooLarge(relPath, maxBytes);

  let handle;
  try {
    handle = await open(entry.absPath, READ_FLAGS);
  } catch (error) {
    throw openFailure(relPath, error);
  }
  try {
    const stats = await handle.stat();
    const buffer = bufferFor(relPath, stats, maxBytes);
    let filled = 0;
    while (filled < buffer.byteLength) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filledExactly(relPath, buffer, filled, stats.size, maxBytes);
  } catch (error) {
    throw readFailure(relPath, error);
  } finally {
    await handle.close();
  }
}

/** Files read synchronously between two turns of the event loop. */
const SMALL_FILES_PER_TURN = 64;

/**
 * Many small files of the bundle (a board's approvals), with the checks of readBundleFile. Each
 * is a handful of system calls: made synchronously, a chunk at a time with a turn of the event
 * loop between chunks, they cost far less than as many round trips to the thread pool, which the
 * hash workers' reads share. The first failure, in the order given, is thrown.
 */
export async function readSmallBundleFiles(bundle: OpenedBundle, relPaths: readonly string[], maxBytes: number): Promise<Uint8Array[]> {
  const read: Uint8Array[] = [];
  for (let start = 0; start < relPaths.length; start += SMALL_FILES_PER_TURN) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const relPath of relPaths.slice(start, start + SMALL_FILES_PER_TURN)) read.push(readBundleFileNow(bundle, relPath, maxBytes));
  }
  return read;
}

function readBundleFileNow(bundle: OpenedBundle, relPath: string, maxBytes: number): Uint8Array {
  const entry = bundle.entries.get(relPath);
  if (entry === undefined) throw new BundleError('not-found', `The bundle has no file ${displayName(relPath)}.`, relPath);
  if (entry.size > maxBytes) throw tooLarge(relPath, maxBytes);
  let fd: number;
  try {
    fd = openSync(entry.absPath, READ_FLAGS);
  } catch (error) {
    throw openFailure(relPath, error);
  }
  try {
    const stats = fstatSync(fd);
    const buffer = bufferFor(relPath, stats, maxBytes);
    let filled = 0;
    while (filled < buffer.byteLength) {
      const bytesRead = readSync(fd, buffer, filled, buffer.byteLength - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filledExactly(relPath, buffer, filled, stats.size, maxBytes);
  } catch (error) {
    throw readFailure(relPath, error);
  } finally {
    closeSync(fd);
  }
}

function openFailure(relPath: string, error: unknown): BundleError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new BundleError('not-found', `${relPath} is no longer in the bundle (removed since it was opened).`, relPath);
  if (code === 'ELOOP') return new BundleError('hostile-input', `${relPath} became a symbolic link since the bundle was opened.`, relPath);
  return new BundleError('unreadable', `Cannot read ${relPath}: ${describeFailure(error)}`, relPath);
}

function readFailure(relPath: string, error: unknown): BundleError {
  return error instanceof BundleError ? error : new BundleError('unreadable', `Cannot read ${relPath}: ${describeFailure(error)}`, relPath);
}

/** A buffer one byte larger than the file may be, so a file grown past the cap is noticed. */
function bufferFor(relPath: string, stats: { isFile(): boolean; size: number }, maxBytes: number): Uint8Array {
  if (!stats.isFile()) throw new BundleError('hostile-input', `${relPath} is no longer a regular file.`, relPath);
  if (stats.size > maxBytes) throw tooLarge(relPath, maxBytes);
  return new Uint8Array(Math.min(stats.size, maxBytes) + 1);
}

function filledExactly(relPath: string, buffer: Uint8Array, filled: number, size: number, maxBytes: number): Uint8Array {
  if (filled > maxBytes) throw tooLarge(relPath, maxBytes);
  if (filled !== size) throw new BundleError('unreadable', `${relPath} changed while it was being read.`, relPath);
  return buffer.subarray(0, filled);
}

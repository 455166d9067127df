import { constants } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { throwIfAborted } from './abort';
import { BundleError } from './bundle-error';
import { EntryNames } from './entry-names';
import { checkEntryPath, displayName, refuseEntry } from './entry-path';
import type { EntryPath } from './entry-path';
import { FreeSpace } from './free-space';
import type { StatFs } from './free-space';
import type { BundleLimits } from './limits';
import type { BundleEntry } from './open-bundle';

/** What an archive says about an entry's content, checked once the content has streamed. */
export interface DeclaredContent {
  size: number;
  crc32: number;
}

export interface UnpackedBundle {
  root: string;
  entries: Map<string, BundleEntry>;
}

const MANIFEST = 'manifest.dsse.json';

/*
 * Created exclusively and never through a link: together with a private directory that only
 * this reader writes to (and that never holds a link), nothing can land outside it.
 * O_NOFOLLOW does not exist on Windows; O_EXCL alone refuses an existing name there.
 */
const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * The private temporary directory an archive is unpacked into, and the bookkeeping that keeps
 * every entry inside the caps. Archive readers hand it entries in archive order; it checks
 * each name, counts entries and bytes, makes sure the file system keeps its free-space
 * margin (free-space.ts), and writes the files.
 */
export class UnpackTarget {
  private readonly names = new EntryNames();
  private readonly files = new Map<string, { path: EntryPath; size: number }>();
  private readonly topLevel = new Map<string, 'file' | 'directory'>();
  private readonly createdDirectories = new Set<string>();
  private entryCount = 0;
  private totalBytes = 0;

  private readonly space: FreeSpace;

  private constructor(
    readonly directory: string,
    private readonly limits: BundleLimits,
    private readonly signal: AbortSignal | undefined,
    statFs: StatFs,
  ) {
    this.space = new FreeSpace(directory, statFs);
  }

  static async create(tempRoot: string, limits: BundleLimits, signal: AbortSignal | undefined, statFs: StatFs): Promise<UnpackTarget> {
    const directory = await mkdtemp(join(tempRoot, 'countersign-bundle-'));
    // mkdtemp already creates it 0700 on POSIX; say so explicitly rather than rely on it.
    await chmod(directory, 0o700);
    return new UnpackTarget(directory, limits, signal, statFs);
  }

  /**
   * Refuses, before anything is written, an archive whose entries say they unpack to more than
   * the free space allows. What streams in is still counted: this is the early answer for
   * honest sizes, not a trusted one.
   */
  async checkRoomFor(declaredBytes: number): Promise<void> {
    await this.space.ensureRoomFor(declaredBytes);
  }

  /** Counts one archive entry of any kind against maxEntries. Call first, for every entry. */
  countEntry(name: string): void {
    this.entryCount += 1;
    if (this.entryCount > this.limits.maxEntries) {
      throw new BundleError('hostile-input', `The bundle has more than the cap of ${this.limits.maxEntries} entries (stopped at ${displayName(name)}).`, name);
    }
  }

  async addDirectory(name: string): Promise<void> {
    throwIfAborted(this.signal);
    const path = checkEntryPath(name, 'directory', this.limits);
    if (path === null) return;
    this.names.add(path, 'directory', name);
    this.noteTopLevel(path, 'directory');
    await this.makeDirectories(path.segments, name);
  }

  /** Writes one file, counting its bytes as they arrive: a size the archive declares is never trusted. */
  async addFile(name: string, content: AsyncIterable<Uint8Array>, declared: DeclaredContent | null = null): Promise<void> {
    throwIfAborted(this.signal);
    const path = checkEntryPath(name, 'file', this.limits);
    if (path === null) return;
    this.names.add(path, 'file', name);
    this.noteTopLevel(path, 'file');
    await this.makeDirectories(path.segments.slice(0, -1), name);

    const handle = await this.createFile(path, name);
    let size = 0;
    let checksum = 0;
    try {
      for await (const chunk of content) {
        throwIfAborted(this.signal);
        size += chunk.byteLength;
        this.totalBytes += chunk.byteLength;
        if (this.totalBytes > this.limits.maxTotalBytes) {
          refuseEntry(name, `the bundle unpacks to more than the cap of ${this.limits.maxTotalBytes} bytes`);
        }
        if (declared !== null && size > declared.size) {
          refuseEntry(name, `it unpacks to more than the ${declared.size} bytes the archive declares for it`);
        }
        if (declared !== null) checksum = crc32(chunk, checksum);
        await this.space.reserve(chunk.byteLength, name);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    if (declared !== null && (size !== declared.size || checksum !== declared.crc32)) {
      throw new BundleError('unreadable', `The archive is damaged: entry ${displayName(name)} does not match the size and checksum the archive records for it.`, name);
    }
    this.files.set(path.relPath, { path, size });
  }

  /**
   * The unpacked bundle. An archive holding exactly one top-level directory with the manifest
   * inside is a bundle wrapped in its folder (what `tar czf b.tgz bundle/` makes): that
   * directory becomes the root and is stripped from every relPath.
   */
  finish(): UnpackedBundle {
    const wrapper = this.singleWrappingDirectory();
    const skip = wrapper === null ? 0 : 1;
    const root = wrapper === null ? this.directory : join(this.directory, wrapper);
    const entries = new Map<string, BundleEntry>();
    for (const { path, size } of this.files.values()) {
      const relPath = path.segments.slice(skip).join('/');
      entries.set(relPath, { relPath, absPath: join(this.directory, ...path.segments), size });
    }
    return { root, entries };
  }

  /** Removes the directory and everything in it; safe to call more than once. */
  async discard(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true, maxRetries: 3 });
  }

  private singleWrappingDirectory(): string | null {
    if (this.files.has(MANIFEST) || this.topLevel.size !== 1) return null;
    const [name, kind] = [...this.topLevel][0] ?? [];
    if (name === undefined || kind !== 'directory') return null;
    return this.files.has(`${name}/${MANIFEST}`) ? name : null;
  }

  private noteTopLevel(path: EntryPath, kind: 'file' | 'directory'): void {
    const [first] = path.segments;
    if (first === undefined) return;
    this.topLevel.set(first, path.segments.length > 1 ? 'directory' : kind);
  }

  private async makeDirectories(segments: string[], name: string): Promise<void> {
    for (let depth = 1; depth <= segments.length; depth += 1) {
      const relPath = segments.slice(0, depth).join('/');
      if (this.createdDirectories.has(relPath)) continue;
      try {
        await mkdir(join(this.directory, ...segments.slice(0, depth)), { mode: 0o700 });
      } catch (error) {
        throw this.writeError(error, name);
      }
      this.createdDirectories.add(relPath);
    }
  }

  private async createFile(path: EntryPath, name: string) {
    try {
      return await open(join(this.directory, ...path.segments), CREATE_EXCLUSIVE, 0o600);
    } catch (error) {
      throw this.writeError(error, name);
    }
  }

  private writeError(error: unknown, name: string): BundleError {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // The name checks already refuse twins; this is a file system folding names in a way
      // they did not foresee (e.g. Windows ignoring a trailing dot). Still a collision.
      return new BundleError('hostile-input', `Refused entry ${displayName(name)}: it collides with another entry on this file system.`, name);
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new BundleError('unreadable', `Could not unpack entry ${displayName(name)} into the temporary folder: ${reason}`, name);
  }
}

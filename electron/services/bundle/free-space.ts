import { statfs } from 'node:fs/promises';
import { BundleError } from './bundle-error';
import { displayName } from './entry-path';

/** What the free-space check needs from fs.statfs; a test passes its own to stand for a small disk. */
export interface FileSystemSpace {
  /** Block size in bytes. */
  bsize: number | bigint;
  /** Blocks in the file system. */
  blocks: number | bigint;
  /** Blocks free for an unprivileged user. */
  bavail: number | bigint;
}

export type StatFs = (path: string) => Promise<FileSystemSpace>;

export const defaultStatFs: StatFs = (path) => statfs(path);

/**
 * Unpacking always leaves this much free on the temporary file system: 1 GiB, or 5% of the
 * file system when that is smaller (a small tmpfs). Other programs need the space too, and a
 * full disk is the failure being prevented.
 */
export const FREE_SPACE_MARGIN_BYTES = 1024 ** 3;
export const FREE_SPACE_MARGIN_FRACTION = 0.05;

/** Free space is asked again after this many bytes, so space others use meanwhile counts too. */
const RECHECK_EVERY_BYTES = 64 * 1024 * 1024;

export function freeSpaceMargin(fileSystemBytes: number): number {
  return Math.min(FREE_SPACE_MARGIN_BYTES, Math.floor(fileSystemBytes * FREE_SPACE_MARGIN_FRACTION));
}

/**
 * The room left on the file system of one directory, asked of statfs before bytes are written
 * and again every RECHECK_EVERY_BYTES. A statfs that fails (a platform without it) leaves
 * writing unchecked rather than refusing every bundle; the other caps still hold.
 */
export class FreeSpace {
  /** Bytes that may still be written before asking statfs again. */
  private knownRoom = 0;

  constructor(
    private readonly directory: string,
    private readonly statFs: StatFs,
  ) {}

  /** Throws before `bytes` more are written if they would eat into the margin. */
  async reserve(bytes: number, entry: string | null): Promise<void> {
    if (bytes <= this.knownRoom) {
      this.knownRoom -= bytes;
      return;
    }
    const room = await this.roomLeft(bytes, entry);
    this.knownRoom = Math.min(room, RECHECK_EVERY_BYTES) - bytes;
  }

  /** Throws now if `bytes` (e.g. the sizes a zip declares) could not be written; reserves nothing. */
  async ensureRoomFor(bytes: number): Promise<void> {
    await this.roomLeft(bytes, null);
  }

  private async roomLeft(bytes: number, entry: string | null): Promise<number> {
    let space: FileSystemSpace;
    try {
      space = await this.statFs(this.directory);
    } catch {
      return Number.MAX_SAFE_INTEGER;
    }
    const blockSize = Number(space.bsize);
    const free = Number(space.bavail) * blockSize;
    const margin = freeSpaceMargin(Number(space.blocks) * blockSize);
    const room = Math.max(free - margin, 0);
    if (bytes > room) {
      const what = entry === null ? `Unpacking the bundle needs ${bytes} bytes` : `Unpacking entry ${displayName(entry)} needs ${bytes} more bytes`;
      throw new BundleError(
        'unreadable',
        `Not enough free space in the temporary folder: ${what}, but its file system has ${free} bytes free and Countersign keeps ${margin} of them free. ` +
          'Free some space, or unpack the bundle yourself and open the folder.',
        entry,
      );
    }
    return room;
  }
}

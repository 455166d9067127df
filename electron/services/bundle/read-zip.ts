import type { Readable } from 'node:stream';
import { getFileNameLowLevel, open as openZip } from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { abortError, throwIfAborted, whenAborted } from './abort';
import { BundleError } from './bundle-error';
import { displayName, refuseEntry } from './entry-path';
import type { BundleLimits } from './limits';
import type { UnpackTarget } from './unpack-target';

// yauzl 3 exports its name decoder (UTF-8 flag, Info-ZIP Unicode path field, else CP437);
// @types/yauzl still describes version 2.
declare module 'yauzl' {
  function getFileNameLowLevel(
    generalPurposeBitFlag: number,
    fileNameBuffer: Buffer,
    extraFields: { id: number; data: Buffer }[],
    strictFileNames: boolean,
  ): string;
}

const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const DOS_DIRECTORY = 0x10;

// The upper 16 bits of the external attributes hold a Unix mode when a Unix tool wrote the entry.
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

const COMPRESSION_NAMES: Record<number, string> = { 1: 'shrink', 6: 'implode', 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd', 99: 'AES encryption' };

type EntryKind = 'file' | 'directory';

function entryKind(entry: Entry, name: string): EntryKind {
  const unixType = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (unixType === S_IFLNK) refuseEntry(name, 'it is a symbolic link; a bundle holds regular files only');
  if (unixType !== 0 && unixType !== S_IFREG && unixType !== S_IFDIR) {
    refuseEntry(name, 'it is a device, FIFO or socket; a bundle holds regular files only');
  }
  const isDirectory = name.endsWith('/') || unixType === S_IFDIR || (entry.externalFileAttributes & DOS_DIRECTORY) !== 0;
  return isDirectory ? 'directory' : 'file';
}

function checkReadable(entry: Entry, name: string): void {
  if ((entry.generalPurposeBitFlag & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) {
    throw new BundleError('unreadable', `Cannot read entry ${displayName(name)}: it is encrypted, and Countersign opens only unencrypted archives.`, name);
  }
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    const method = COMPRESSION_NAMES[entry.compressionMethod] ?? 'unknown';
    throw new BundleError(
      'unreadable',
      `Cannot read entry ${displayName(name)}: it uses zip compression method ${entry.compressionMethod} (${method}); only stored and deflate are supported.`,
      name,
    );
  }
}

/** yauzl's event-driven entry list as an async sequence, one entry at a time. */
async function* zipEntries(zip: ZipFile): AsyncGenerator<Entry> {
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let next: Entry | null | undefined;
  zip.on('entry', (entry: Entry) => { next = entry; wake?.(); });
  zip.on('end', () => { next = null; wake?.(); });
  zip.on('error', (error: Error) => { failure = error; wake?.(); });
  for (;;) {
    next = undefined;
    zip.readEntry();
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (next !== undefined || failure !== null) resolve();
    });
    wake = null;
    if (failure !== null) throw failure;
    if (next === null || next === undefined) return;
    yield next;
  }
}

function openZipFile(archivePath: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings off: yauzl would otherwise turn backslashes into slashes and reject some
    // names itself; every name goes through this reader's own checks instead. Entry sizes are
    // counted by the target while streaming, against the cap and against the declared size.
    openZip(archivePath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false }, (error, zip) => {
      if (error) reject(error);
      else resolve(zip);
    });
  });
}

function openEntryStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) reject(error);
      else resolve(stream);
    });
  });
}

export async function unpackZip(archivePath: string, target: UnpackTarget, limits: BundleLimits, signal: AbortSignal | undefined): Promise<void> {
  const zip = await openZipFile(archivePath);
  let current: Readable | null = null;
  const stopListening = whenAborted(signal, () => current?.destroy(abortError()));
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new BundleError('hostile-input', `The bundle has ${zip.entryCount} entries, more than the cap of ${limits.maxEntries}.`);
    }
    for await (const entry of zipEntries(zip)) {
      throwIfAborted(signal);
      const rawName = entry.fileName as unknown as Buffer;
      const name = getFileNameLowLevel(entry.generalPurposeBitFlag, rawName, entry.extraFields, true);
      target.countEntry(name);
      if (entryKind(entry, name) === 'directory') {
        await target.addDirectory(name.endsWith('/') ? name : `${name}/`);
        continue;
      }
      checkReadable(entry, name);
      current = await openEntryStream(zip, entry);
      await target.addFile(name, current, { size: entry.uncompressedSize, crc32: entry.crc32 });
      current = null;
    }
  } finally {
    stopListening();
    current?.destroy();
    zip.close();
  }
}

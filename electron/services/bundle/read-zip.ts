import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { Readable } from 'node:stream';
import { getFileNameLowLevel } from 'yauzl';
import { abortError, throwIfAborted, whenAborted } from './abort';
import { BundleError } from './bundle-error';
import { checkCompressionRatio } from './compression-ratio';
import { displayName, refuseEntry } from './entry-path';
import type { BundleLimits } from './limits';
import type { UnpackTarget } from './unpack-target';
import { FLAG_UTF8, readZipStructure } from './zip-structure';
import type { ZipEntryRecord } from './zip-structure';

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
const FLAG_MASKED_HEADERS = 0x2000;
const DOS_DIRECTORY = 0x10;

// The upper 16 bits of the external attributes hold a Unix mode when a Unix tool wrote the entry.
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

const COMPRESSION_NAMES: Record<number, string> = { 1: 'shrink', 6: 'implode', 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd', 99: 'AES encryption' };

type EntryKind = 'file' | 'directory';

interface PlannedEntry {
  record: ZipEntryRecord;
  name: string;
  kind: EntryKind;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The entry's name as yauzl decodes it (UTF-8 flag, else CP437; an Info-ZIP Unicode path
 * field wins). Refused where readers would disagree: invalid UTF-8 under the UTF-8 flag, and
 * a Unicode path field naming something else than a header name every reader decodes alike.
 */
function entryName(record: ZipEntryRecord): string {
  const utf8Flag = (record.flags & FLAG_UTF8) !== 0;
  const ascii = record.rawName.every((byte) => byte < 0x80);
  let headerName: string | null = null;
  if (utf8Flag || ascii) {
    try {
      headerName = strictUtf8.decode(record.rawName);
    } catch {
      refuseEntry(record.rawName.toString('utf8'), 'its name is flagged UTF-8 but is not valid UTF-8');
    }
  }
  const name = getFileNameLowLevel(record.flags, record.rawName, record.extraFields, true);
  if (headerName !== null && name !== headerName) {
    refuseEntry(headerName, `its Info-ZIP Unicode path field names it ${displayName(name)}; readers that ignore that field would unpack it under its header name`);
  }
  return name;
}

function entryKind(record: ZipEntryRecord, name: string): EntryKind {
  const unixType = (record.externalAttributes >>> 16) & S_IFMT;
  if (unixType === S_IFLNK) refuseEntry(name, 'it is a symbolic link; a bundle holds regular files only');
  if (unixType !== 0 && unixType !== S_IFREG && unixType !== S_IFDIR) {
    refuseEntry(name, 'it is a device, FIFO or socket; a bundle holds regular files only');
  }
  const isDirectory = name.endsWith('/') || unixType === S_IFDIR || (record.externalAttributes & DOS_DIRECTORY) !== 0;
  // An empty deflate stream takes 2 bytes; anything more in a directory is data no reader unpacks.
  if (isDirectory && (record.uncompressedSize !== 0 || record.compressedSize > 2)) {
    refuseEntry(name, `it is a directory but carries data (${record.compressedSize} compressed bytes, ${record.uncompressedSize} unpacked)`);
  }
  return isDirectory ? 'directory' : 'file';
}

function checkReadable(record: ZipEntryRecord, name: string): void {
  if ((record.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) !== 0) {
    throw new BundleError('unreadable', `Cannot read entry ${displayName(name)}: it is encrypted, and Countersign opens only unencrypted archives.`, name);
  }
  if (record.method !== STORED && record.method !== DEFLATED) {
    const method = COMPRESSION_NAMES[record.method] ?? 'unknown';
    throw new BundleError(
      'unreadable',
      `Cannot read entry ${displayName(name)}: it uses zip compression method ${record.method} (${method}); only stored and deflate are supported.`,
      name,
    );
  }
  if (record.method === STORED && record.compressedSize !== record.uncompressedSize) {
    refuseEntry(name, `it is stored uncompressed, yet its compressed size (${record.compressedSize}) and size (${record.uncompressedSize}) differ`);
  }
}

/**
 * Every entry's name, kind and readability, and the declared sizes against the caps, the
 * compression ratio limit and the free space: all before a byte is written.
 */
async function planEntries(records: ZipEntryRecord[], target: UnpackTarget, limits: BundleLimits): Promise<PlannedEntry[]> {
  const planned: PlannedEntry[] = [];
  let declaredTotal = 0;
  for (const record of records) {
    const name = entryName(record);
    const kind = entryKind(record, name);
    if (kind === 'file') {
      checkReadable(record, name);
      declaredTotal += record.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) {
        refuseEntry(name, `the entries up to this one say they unpack to ${declaredTotal} bytes, more than the cap of ${limits.maxTotalBytes} bytes`);
      }
      checkCompressionRatio(name, record.uncompressedSize, record.compressedSize, limits.maxCompressionRatio, 'its sizes say it expands');
    }
    planned.push({ record, name, kind });
  }
  await target.checkRoomFor(declaredTotal);
  return planned;
}

/**
 * The inflated bytes of one entry. A deflate stream must end exactly at the entry's recorded
 * compressed size: bytes after its end would be where a streaming reader looks for the next
 * entry. The ratio is judged against the recorded compressed size as bytes come out, so a
 * lying uncompressed size cannot carry a bomb past it.
 */
async function* inflated(source: Readable, record: ZipEntryRecord, name: string, limits: BundleLimits): AsyncGenerator<Uint8Array> {
  const inflater = createInflateRaw();
  source.on('error', (error) => inflater.destroy(error));
  source.pipe(inflater);
  let produced = 0;
  try {
    for await (const chunk of inflater) {
      const bytes = chunk as Buffer;
      produced += bytes.byteLength;
      checkCompressionRatio(name, produced, record.compressedSize, limits.maxCompressionRatio, 'it expands');
      yield bytes;
    }
  } finally {
    source.destroy();
    inflater.destroy();
  }
  if (inflater.bytesWritten !== record.compressedSize) {
    refuseEntry(name, `its deflate stream ends after ${inflater.bytesWritten} of its ${record.compressedSize} compressed bytes; the rest belongs to no entry`);
  }
}

async function* stored(source: Readable): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield chunk as Buffer;
}

async function* nothing(): AsyncGenerator<Uint8Array> {}

const READ_CHUNK = 256 * 1024;

/**
 * `length` bytes of the open archive from `start`, read by position. (A FileHandle's own read
 * stream closes the handle when destroyed, and the handle must outlive every entry.)
 */
async function* byteRange(handle: FileHandle, start: number, length: number): AsyncGenerator<Buffer> {
  let position = start;
  const end = start + length;
  while (position < end) {
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, end - position));
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position);
    if (bytesRead === 0) throw new BundleError('unreadable', 'The zip archive ends before the data its entries record (it changed or was cut short while being read).');
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

interface ActiveStream {
  stream: Readable | null;
}

function entryContent(handle: FileHandle, record: ZipEntryRecord, name: string, limits: BundleLimits, active: ActiveStream): AsyncIterable<Uint8Array> {
  if (record.compressedSize === 0) {
    if (record.method === DEFLATED) {
      throw new BundleError('unreadable', `The archive is damaged: entry ${displayName(name)} is deflated but has no compressed bytes.`, name);
    }
    return nothing();
  }
  const source = Readable.from(byteRange(handle, record.dataOffset, record.compressedSize), { objectMode: false });
  active.stream = source;
  return record.method === DEFLATED ? inflated(source, record, name, limits) : stored(source);
}

/**
 * Unpacks a zip after checking its whole structure (zip-structure.ts). Everything is read
 * through one open handle, so the bytes checked are the bytes unpacked.
 */
export async function unpackZip(archivePath: string, target: UnpackTarget, limits: BundleLimits, signal: AbortSignal | undefined): Promise<void> {
  const handle = await open(archivePath, 'r');
  const active: ActiveStream = { stream: null };
  const stopListening = whenAborted(signal, () => active.stream?.destroy(abortError()));
  try {
    const records = await readZipStructure(handle, limits.maxEntries);
    throwIfAborted(signal);
    const planned = await planEntries(records, target, limits);
    for (const { record, name, kind } of planned) {
      throwIfAborted(signal);
      target.countEntry(name);
      if (kind === 'directory') {
        await target.addDirectory(name.endsWith('/') ? name : `${name}/`);
        continue;
      }
      await target.addFile(name, entryContent(handle, record, name, limits, active), { size: record.uncompressedSize, crc32: record.crc32 });
      active.stream?.destroy();
      active.stream = null;
    }
  } finally {
    stopListening();
    active.stream?.destroy();
    await handle.close();
  }
}

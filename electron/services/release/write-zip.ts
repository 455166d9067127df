import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { crc32, createDeflateRaw } from 'node:zlib';
import { FILE_MODE, sortedEntries, type BundleEntry } from './bundle-entries';
import { ReleaseInputError } from './release-error';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION_NEEDED = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED;
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const EOCD_SIZE = 22;
/** Without ZIP64 records, sizes and offsets stop just below 4 GiB, and counts at 65,535. */
const MAX_U32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

interface Written {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/**
 * A zip of the entries, the same bytes for the same entries and time, in the plain structure
 * the bundle reader's strict checks expect: each local header followed by its deflated data
 * (sizes and CRC in the header, no data descriptor, no extra fields), then the central
 * directory in the same order, then the end record, no comment. Entries by name, UTF-8 names,
 * mode 0644 (made by Unix), every time `mtime` (DOS time, UTC). ZIP64 is not written: an
 * entry or archive of 4 GiB or more is refused (write a .tar.gz).
 */
export async function writeZip(entries: readonly BundleEntry[], outFile: string, mtime: Date): Promise<void> {
  const sorted = sortedEntries(entries);
  if (sorted.length > MAX_ENTRIES) throw new ReleaseInputError(`a zip bundle holds at most ${MAX_ENTRIES} files without ZIP64; this one has ${sorted.length}: write a .tar.gz`);
  const { time, date } = dosTime(mtime);
  const handle = await open(outFile, 'wx', FILE_MODE);
  try {
    let position = 0;
    const written: Written[] = [];
    for (const entry of sorted) {
      const name = Buffer.from(entry.name, 'utf8');
      const offset = position;
      const header = Buffer.alloc(LOCAL_HEADER_SIZE);
      header.writeUInt32LE(LOCAL_HEADER, 0);
      header.writeUInt16LE(VERSION_NEEDED, 4);
      header.writeUInt16LE(FLAG_UTF8, 6);
      header.writeUInt16LE(METHOD_DEFLATE, 8);
      header.writeUInt16LE(time, 10);
      header.writeUInt16LE(date, 12);
      header.writeUInt16LE(name.length, 26);
      position += await writeAt(handle, header, position);
      position += await writeAt(handle, name, position);
      const data = await deflateInto(handle, entry, position);
      position += data.compressedSize;
      if (data.size > MAX_U32 - 1 || data.compressedSize > MAX_U32 - 1 || position > MAX_U32 - 1) {
        throw new ReleaseInputError(`${entry.name} makes the zip 4 GiB or larger, which needs ZIP64: write a .tar.gz instead`);
      }
      const sizes = Buffer.alloc(12);
      sizes.writeUInt32LE(data.crc, 0);
      sizes.writeUInt32LE(data.compressedSize, 4);
      sizes.writeUInt32LE(data.size, 8);
      await writeAt(handle, sizes, offset + 14);
      written.push({ name, offset, ...data });
    }
    const directoryOffset = position;
    for (const entry of written) {
      const central = Buffer.alloc(CENTRAL_HEADER_SIZE);
      central.writeUInt32LE(CENTRAL_HEADER, 0);
      central.writeUInt16LE(MADE_BY_UNIX, 4);
      central.writeUInt16LE(VERSION_NEEDED, 6);
      central.writeUInt16LE(FLAG_UTF8, 8);
      central.writeUInt16LE(METHOD_DEFLATE, 10);
      central.writeUInt16LE(time, 12);
      central.writeUInt16LE(date, 14);
      central.writeUInt32LE(entry.crc, 16);
      central.writeUInt32LE(entry.compressedSize, 20);
      central.writeUInt32LE(entry.size, 24);
      central.writeUInt16LE(entry.name.length, 28);
      central.writeUInt32LE(((0o100000 | FILE_MODE) << 16) >>> 0, 38);
      central.writeUInt32LE(entry.offset, 42);
      position += await writeAt(handle, central, position);
      position += await writeAt(handle, entry.name, position);
    }
    const end = Buffer.alloc(EOCD_SIZE);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
    end.writeUInt16LE(written.length, 8);
    end.writeUInt16LE(written.length, 10);
    end.writeUInt32LE(position - directoryOffset, 12);
    end.writeUInt32LE(directoryOffset, 16);
    if (position > MAX_U32 - 1) throw new ReleaseInputError('the zip would be 4 GiB or larger, which needs ZIP64: write a .tar.gz instead');
    await writeAt(handle, end, position);
  } finally {
    await handle.close();
  }
}

/** Deflates the entry's bytes into the file at `position`; its CRC-32 and sizes. */
async function deflateInto(handle: FileHandle, entry: BundleEntry, position: number): Promise<{ crc: number; compressedSize: number; size: number }> {
  let crc = 0;
  let size = 0;
  let compressedSize = 0;
  const deflate = createDeflateRaw({ level: 6 });
  const source = 'bytes' in entry.source ? [Buffer.from(entry.source.bytes.buffer, entry.source.bytes.byteOffset, entry.source.bytes.length)] : createReadStream(entry.source.file);
  const feeding = (async () => {
    for await (const chunk of source) {
      const bytes = chunk as Buffer;
      crc = crc32(bytes, crc);
      size += bytes.length;
      if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve));
    }
    deflate.end();
  })();
  // A read that fails must end the deflate stream too, or the loop below would wait for it forever.
  feeding.catch((error: unknown) => deflate.destroy(error instanceof Error ? error : new Error(String(error))));
  for await (const chunk of deflate) {
    compressedSize += await writeAt(handle, chunk as Buffer, position + compressedSize);
  }
  await feeding;
  return { crc, compressedSize, size };
}

async function writeAt(handle: FileHandle, bytes: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
  return bytes.length;
}

/** MS-DOS date and time fields, in UTC so that every machine writes the same bytes; 1980 at the earliest. */
function dosTime(when: Date): { time: number; date: number } {
  const year = Math.max(when.getUTCFullYear(), 1980);
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  const early = when.getUTCFullYear() < 1980;
  return {
    time: early ? 0 : (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2),
    date: early ? (1 << 5) | 1 : ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

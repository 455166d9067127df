import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { BundleError } from './bundle-error';
import { readUpTo } from './read-at';

/*
 * A .tar.gz must be exactly one gzip member and nothing after it. gzip -d, GNU tar and Node's
 * gunzip read on into a second concatenated member (and some tools stop after the first);
 * others ignore or reject appended bytes. Refusing both keeps every reader on the same tar
 * stream, and no writer of bundles (tar czf, gzip, Python, Node) makes either.
 * The member is read by hand around a raw inflater, so where the deflate stream ends is
 * known and the trailer (CRC-32, size) is checked here.
 */

const FLAG_HEADER_CRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const FLAG_RESERVED = 0xe0;
const FIXED_HEADER = 10;
const TRAILER = 8;
/** A gzip header (with its file name and comment) longer than this is refused. */
const MAX_HEADER = 64 * 1024;
const READ_CHUNK = 64 * 1024;

/** A plain Error: the opener reports it as unreadable, naming the file. */
function damaged(message: string): Error {
  return new Error(`the gzip stream is damaged: ${message}`);
}

/** The length of the member header: fixed part, then the optional extra field, name, comment and header CRC. */
function headerLength(head: Buffer): number {
  if (head.byteLength < FIXED_HEADER || head[0] !== 0x1f || head[1] !== 0x8b) throw damaged('it does not start with a gzip header');
  if (head[2] !== 8) throw damaged(`it uses compression method ${String(head[2])}; only deflate exists`);
  const flags = head[3] ?? 0;
  if ((flags & FLAG_RESERVED) !== 0) throw damaged('its header sets reserved flags');
  let offset = FIXED_HEADER;
  const need = (bytes: number): void => {
    if (offset + bytes > head.byteLength) throw damaged(`its header is cut short or longer than ${MAX_HEADER} bytes`);
  };
  if ((flags & FLAG_EXTRA) !== 0) {
    need(2);
    const extraLength = head.readUInt16LE(offset);
    need(2 + extraLength);
    offset += 2 + extraLength;
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if ((flags & flag) === 0) continue;
    const end = head.indexOf(0, offset);
    if (end === -1) need(head.byteLength + 1);
    offset = end + 1;
  }
  if ((flags & FLAG_HEADER_CRC) !== 0) {
    need(2);
    offset += 2;
  }
  return offset;
}

async function* compressedBytes(handle: FileHandle, start: number, end: number, consumed: (bytes: number) => void): AsyncGenerator<Buffer> {
  let position = start;
  while (position < end) {
    const chunk = await readUpTo(handle, position, Math.min(READ_CHUNK, end - position));
    if (chunk.byteLength === 0) break;
    position += chunk.byteLength;
    consumed(chunk.byteLength);
    yield chunk;
  }
}

export interface GzipProgress {
  /** Compressed bytes handed to the inflater so far. */
  compressedBytes: number;
}

/**
 * The decompressed bytes of a file holding one gzip member, checked against its trailer, and
 * refused if anything follows the member. `progress` counts the compressed bytes read, for
 * the compression ratio.
 */
export async function* gunzipSingleMember(handle: FileHandle, progress: GzipProgress): AsyncGenerator<Buffer> {
  const fileSize = (await handle.stat()).size;
  const bodyStart = headerLength(await readUpTo(handle, 0, Math.min(fileSize, MAX_HEADER)));
  const source = Readable.from(compressedBytes(handle, bodyStart, fileSize, (bytes) => { progress.compressedBytes += bytes; }), { objectMode: false });
  const inflater = createInflateRaw();
  source.on('error', (error) => inflater.destroy(error));
  source.pipe(inflater);
  let checksum = 0;
  let size = 0;
  try {
    for await (const chunk of inflater) {
      const bytes = chunk as Buffer;
      checksum = crc32(bytes, checksum);
      size += bytes.byteLength;
      yield bytes;
    }
  } finally {
    source.destroy();
    inflater.destroy();
  }
  const trailerStart = bodyStart + inflater.bytesWritten;
  const trailer = await readUpTo(handle, trailerStart, TRAILER);
  if (trailer.byteLength < TRAILER) throw damaged('it is cut short before its trailer');
  if (trailer.readUInt32LE(0) !== checksum || trailer.readUInt32LE(4) !== size % 2 ** 32) throw damaged('its CRC-32 or size does not match the data');
  const after = fileSize - (trailerStart + TRAILER);
  if (after > 0) {
    throw new BundleError(
      'hostile-input',
      `Refused the gzip stream: ${after} bytes follow its end (a second gzip member or appended data); readers disagree on whether to unpack them, so a .tar.gz must be exactly one gzip member.`,
    );
  }
}

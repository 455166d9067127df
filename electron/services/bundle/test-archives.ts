/**
 * Archive writers for the bundle reader's tests: tar through tar-stream's packer, and zip by
 * hand, so a test can write exactly the bytes a hostile tool would (symlink attributes, lying
 * sizes, encryption flags, odd compression methods, raw name bytes).
 */
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { Header } from 'tar-stream';

export interface TarEntrySpec {
  name: string;
  type?: Header['type'];
  content?: string | Uint8Array;
  linkname?: string;
  /** Extra PAX records; `path` here overrides the name a reader sees. */
  pax?: Record<string, string>;
}

export async function makeTar(entries: TarEntrySpec[], options: { gzip?: boolean } = {}): Promise<Buffer> {
  const packer = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of packer) chunks.push(Buffer.from(chunk as Uint8Array));
  })();
  for (const spec of entries) {
    const content = spec.content ?? '';
    const header = {
      name: spec.name,
      type: spec.type ?? 'file',
      mode: spec.type === 'directory' ? 0o755 : 0o644,
      mtime: new Date(0),
      ...(spec.linkname === undefined ? {} : { linkname: spec.linkname }),
      ...(spec.pax === undefined ? {} : { pax: spec.pax }),
    };
    await new Promise<void>((resolve, reject) => {
      const body = spec.type === undefined || spec.type === 'file' ? content : '';
      packer.entry(header, body, (error) => (error ? reject(error) : resolve()));
    });
  }
  packer.finalize();
  await collected;
  const tar = Buffer.concat(chunks);
  return options.gzip === true ? gzipSync(tar) : tar;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One raw 512-byte tar header block, for what tar-stream's packer will not write (GNU long names). */
export function rawTarHeader(name: string, size: number, typeflag: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0, 'utf8');
  block.write(octal(0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(0, 12), 136);
  block.write(typeflag, 156);
  block.write('ustar  \0', 257, 'latin1');
  block.write('        ', 148);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148);
  return block;
}

function padToBlock(data: Buffer): Buffer {
  const padding = (512 - (data.byteLength % 512)) % 512;
  return Buffer.concat([data, Buffer.alloc(padding)]);
}

/** A GNU tar holding one file whose full name travels in a `././@LongLink` record. */
export function makeGnuLongNameTar(longName: string, content: string): Buffer {
  const nameBytes = Buffer.from(`${longName}\0`, 'utf8');
  const body = Buffer.from(content, 'utf8');
  return Buffer.concat([
    rawTarHeader('././@LongLink', nameBytes.byteLength, 'L'),
    padToBlock(nameBytes),
    rawTarHeader(longName.slice(0, 100), body.byteLength, '0'),
    padToBlock(body),
    Buffer.alloc(1024),
  ]);
}

export interface ZipEntrySpec {
  /** The stored name; a Buffer writes raw bytes (a NUL, an invalid encoding). */
  name: string | Buffer;
  content?: string | Uint8Array;
  method?: 'stored' | 'deflated';
  /** Unix mode in the upper 16 bits; a regular 0644 file by default. */
  externalAttributes?: number;
  /** General purpose flags; UTF-8 names (bit 11) by default. */
  flags?: number;
  /** Overrides the compression method number written in the headers. */
  compressionMethod?: number;
  /** Overrides the uncompressed size written in the headers (a lying archive). */
  declaredSize?: number;
  /** Overrides the CRC-32 written in the headers (a damaged archive). */
  crc32?: number;
  /** A different name in the local header than in the central directory. */
  localName?: string;
  /** Bytes after the deflate stream, counted in the compressed size. */
  trailingCompressed?: Buffer;
  /** An extra-field block written in both the local and the central header. */
  extraFields?: Buffer;
}

const UNIX_REGULAR_FILE = 0o100644;
export const UNIX_SYMLINK = 0o120777;
export const UNIX_FIFO = 0o010644;
export const UNIX_DIRECTORY = 0o040755;

/** One entry's local header with its data, and its central directory record (local offset filled in by assembleZip). */
export interface ZipPart {
  local: Buffer;
  central: Buffer;
}

/** The local records and central records of `entries`, to be laid out by assembleZip. No zip64, no data descriptors. */
export function makeZipParts(entries: ZipEntrySpec[]): ZipPart[] {
  return entries.map((spec) => {
    const name = typeof spec.name === 'string' ? Buffer.from(spec.name, 'utf8') : spec.name;
    const localName = spec.localName === undefined ? name : Buffer.from(spec.localName, 'utf8');
    const content = typeof spec.content === 'string' ? Buffer.from(spec.content, 'utf8') : Buffer.from(spec.content ?? new Uint8Array());
    const deflated = spec.method === 'deflated';
    const data = Buffer.concat([deflated ? deflateRawSync(content) : content, spec.trailingCompressed ?? Buffer.alloc(0)]);
    const method = spec.compressionMethod ?? (deflated ? 8 : 0);
    const flags = spec.flags ?? 0x0800;
    const checksum = spec.crc32 ?? crc32(content);
    const size = spec.declaredSize ?? content.byteLength;
    const attributes = (spec.externalAttributes ?? UNIX_REGULAR_FILE << 16) >>> 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.byteLength, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.byteLength, 26);
    const extra = spec.extraFields ?? Buffer.alloc(0);
    local.writeUInt16LE(extra.byteLength, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix, spec 3.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.byteLength, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt16LE(extra.byteLength, 30);
    central.writeUInt32LE(attributes, 38);
    return { local: Buffer.concat([local, localName, extra, data]), central: Buffer.concat([central, name, extra]) };
  });
}

/** Where assembleZip puts things; by default each part's local record in order, then the directory, then the end record. */
export interface ZipLayout {
  /** What comes before the central directory: a part's local record (by index) or raw bytes. */
  body?: (number | Buffer)[];
  /** The central directory: which part's record, pointing at which body item. Default: every part at its own local record. */
  central?: { part: number; at: number }[];
  /** Bytes between the central directory and the end record. */
  afterCentral?: Buffer;
  comment?: Buffer;
}

/** Lays out zip parts, with room for what a hostile tool would add: junk, unlisted or shared local records, a comment. */
export function assembleZip(parts: ZipPart[], layout: ZipLayout = {}): Buffer {
  const body = layout.body ?? parts.map((_, index) => index);
  const pieces: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const item of body) {
    const bytes = typeof item === 'number' ? parts[item]?.local : item;
    if (bytes === undefined) throw new RangeError(`no zip part ${String(item)}`);
    offsets.push(offset);
    pieces.push(bytes);
    offset += bytes.byteLength;
  }
  const centralOrder = layout.central ?? body.flatMap((item, at) => (typeof item === 'number' ? [{ part: item, at }] : []));
  const centrals = centralOrder.map(({ part, at }) => {
    const record = Buffer.from(parts[part]?.central ?? Buffer.alloc(0));
    record.writeUInt32LE(offsets[at] ?? 0, 42);
    return record;
  });
  const directory = Buffer.concat(centrals);
  const comment = layout.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.byteLength, 20);
  return Buffer.concat([...pieces, directory, layout.afterCentral ?? Buffer.alloc(0), end, comment]);
}

/** An Info-ZIP Unicode path extra field (0x7075) giving `unicodeName` for an entry whose header name is `headerName`. */
export function unicodePathField(headerName: string, unicodeName: string): Buffer {
  const unicode = Buffer.from(unicodeName, 'utf8');
  const field = Buffer.alloc(4 + 5 + unicode.byteLength);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + unicode.byteLength, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc32(Buffer.from(headerName, 'utf8')), 5);
  unicode.copy(field, 9);
  return field;
}

/** A minimal zip writer: local headers, central directory, end record. No zip64, no data descriptors. */
export function makeZip(entries: ZipEntrySpec[]): Buffer {
  return assembleZip(makeZipParts(entries));
}

import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { BundleError } from './bundle-error';
import { displayName } from './entry-path';

/*
 * An independent walk over a tar stream's 512-byte blocks, run on the bytes on their way to
 * tar-stream, so that every reader sees the same entries:
 *
 * - every header is accounted for: each entry's data spans exactly its size (a PAX `size`
 *   record wins over the header, as in every reader), PAX and GNU long-name records belong to
 *   the entry that follows them, at most one of each, and a directory carries no data;
 * - the archive ends with two zero blocks, and nothing but zero bytes follows them. tar-stream
 *   reads on past zero blocks while GNU tar stops at them, so anything after them would be
 *   unpacked by one and not the other;
 * - tar-stream must report each entry at the offset and size this walk found (see
 *   takeEntry), and no entry may be left over: a block tar-stream reads as empty but is not
 *   all zeros is caught that way.
 */

const BLOCK = 512;
/** A PAX or GNU long-name record longer than this is refused (tar-stream's own limit is 4 MiB). */
const MAX_META_BYTES = 1024 * 1024;

export interface TarEntryLayout {
  /** Offset of the entry's data: just after its header block. */
  dataOffset: number;
  /** Bytes of data. */
  size: number;
}

type Mode = 'header' | 'data' | 'meta' | 'second-end-block' | 'after-end';

function structureError(message: string): BundleError {
  return new BundleError('hostile-input', `Refused the tar archive: ${message}.`);
}

function headerName(block: Buffer): string {
  const end = block.indexOf(0, 0);
  return block.subarray(0, end === -1 || end > 100 ? 100 : end).toString('utf8');
}

/** The size field: octal digits (leading spaces allowed, ended by NUL or space), or GNU base-256. */
function parseSize(block: Buffer, name: string): number {
  const field = block.subarray(124, 136);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    if (field[0] !== 0x80) throw structureError(`the header of ${displayName(name)} has a negative or oversized size`);
    let value = 0n;
    for (const byte of field.subarray(1)) value = (value << 8n) | BigInt(byte);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw structureError(`the header of ${displayName(name)} has an oversized size`);
    return Number(value);
  }
  const match = /^ *([0-7]*)[ \0]*$/.exec(field.toString('latin1'));
  if (match === null) throw structureError(`the header of ${displayName(name)} has a malformed size field`);
  return match[1] === '' || match[1] === undefined ? 0 : Number.parseInt(match[1], 8);
}

/** The header checksum: the sum of its bytes, with the checksum field itself counted as spaces. */
function validChecksum(block: Buffer): boolean {
  const match = /^ *([0-7]{1,7})[ \0]*$/.exec(block.subarray(148, 156).toString('latin1'));
  if (match?.[1] === undefined) return false;
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
  return sum === Number.parseInt(match[1], 8);
}

/** The records of a PAX header: `<length> <key>=<value>\n`, each length counting the whole record. */
function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.byteLength) {
    const space = data.indexOf(0x20, offset);
    const length = space === -1 ? Number.NaN : Number(data.subarray(offset, space).toString('latin1'));
    if (!Number.isSafeInteger(length) || length <= 0 || offset + length > data.byteLength || data[offset + length - 1] !== 0x0a) {
      // Some writers pad the record area with NULs.
      if (data.subarray(offset).every((byte) => byte === 0)) break;
      throw structureError('a PAX header record is malformed');
    }
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals <= 0) throw structureError('a PAX header record has no key');
    // A repeated key: the later record wins, in every reader (POSIX says so).
    records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

/** What meta records (PAX, GNU long names) have said about the entry that follows them. */
interface PendingMeta {
  pax: boolean;
  gnuLongName: boolean;
  gnuLongLink: boolean;
  paxPath: boolean;
  paxSize: number | null;
}

const NO_META: PendingMeta = { pax: false, gnuLongName: false, gnuLongLink: false, paxPath: false, paxSize: null };

const META_TYPES = new Set(['x', 'g', 'L', 'K']);

export class TarStructure extends Transform {
  private readonly entries: TarEntryLayout[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private position = 0;
  private mode: Mode = 'header';
  private remaining = 0;
  private metaType = '';
  private metaChunks: Buffer[] = [];
  private metaSize = 0;
  private meta: PendingMeta = NO_META;

  /** The next entry this walk found, for checking against what tar-stream reports. */
  takeEntry(): TarEntryLayout | undefined {
    return this.entries.shift();
  }

  get leftOverEntries(): number {
    return this.entries.length;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.walk(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.mode === 'after-end') {
      callback();
      return;
    }
    const what = this.mode === 'second-end-block' ? 'with a single zero block' : this.mode === 'header' && this.pending.byteLength === 0 ? 'without its two end-of-archive zero blocks' : 'in the middle of an entry';
    callback(new Error(`the tar archive ends ${what} (cut short?)`));
  }

  private walk(chunk: Buffer): void {
    let data = this.pending.byteLength === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    while (data.byteLength > 0) {
      if (this.mode === 'after-end') {
        if (data.some((byte) => byte !== 0)) {
          const at = this.position + data.findIndex((byte) => byte !== 0);
          throw structureError(`it has data at byte ${at}, after its end-of-archive blocks; only zero padding may follow them, as other readers would stop there or read on`);
        }
        this.position += data.byteLength;
        return;
      }
      if (this.mode === 'data' || this.mode === 'meta') {
        const take = Math.min(this.remaining, data.byteLength);
        if (this.mode === 'meta') this.metaChunks.push(data.subarray(0, take));
        this.remaining -= take;
        this.position += take;
        data = data.subarray(take);
        if (this.remaining === 0) this.endOfData();
        continue;
      }
      if (data.byteLength < BLOCK) {
        this.pending = Buffer.from(data);
        return;
      }
      const block = data.subarray(0, BLOCK);
      data = data.subarray(BLOCK);
      this.position += BLOCK;
      this.readBlock(block);
    }
  }

  private readBlock(block: Buffer): void {
    const zero = block.every((byte) => byte === 0);
    if (this.mode === 'second-end-block') {
      if (!zero) throw structureError(`a lone zero block at byte ${this.position - 2 * BLOCK} is followed by more headers; GNU tar stops there while other readers go on`);
      this.mode = 'after-end';
      return;
    }
    if (zero) {
      if (this.meta !== NO_META) throw structureError('a PAX or GNU long-name record is followed by the end of the archive instead of an entry');
      this.mode = 'second-end-block';
      return;
    }
    this.readHeader(block);
  }

  private readHeader(block: Buffer): void {
    if (!validChecksum(block)) {
      // A plain Error: the opener reports it as unreadable, naming the file.
      throw new Error(`the block at byte ${this.position - BLOCK} is not a valid tar header (the archive is damaged, or not a tar archive)`);
    }
    const name = headerName(block);
    const type = String.fromCharCode(block[156] ?? 0);
    const headerSize = parseSize(block, name);
    if (META_TYPES.has(type)) {
      if (headerSize > MAX_META_BYTES) throw structureError(`a PAX or GNU long-name record of ${headerSize} bytes is larger than the ${MAX_META_BYTES} allowed`);
      this.metaType = type;
      this.metaChunks = [];
      this.startData(headerSize, 'meta');
      return;
    }
    const size = this.meta.paxSize ?? headerSize;
    this.meta = NO_META;
    if (type === '5' && size !== 0) throw structureError(`the directory ${displayName(name)} carries ${size} bytes of data`);
    // tar-stream skips no data for a directory; with a zero size every reader agrees.
    this.entries.push({ dataOffset: this.position, size });
    this.startData(size, 'data');
  }

  private startData(size: number, mode: 'data' | 'meta'): void {
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    this.remaining = padded;
    this.mode = mode;
    this.metaSize = size;
    if (padded === 0) this.endOfData();
  }

  private endOfData(): void {
    if (this.mode === 'meta') this.applyMeta(Buffer.concat(this.metaChunks).subarray(0, this.metaSize));
    this.mode = 'header';
  }

  private applyMeta(data: Buffer): void {
    const meta = { ...this.meta };
    const repeated = (what: string): never => {
      throw structureError(`an entry has more than one ${what}, and readers differ on which one wins`);
    };
    if (this.metaType === 'g') {
      const records = parsePax(data);
      for (const key of ['path', 'linkpath', 'size']) {
        if (records.has(key)) throw structureError(`a global PAX header sets ${JSON.stringify(key)}, which readers apply differently`);
      }
      return;
    }
    if (this.metaType === 'x') {
      if (meta.pax) repeated('PAX header');
      const records = parsePax(data);
      meta.pax = true;
      meta.paxPath = records.has('path');
      const size = records.get('size');
      if (size !== undefined) {
        if (!/^[0-9]{1,15}$/.test(size)) throw structureError(`a PAX header has a malformed size ${JSON.stringify(size)}`);
        meta.paxSize = Number(size);
      }
    } else if (this.metaType === 'L') {
      if (meta.gnuLongName) repeated('GNU long name');
      meta.gnuLongName = true;
    } else {
      if (meta.gnuLongLink) repeated('GNU long link name');
      meta.gnuLongLink = true;
    }
    if (meta.gnuLongName && meta.paxPath) repeated('long name (a GNU long name and a PAX path)');
    this.meta = meta;
  }
}

import type { FileHandle } from 'node:fs/promises';
import { BundleError } from './bundle-error';
import { displayName, refuseEntry } from './entry-path';
import { readUpTo } from './read-at';

/*
 * A strict reading of a zip's structure, so that every conforming reader sees the entries
 * Countersign verified. Central-directory readers (unzip, Python, yauzl) trust the central
 * directory; streaming readers (Java's ZipInputStream, many "unzip from a pipe" tools) walk
 * the local headers from the first byte. A zip is accepted only when both walks agree:
 *
 * - the end-of-central-directory record (EOCD) is the last thing in the file, its comment
 *   length reaching exactly to the end, and no second EOCD signature hides in the comment;
 * - the central directory (then the ZIP64 end record and locator, if any) ends exactly where
 *   the EOCD begins;
 * - the local entries start at byte 0 and follow one another with no gap, in central-directory
 *   order, each with its data (and data descriptor, flag bit 3) and nothing else, up to the
 *   central directory: no junk, no unlisted entry, no two entries sharing bytes;
 * - each local header agrees with its central entry on name, flags, method, CRC-32 and sizes
 *   (a data-descriptor entry may leave them zero locally; its descriptor must agree instead).
 *
 * That a deflate stream ends exactly at its entry's compressed size is checked while
 * inflating (read-zip.ts): a streaming reader resumes at the stream's end.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const DATA_DESCRIPTOR = 0x08074b50;

const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_MIN_SIZE = 56;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const MAX_COMMENT = 0xffff;

const ZIP64_EXTRA = 0x0001;
const UNICODE_PATH_EXTRA = 0x7075;
const U16_MARKER = 0xffff;
const U32_MARKER = 0xffffffff;

export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;

/** A central directory larger than this is refused rather than read into memory. */
const MAX_CENTRAL_DIRECTORY_BYTES = 256 * 1024 * 1024;
/** Enough for a local header with a typical name and extra fields in one read. */
const LOCAL_READ_AHEAD = 1024;

export interface ExtraField {
  id: number;
  data: Buffer;
}

/** One entry, as the central directory and its local header agree it is. */
export interface ZipEntryRecord {
  rawName: Buffer;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  externalAttributes: number;
  extraFields: ExtraField[];
  /** Where the entry's compressed bytes begin. */
  dataOffset: number;
}

interface CentralEntry extends ZipEntryRecord {
  /** For messages: the raw name decoded leniently. */
  label: string;
  localHeaderOffset: number;
  unicodePath: Buffer | null;
}

/** A plain Error: the opener reports it as unreadable, naming the file. */
function unreadable(message: string): Error {
  return new Error(`the zip archive is damaged or not a zip: ${message}`);
}

function hostile(message: string): BundleError {
  return new BundleError('hostile-input', `Refused the zip archive: ${message}.`);
}

async function readAt(handle: FileHandle, offset: number, length: number, what: string): Promise<Buffer> {
  const buffer = await readUpTo(handle, offset, length);
  if (buffer.byteLength < length) throw unreadable(`${what} runs past the end of the file`);
  return buffer;
}

function readU64(buffer: Buffer, offset: number, what: string): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw unreadable(`${what} is larger than any file`);
  return Number(value);
}

/** Parses an extra-field block; a field running past the block, or a repeated ZIP64 or Unicode path field, is refused. */
function parseExtraFields(block: Buffer, label: string): ExtraField[] {
  const fields: ExtraField[] = [];
  const seen = new Set<number>();
  let offset = 0;
  // Some writers (zipalign) pad the local extra block with up to three zero bytes.
  while (offset + 4 <= block.byteLength) {
    const id = block.readUInt16LE(offset);
    const length = block.readUInt16LE(offset + 2);
    const end = offset + 4 + length;
    if (end > block.byteLength) refuseEntry(label, `an extra field (0x${id.toString(16).padStart(4, '0')}) runs past the end of its header`);
    if ((id === ZIP64_EXTRA || id === UNICODE_PATH_EXTRA) && seen.has(id)) {
      refuseEntry(label, `its header repeats the 0x${id.toString(16).padStart(4, '0')} extra field, which readers resolve differently`);
    }
    seen.add(id);
    fields.push({ id, data: block.subarray(offset + 4, end) });
    offset = end;
  }
  if (block.subarray(offset).some((byte) => byte !== 0)) refuseEntry(label, 'its extra fields end in bytes that are no field');
  return fields;
}

function fieldData(fields: ExtraField[], id: number): Buffer | null {
  return fields.find((field) => field.id === id)?.data ?? null;
}

interface EndRecord {
  entryCount: number;
  centralDirectoryOffset: number;
  centralDirectorySize: number;
  /** Where the central directory must end: the ZIP64 end record, or the EOCD. */
  centralDirectoryEnd: number;
}

const EOCD_SIGNATURE_BYTES = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** True when an EOCD at `index` is whole and its comment reaches exactly to the end of `tail`. */
function endsTail(tail: Buffer, index: number): boolean {
  return index + EOCD_SIZE <= tail.byteLength && index + EOCD_SIZE + tail.readUInt16LE(index + 20) === tail.byteLength;
}

/** The last EOCD signature at or before `from` that would be a valid record. */
function findValidEnd(tail: Buffer, from: number): number | null {
  for (let index = tail.lastIndexOf(EOCD_SIGNATURE_BYTES, from); index >= 0; index = tail.lastIndexOf(EOCD_SIGNATURE_BYTES, index - 1)) {
    if (endsTail(tail, index)) return index;
    if (index === 0) break;
  }
  return null;
}

/** Finds the one EOCD whose comment reaches exactly to the end of the file. */
async function readEndRecord(handle: FileHandle, fileSize: number): Promise<EndRecord> {
  if (fileSize < EOCD_SIZE) throw unreadable('the file is too short to hold an end-of-central-directory record');
  const tailStart = Math.max(0, fileSize - EOCD_SIZE - MAX_COMMENT);
  const tail = await readAt(handle, tailStart, fileSize - tailStart, 'the end of the archive');
  // The signature nearest the end must be the record: one hiding in the comment would be
  // taken by readers that scan for the last signature (Python) while others check the comment
  // length, and the two would read different central directories.
  const found = tail.lastIndexOf(EOCD_SIGNATURE_BYTES);
  if (found === -1 || !endsTail(tail, found)) {
    if (found !== -1 && findValidEnd(tail, found - 1) !== null) {
      throw hostile('an end-of-central-directory signature hides in its comment, so readers would disagree about which record ends the archive');
    }
    throw unreadable('it has no end-of-central-directory record ending exactly at the end of the file (a truncated zip, or data appended after it)');
  }
  const eocd = tail.subarray(found, found + EOCD_SIZE);
  const eocdOffset = tailStart + found;
  const diskNumber = eocd.readUInt16LE(4);
  const directoryDisk = eocd.readUInt16LE(6);
  const entriesOnDisk = eocd.readUInt16LE(8);
  let entryCount = eocd.readUInt16LE(10);
  let centralDirectorySize = eocd.readUInt32LE(12);
  let centralDirectoryOffset = eocd.readUInt32LE(16);
  let centralDirectoryEnd = eocdOffset;

  const hasLocator = eocdOffset >= ZIP64_LOCATOR_SIZE && (await readAt(handle, eocdOffset - ZIP64_LOCATOR_SIZE, 4, 'the ZIP64 locator')).readUInt32LE(0) === ZIP64_LOCATOR;
  if (hasLocator) {
    const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE;
    const locator = await readAt(handle, locatorOffset, ZIP64_LOCATOR_SIZE, 'the ZIP64 locator');
    if (locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) !== 1) throw unreadable('it spans several disks, which is not supported');
    const recordOffset = readU64(locator, 8, 'the ZIP64 end record offset');
    if (recordOffset + ZIP64_EOCD_MIN_SIZE > locatorOffset) throw unreadable('its ZIP64 end record lies outside the archive');
    const record = await readAt(handle, recordOffset, ZIP64_EOCD_MIN_SIZE, 'the ZIP64 end record');
    if (record.readUInt32LE(0) !== ZIP64_END_OF_CENTRAL_DIRECTORY) throw unreadable('its ZIP64 locator does not point at a ZIP64 end record');
    const recordEnd = recordOffset + 12 + readU64(record, 4, 'the ZIP64 end record size');
    if (recordEnd !== locatorOffset) {
      throw hostile(`its ZIP64 end record ends at byte ${recordEnd} but the ZIP64 locator begins at byte ${locatorOffset}; bytes between them belong to nothing`);
    }
    if (record.readUInt32LE(16) !== 0 || record.readUInt32LE(20) !== 0) throw unreadable('it spans several disks, which is not supported');
    const zip64EntriesOnDisk = readU64(record, 24, 'the entry count');
    const zip64EntryCount = readU64(record, 32, 'the entry count');
    const zip64Size = readU64(record, 40, 'the central directory size');
    const zip64Offset = readU64(record, 48, 'the central directory offset');
    const agrees = (value: number, zip64: number, marker: number): boolean => value === marker || value === zip64;
    if (
      zip64EntriesOnDisk !== zip64EntryCount ||
      !agrees(entriesOnDisk, zip64EntriesOnDisk, U16_MARKER) ||
      !agrees(entryCount, zip64EntryCount, U16_MARKER) ||
      !agrees(centralDirectorySize, zip64Size, U32_MARKER) ||
      !agrees(centralDirectoryOffset, zip64Offset, U32_MARKER)
    ) {
      throw hostile('its end-of-central-directory record and its ZIP64 end record disagree about the central directory');
    }
    entryCount = zip64EntryCount;
    centralDirectorySize = zip64Size;
    centralDirectoryOffset = zip64Offset;
    centralDirectoryEnd = recordOffset;
  } else {
    if (diskNumber !== 0 || directoryDisk !== 0) throw unreadable('it spans several disks, which is not supported');
    if (entryCount === U16_MARKER || centralDirectorySize === U32_MARKER || centralDirectoryOffset === U32_MARKER) {
      throw hostile('its end-of-central-directory record says ZIP64 but no ZIP64 locator precedes it');
    }
    if (entriesOnDisk !== entryCount) throw unreadable('it spans several disks, which is not supported');
  }

  const directoryEnd = centralDirectoryOffset + centralDirectorySize;
  if (directoryEnd !== centralDirectoryEnd) {
    const how =
      directoryEnd < centralDirectoryEnd
        ? `leaving ${centralDirectoryEnd - directoryEnd} bytes that belong to nothing`
        : 'overlapping it';
    throw hostile(`its central directory ends at byte ${directoryEnd} but the end record that describes it begins at byte ${centralDirectoryEnd}, ${how}`);
  }
  return { entryCount, centralDirectoryOffset, centralDirectorySize, centralDirectoryEnd };
}

/** Resolves the sizes and offset a ZIP64 extra field stands in for (only the fields marked 0xFFFFFFFF, in spec order). */
function resolveCentralZip64(entry: CentralEntry, diskStart: number): void {
  const needsSizes = entry.uncompressedSize === U32_MARKER || entry.compressedSize === U32_MARKER;
  const needed = [entry.uncompressedSize === U32_MARKER, entry.compressedSize === U32_MARKER, entry.localHeaderOffset === U32_MARKER];
  if (!needsSizes && !needed[2] && diskStart !== U16_MARKER) return;
  const data = fieldData(entry.extraFields, ZIP64_EXTRA);
  if (data === null) refuseEntry(entry.label, 'its central header marks a size or offset as ZIP64 but has no ZIP64 extra field');
  let offset = 0;
  const next = (): number => {
    if (offset + 8 > data.byteLength) refuseEntry(entry.label, 'its ZIP64 extra field is too short for the values it stands in for');
    const value = readU64(data, offset, `the ZIP64 field of ${displayName(entry.label)}`);
    offset += 8;
    return value;
  };
  if (needed[0] === true) entry.uncompressedSize = next();
  if (needed[1] === true) entry.compressedSize = next();
  if (needed[2] === true) entry.localHeaderOffset = next();
  if (diskStart === U16_MARKER) {
    if (offset + 4 > data.byteLength || data.readUInt32LE(offset) !== 0) refuseEntry(entry.label, 'it lives on another disk of a multi-disk archive');
  }
}

function parseCentralDirectory(directory: Buffer, entryCount: number): CentralEntry[] {
  const entries: CentralEntry[] = [];
  let offset = 0;
  while (entries.length < entryCount) {
    if (offset + CENTRAL_HEADER_SIZE > directory.byteLength || directory.readUInt32LE(offset) !== CENTRAL_HEADER) {
      throw unreadable(`the central directory holds fewer entries (${entries.length}) than the end record says (${entryCount})`);
    }
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const nameStart = offset + CENTRAL_HEADER_SIZE;
    const end = nameStart + nameLength + extraLength + commentLength;
    if (end > directory.byteLength) throw unreadable('a central directory entry runs past the end of the central directory');
    const rawName = directory.subarray(nameStart, nameStart + nameLength);
    const label = rawName.toString('utf8');
    const extraFields = parseExtraFields(directory.subarray(nameStart + nameLength, nameStart + nameLength + extraLength), label);
    const entry: CentralEntry = {
      rawName,
      label,
      flags: directory.readUInt16LE(offset + 8),
      method: directory.readUInt16LE(offset + 10),
      crc32: directory.readUInt32LE(offset + 16),
      compressedSize: directory.readUInt32LE(offset + 20),
      uncompressedSize: directory.readUInt32LE(offset + 24),
      externalAttributes: directory.readUInt32LE(offset + 38),
      localHeaderOffset: directory.readUInt32LE(offset + 42),
      extraFields,
      unicodePath: fieldData(extraFields, UNICODE_PATH_EXTRA),
      dataOffset: 0,
    };
    const diskStart = directory.readUInt16LE(offset + 34);
    if (diskStart !== 0 && diskStart !== U16_MARKER) refuseEntry(label, 'it lives on another disk of a multi-disk archive');
    resolveCentralZip64(entry, diskStart);
    entries.push(entry);
    offset = end;
  }
  if (offset !== directory.byteLength) {
    throw hostile(`its central directory has ${directory.byteLength - offset} bytes after its ${entryCount} entries that belong to no entry`);
  }
  return entries;
}

const DESCRIPTOR_LENGTHS = new Set([12, 16, 20, 24]);

/**
 * Checks the data descriptor that fills the `length` bytes after an entry's data: with or
 * without its signature, with 4- or 8-byte sizes (8 only for a ZIP64 entry).
 */
async function checkDataDescriptor(handle: FileHandle, entry: CentralEntry, at: number, length: number, zip64: boolean): Promise<void> {
  if (!DESCRIPTOR_LENGTHS.has(length)) {
    refuseEntry(entry.label, `${length} bytes follow its data where its data descriptor should be, which no descriptor fills; they belong to no entry`);
  }
  const descriptor = await readAt(handle, at, length, 'a data descriptor');
  const signed = length === 16 || length === 24;
  const wide = length === 20 || length === 24;
  if (signed && descriptor.readUInt32LE(0) !== DATA_DESCRIPTOR) refuseEntry(entry.label, 'the bytes after its data are not the data descriptor its flags announce');
  if (wide && !zip64) refuseEntry(entry.label, 'its data descriptor has ZIP64 sizes but its local header has no ZIP64 field');
  const base = signed ? 4 : 0;
  const crc = descriptor.readUInt32LE(base);
  const compressed = wide ? readU64(descriptor, base + 4, 'a descriptor size') : descriptor.readUInt32LE(base + 4);
  const uncompressed = wide ? readU64(descriptor, base + 12, 'a descriptor size') : descriptor.readUInt32LE(base + 8);
  if (crc !== entry.crc32 || compressed !== entry.compressedSize || uncompressed !== entry.uncompressedSize) {
    refuseEntry(entry.label, 'its data descriptor gives a different CRC-32 or size than the central directory');
  }
}

interface LocalHeader {
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  zip64: boolean;
  unicodePath: Buffer | null;
  dataOffset: number;
}

async function readLocalHeader(handle: FileHandle, entry: CentralEntry, fileEnd: number): Promise<LocalHeader> {
  const offset = entry.localHeaderOffset;
  const guess = Math.min(LOCAL_HEADER_SIZE + entry.rawName.byteLength + LOCAL_READ_AHEAD, fileEnd - offset);
  if (guess < LOCAL_HEADER_SIZE) refuseEntry(entry.label, 'its local header lies outside the archive');
  let head = await readAt(handle, offset, guess, 'a local header');
  if (head.readUInt32LE(0) !== LOCAL_HEADER) refuseEntry(entry.label, `the central directory points at byte ${offset}, where no local header begins`);
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  const headerLength = LOCAL_HEADER_SIZE + nameLength + extraLength;
  if (headerLength > head.byteLength) head = await readAt(handle, offset, headerLength, 'a local header');
  const localName = head.subarray(LOCAL_HEADER_SIZE, LOCAL_HEADER_SIZE + nameLength);
  if (!localName.equals(entry.rawName)) {
    refuseEntry(entry.label, `its local header names it ${displayName(localName.toString('utf8'))}; a streaming reader would unpack it under that name`);
  }
  const extraFields = parseExtraFields(head.subarray(LOCAL_HEADER_SIZE + nameLength, headerLength), entry.label);
  let compressedSize = head.readUInt32LE(18);
  let uncompressedSize = head.readUInt32LE(22);
  const zip64Field = fieldData(extraFields, ZIP64_EXTRA);
  if (uncompressedSize === U32_MARKER || compressedSize === U32_MARKER) {
    if (zip64Field === null) refuseEntry(entry.label, 'its local header marks its sizes as ZIP64 but has no ZIP64 extra field');
    // The local ZIP64 field holds both sizes (APPNOTE 4.5.3); accept the one-size form some writers use too.
    if (zip64Field.byteLength >= 16) {
      uncompressedSize = readU64(zip64Field, 0, 'a ZIP64 size');
      compressedSize = readU64(zip64Field, 8, 'a ZIP64 size');
    } else if (zip64Field.byteLength >= 8) {
      if (uncompressedSize === U32_MARKER) uncompressedSize = readU64(zip64Field, 0, 'a ZIP64 size');
      else compressedSize = readU64(zip64Field, 0, 'a ZIP64 size');
    } else {
      refuseEntry(entry.label, 'its local ZIP64 extra field is too short');
    }
  }
  return {
    flags: head.readUInt16LE(6),
    method: head.readUInt16LE(8),
    crc32: head.readUInt32LE(14),
    compressedSize,
    uncompressedSize,
    zip64: zip64Field !== null,
    unicodePath: fieldData(extraFields, UNICODE_PATH_EXTRA),
    dataOffset: offset + headerLength,
  };
}

function checkLocalAgrees(entry: CentralEntry, local: LocalHeader): void {
  const differs = (what: string): never => refuseEntry(entry.label, `its local header gives a different ${what} than the central directory; readers would disagree about it`);
  if (local.flags !== entry.flags) differs('set of flags');
  if (local.method !== entry.method) differs('compression method');
  const deferred = (entry.flags & FLAG_DATA_DESCRIPTOR) !== 0;
  const matches = (localValue: number, centralValue: number): boolean => localValue === centralValue || (deferred && localValue === 0);
  if (!matches(local.crc32, entry.crc32)) differs('CRC-32');
  if (!matches(local.compressedSize, entry.compressedSize)) differs('compressed size');
  if (!matches(local.uncompressedSize, entry.uncompressedSize)) differs('size');
  const localUnicode = local.unicodePath;
  const centralUnicode = entry.unicodePath;
  if ((localUnicode === null) !== (centralUnicode === null) || (localUnicode !== null && centralUnicode !== null && !localUnicode.equals(centralUnicode))) {
    differs('Unicode path field');
  }
}

/**
 * Reads and checks the whole structure of a zip before a byte is unpacked. Returns its
 * entries in archive order; throws a BundleError naming the problem (and the entry, when
 * there is one) for anything that would let two readers see different contents.
 */
export async function readZipStructure(handle: FileHandle, maxEntries: number): Promise<ZipEntryRecord[]> {
  const fileSize = (await handle.stat()).size;
  const end = await readEndRecord(handle, fileSize);
  if (end.entryCount > maxEntries) {
    throw new BundleError('hostile-input', `The bundle has ${end.entryCount} entries, more than the cap of ${maxEntries}.`);
  }
  if (end.centralDirectorySize > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw hostile(`its central directory is ${end.centralDirectorySize} bytes, more than the ${MAX_CENTRAL_DIRECTORY_BYTES} this reader accepts`);
  }
  const directory = await readAt(handle, end.centralDirectoryOffset, end.centralDirectorySize, 'the central directory');
  const entries = parseCentralDirectory(directory, end.entryCount);

  // Each entry must end where the next begins (checked below), so only the first one's start is left.
  const first = entries[0];
  if (first !== undefined && first.localHeaderOffset !== 0) {
    refuseEntry(first.label, `the ${first.localHeaderOffset} bytes before the first entry belong to no entry (junk, or an entry hidden from the central directory)`);
  }
  for (const [index, entry] of entries.entries()) {
    const local = await readLocalHeader(handle, entry, end.centralDirectoryOffset);
    checkLocalAgrees(entry, local);
    entry.dataOffset = local.dataOffset;
    const dataEnd = local.dataOffset + entry.compressedSize;
    const nextStart = entries[index + 1]?.localHeaderOffset ?? end.centralDirectoryOffset;
    if (dataEnd > nextStart) {
      const next = entries[index + 1];
      if (next === undefined) refuseEntry(entry.label, 'its data runs into the central directory');
      refuseEntry(next.label, `it begins at byte ${nextStart}, inside the data of the entry before it (which ends at byte ${dataEnd}); entries must not overlap`);
    }
    if ((entry.flags & FLAG_DATA_DESCRIPTOR) !== 0) {
      await checkDataDescriptor(handle, entry, dataEnd, nextStart - dataEnd, local.zip64);
    } else if (nextStart > dataEnd) {
      const what = index + 1 < entries.length ? 'the next entry' : 'the central directory';
      refuseEntry(entry.label, `${nextStart - dataEnd} bytes between its data and ${what} belong to no entry (junk, or an entry hidden from the central directory)`);
    }
  }
  if (entries.length === 0 && end.centralDirectoryOffset !== 0) {
    throw hostile(`${end.centralDirectoryOffset} bytes before its central directory belong to no entry`);
  }
  return entries.map(({ rawName, flags, method, crc32, compressedSize, uncompressedSize, externalAttributes, extraFields, dataOffset }) => ({
    rawName,
    flags,
    method,
    crc32,
    compressedSize,
    uncompressedSize,
    externalAttributes,
    extraFields,
    dataOffset,
  }));
}

import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { abortError, whenAborted } from './abort';
import { BundleError } from './bundle-error';
import { checkCompressionRatio } from './compression-ratio';
import { refuseEntry } from './entry-path';
import { gunzipSingleMember } from './gzip-member';
import type { GzipProgress } from './gzip-member';
import type { BundleLimits } from './limits';
import { TarStructure } from './tar-structure';
import type { UnpackTarget } from './unpack-target';

/*
 * A gzip stream can expand without end into empty tar headers that create no entry, so the
 * decompressed stream as a whole is capped too: the content cap, plus room for each allowed
 * entry's headers (a PAX or GNU long-name header, the ustar header, padding) and the
 * end-of-archive blocks.
 */
const HEADER_ALLOWANCE_PER_ENTRY = 16 * 1024;
const FIXED_ALLOWANCE = 1024 * 1024;
const READ_CHUNK = 256 * 1024;

/** The tar stream's name for the entry being unpacked, for naming it in a ratio refusal. */
interface CurrentEntry {
  name: string | null;
}

/**
 * Counts the decompressed bytes against the cap and, for the compression ratio, against the
 * compressed bytes read so far. The ratio is the archive's so far, not one entry's: entries
 * share one deflate stream, so no entry has compressed bytes of its own.
 */
function checkedExpansion(limits: BundleLimits, progress: GzipProgress, current: CurrentEntry): Transform {
  const maxBytes = limits.maxTotalBytes + limits.maxEntries * HEADER_ALLOWANCE_PER_ENTRY + FIXED_ALLOWANCE;
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.byteLength;
      try {
        if (seen > maxBytes) throw new BundleError('hostile-input', `The compressed archive unpacks to more than ${maxBytes} bytes, past what the caps allow.`);
        const what = current.name === null ? 'expands' : 'the archive up to this entry expands';
        checkCompressionRatio(current.name, seen, progress.compressedBytes, limits.maxCompressionRatio, what);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback(null, chunk);
    },
  });
}

async function* plainBytes(handle: FileHandle): AsyncGenerator<Buffer> {
  let position = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

async function* bytesOf(entry: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of entry) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('tar-stream yielded a chunk that is not bytes');
    yield chunk;
  }
}

function refuseSpecialEntry(header: Header): never {
  switch (header.type) {
    case 'symlink':
      return refuseEntry(header.name, `it is a symbolic link (to ${JSON.stringify(header.linkname)}); a bundle holds regular files only`);
    case 'link':
      return refuseEntry(header.name, `it is a hard link (to ${JSON.stringify(header.linkname)}); a bundle holds regular files only`);
    case 'character-device':
    case 'block-device':
      return refuseEntry(header.name, 'it is a device file; a bundle holds regular files only');
    case 'fifo':
      return refuseEntry(header.name, 'it is a FIFO (named pipe); a bundle holds regular files only');
    default:
      return refuseEntry(header.name, 'its tar entry type is not a regular file or directory');
  }
}

/** tar-stream must see each entry where the structure walk found it; otherwise the two read different archives. */
function checkLayout(header: Header, structure: TarStructure): void {
  const layout = structure.takeEntry();
  const dataOffset = (header as Header & { byteOffset?: number }).byteOffset;
  if (layout === undefined || layout.dataOffset !== dataOffset || layout.size !== header.size) {
    refuseEntry(header.name, 'its header does not add up: the archive reads differently depending on the reader');
  }
}

/**
 * Streams a tar (optionally gzip-compressed) archive into the target. tar-stream applies GNU
 * long names and PAX `path` records before an entry reaches us, so the name checked is the
 * name that would be used. Every block is also walked by TarStructure, and a .tar.gz must be
 * one gzip member with nothing after it (gzip-member.ts).
 */
export async function unpackTar(
  archivePath: string,
  gzipped: boolean,
  target: UnpackTarget,
  limits: BundleLimits,
  signal: AbortSignal | undefined,
): Promise<void> {
  const handle = await open(archivePath, 'r');
  const extractor = tarExtract();
  const structure = new TarStructure();
  const current: CurrentEntry = { name: null };
  const fail = (error: unknown): void => {
    extractor.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  const progress: GzipProgress = { compressedBytes: 0 };
  const source = Readable.from(gzipped ? gunzipSingleMember(handle, progress) : plainBytes(handle), { objectMode: false });
  const stages: (Readable | Transform)[] = [source, structure];
  source.on('error', fail);
  structure.on('error', fail);
  let upstream: Readable = source;
  if (gzipped) {
    const expansion = checkedExpansion(limits, progress, current);
    expansion.on('error', fail);
    upstream = upstream.pipe(expansion);
    stages.push(expansion);
  }
  upstream.pipe(structure).pipe(extractor);
  const stopListening = whenAborted(signal, () => fail(abortError()));

  try {
    for await (const entry of extractor) {
      const { header } = entry;
      current.name = header.name;
      target.countEntry(header.name);
      checkLayout(header, structure);
      if (header.type === 'directory') {
        entry.resume();
        await target.addDirectory(header.name);
      } else if (header.type === 'file' || header.type === 'contiguous-file') {
        // tar-stream ends each entry's stream after exactly header.size bytes, so the target's
        // running count sees the real content whatever the header claims.
        await target.addFile(header.name, bytesOf(entry));
      } else {
        refuseSpecialEntry(header);
      }
    }
    if (structure.leftOverEntries > 0) {
      throw new BundleError('hostile-input', 'Refused the tar archive: it holds a header tar-stream read as an empty block; readers would disagree about its entries.');
    }
  } finally {
    stopListening();
    for (const stage of stages) stage.destroy();
    await handle.close();
  }
}

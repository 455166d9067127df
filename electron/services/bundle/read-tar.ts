import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { abortError, whenAborted } from './abort';
import { BundleError } from './bundle-error';
import { refuseEntry } from './entry-path';
import type { BundleLimits } from './limits';
import type { UnpackTarget } from './unpack-target';

/*
 * A gzip stream can expand without end into empty tar headers that create no entry, so the
 * decompressed stream as a whole is capped too: the content cap, plus room for each allowed
 * entry's headers (a PAX or GNU long-name header, the ustar header, padding) and the
 * end-of-archive blocks.
 */
const HEADER_ALLOWANCE_PER_ENTRY = 16 * 1024;
const FIXED_ALLOWANCE = 1024 * 1024;

function capStream(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.byteLength;
      if (seen > maxBytes) {
        callback(new BundleError('hostile-input', `The compressed archive unpacks to more than ${maxBytes} bytes, past what the caps allow.`));
        return;
      }
      callback(null, chunk);
    },
  });
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

/**
 * Streams a tar (optionally gzip-compressed) archive into the target. tar-stream applies GNU
 * long names and PAX `path` records before an entry reaches us, so the name checked is the
 * name that would be used.
 */
export async function unpackTar(
  archivePath: string,
  gzipped: boolean,
  target: UnpackTarget,
  limits: BundleLimits,
  signal: AbortSignal | undefined,
): Promise<void> {
  const source = createReadStream(archivePath);
  const extractor = tarExtract();
  const stages: Readable[] = [source];
  const fail = (error: unknown): void => {
    extractor.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  source.on('error', fail);
  let upstream: Readable = source;
  if (gzipped) {
    const gunzip = createGunzip();
    const cap = capStream(limits.maxTotalBytes + limits.maxEntries * HEADER_ALLOWANCE_PER_ENTRY + FIXED_ALLOWANCE);
    gunzip.on('error', fail);
    cap.on('error', fail);
    upstream = upstream.pipe(gunzip).pipe(cap);
    stages.push(gunzip, cap);
  }
  upstream.pipe(extractor);
  const stopListening = whenAborted(signal, () => fail(abortError()));

  try {
    for await (const entry of extractor) {
      const { header } = entry;
      target.countEntry(header.name);
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
  } finally {
    stopListening();
    for (const stage of stages) stage.destroy();
  }
}

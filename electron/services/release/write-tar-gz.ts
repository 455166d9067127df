import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import tar from 'tar-stream';
import { entrySize, FILE_MODE, sortedEntries, type BundleEntry } from './bundle-entries';

/**
 * A gzip-compressed tar of the entries (FORMATS §9), the same bytes for the same entries and
 * time: entries by name, mode 0644, owner and group 0 with no names, every mtime `mtime`, no
 * directories; gzip at level 6 with no name and no time in its header.
 */
export async function writeTarGz(entries: readonly BundleEntry[], outFile: string, mtime: Date): Promise<void> {
  const pack = tar.pack();
  const output = createWriteStream(outFile, { flags: 'wx', mode: FILE_MODE });
  const written = pipeline(pack, createGzip({ level: 6, memLevel: 8, strategy: zlibConstants.Z_DEFAULT_STRATEGY }), output);
  // Awaited below; a failure of the output while entries are still being added must not go unhandled meanwhile.
  written.catch(() => {});
  const adding = (async () => {
    for (const entry of sortedEntries(entries)) {
      const header = { name: entry.name, size: entrySize(entry), mode: FILE_MODE, mtime, uid: 0, gid: 0, uname: '', gname: '', type: 'file' as const };
      if ('bytes' in entry.source) {
        const bytes = entry.source.bytes;
        await new Promise<void>((resolve, reject) => pack.entry(header, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), (error) => (error ? reject(error) : resolve())));
      } else {
        const sink = pack.entry(header);
        await pipeline(createReadStream(entry.source.file), sink);
      }
    }
    pack.finalize();
  })();
  try {
    await adding;
  } catch (error) {
    pack.destroy(error instanceof Error ? error : new Error(String(error)));
    await written.catch(() => {});
    throw error;
  }
  await written;
}

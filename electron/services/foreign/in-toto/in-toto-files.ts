import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { FormatError } from '../../../../shared/formats/format-error';

/** Most entries read from a links directory, and most files walked in a work directory. */
export const MAX_LINK_DIRECTORY_ENTRIES = 10_000;
export const MAX_WORK_DIRECTORY_FILES = 100_000;

/** Reads one regular file, never through a symbolic link, refusing it when larger than `maxBytes`. */
export async function readRegularFile(path: string, maxBytes: number, what: string): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw new FormatError(what, 'is a symbolic link: refused (nothing outside the links directory is read)');
    throw error;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FormatError(what, 'is not a regular file');
    if (info.size > maxBytes) throw new FormatError(what, `is ${info.size} bytes; at most ${maxBytes} are read`);
    const bytes = Buffer.alloc(info.size);
    let done = 0;
    while (done < info.size) {
      const { bytesRead } = await handle.read(bytes, done, info.size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return new Uint8Array(bytes.subarray(0, done));
  } finally {
    await handle.close();
  }
}

/** The names of the entries of a links directory, each a regular file or refused (a symbolic link, a directory). */
export async function listLinkFiles(directory: string): Promise<Set<string>> {
  const entries = await readdir(directory, { withFileTypes: true });
  if (entries.length > MAX_LINK_DIRECTORY_ENTRIES) throw new FormatError(directory, `holds ${entries.length} entries; at most ${MAX_LINK_DIRECTORY_ENTRIES} are read`);
  return new Set(entries.filter((entry) => entry.name.endsWith('.link')).map((entry) => entry.name));
}

/**
 * Every regular file under `root`, as `/`-separated paths relative to it, leaving out `skip`
 * (absolute paths: the links directory, the layout). A symbolic link anywhere is refused.
 */
export async function listWorkFiles(root: string, skip: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop()!;
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (skip.includes(path)) continue;
      const name = relative(root, path).split(sep).join('/');
      if (entry.isSymbolicLink()) throw new FormatError(name, 'is a symbolic link in the work directory: refused (nothing outside the target is read)');
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) files.push(name);
      else throw new FormatError(name, 'is neither a regular file nor a directory');
      if (files.length > MAX_WORK_DIRECTORY_FILES) throw new FormatError(root, `holds more than ${MAX_WORK_DIRECTORY_FILES} files`);
    }
  }
  return files.sort();
}

/** True when `path` names a file inside a directory by a relative path: no `..`, no absolute path, no empty or `.` segment, no backslash. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\u0000')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

import { constants } from 'node:fs';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../../../shared/errors/domain-error';

/**
 * Why a source (a git work tree, an MLflow run, a DVC repository, the hardware probe) cannot be
 * read into a release. Codes are the contract's: not-found, unreadable, hostile-input (links,
 * paths leaving the directory, caps), invalid-format, refused (a dirty work tree).
 */
export class SourceError extends DomainError {
  constructor(code: 'not-found' | 'unreadable' | 'hostile-input' | 'invalid-format' | 'refused' | 'invalid-input', message: string) {
    super(code, message);
  }
}

/** The directory a source was given, resolved once: every file read from it must lie inside. */
export async function sourceDirectory(given: string, what: string): Promise<string> {
  const absolute = path.resolve(given);
  let stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SourceError('not-found', `${what} ${given} does not exist.`);
    throw new SourceError('unreadable', `${what} ${given} cannot be read: ${(error as Error).message}`);
  }
  if (stats.isSymbolicLink()) throw new SourceError('hostile-input', `${what} ${given} is a symbolic link; give the directory itself.`);
  if (!stats.isDirectory()) throw new SourceError('invalid-input', `${what} ${given} is not a directory.`);
  // Resolves links above the directory (e.g. a temporary folder under a linked /tmp), never inside it.
  return realpath(absolute);
}

/**
 * A relative path as a source's own files name it (an MLmodel's model_path, a dvc.lock out),
 * resolved inside `root`. Refused: absolute paths, `..` segments, empty or NUL-bearing names,
 * and any symbolic link on the way (each segment is lstat'ed, never followed).
 * Returns null when the path does not exist.
 */
export async function resolveInside(root: string, relative: string, what: string): Promise<{ absolute: string; name: string; isDirectory: boolean } | null> {
  if (relative === '' || relative.includes('\0')) throw new SourceError('hostile-input', `${what}: an empty or NUL-bearing path.`);
  const normalised = relative.replaceAll('\\', '/');
  if (normalised.startsWith('/') || /^[A-Za-z]:/.test(normalised)) throw new SourceError('hostile-input', `${what}: ${JSON.stringify(relative)} is an absolute path; only paths inside the directory are read.`);
  const segments = normalised.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new SourceError('hostile-input', `${what}: ${JSON.stringify(relative)} leaves the directory ("..").`);
  if (segments.length === 0) throw new SourceError('hostile-input', `${what}: ${JSON.stringify(relative)} names the directory itself, not a file in it.`);
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = path.join(current, segment);
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw new SourceError('unreadable', `${what}: ${segments.slice(0, index + 1).join('/')} cannot be read: ${(error as Error).message}`);
    }
    const name = segments.slice(0, index + 1).join('/');
    if (stats.isSymbolicLink()) throw new SourceError('hostile-input', `${what}: ${name} is a symbolic link; links are refused, never followed.`);
    const last = index === segments.length - 1;
    if (!last && !stats.isDirectory()) return null;
    if (last) {
      if (!stats.isFile() && !stats.isDirectory()) throw new SourceError('hostile-input', `${what}: ${name} is a device, FIFO or socket, not a regular file.`);
      return { absolute: current, name, isDirectory: stats.isDirectory() };
    }
  }
  return null;
}

/** Every regular file under `directory` (relative `/`-separated names, sorted); links and devices refused. */
export async function listFiles(directory: string, what: string, maxFiles = 100_000): Promise<string[]> {
  const found: string[] = [];
  const pending: string[] = [''];
  for (let prefix = pending.pop(); prefix !== undefined; prefix = pending.pop()) {
    const children = (await readdir(path.join(directory, prefix))).sort();
    for (const child of children) {
      const name = prefix === '' ? child : `${prefix}/${child}`;
      const stats = await lstat(path.join(directory, name));
      if (stats.isSymbolicLink()) throw new SourceError('hostile-input', `${what}: ${name} is a symbolic link; links are refused, never followed.`);
      if (stats.isDirectory()) pending.push(name);
      else if (stats.isFile()) found.push(name);
      else throw new SourceError('hostile-input', `${what}: ${name} is a device, FIFO or socket, not a regular file.`);
      if (found.length > maxFiles) throw new SourceError('hostile-input', `${what}: more than ${maxFiles} files.`);
    }
  }
  return found.sort();
}

/** Reads a small file (YAML, a param value) refusing one past `maxBytes` before reading it. */
export async function readCapped(file: string, maxBytes: number, what: string): Promise<Uint8Array> {
  // O_NOFOLLOW: a file swapped for a link after it was checked is still not followed.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new SourceError('hostile-input', `${what} is ${size} bytes, more than the ${maxBytes}-byte cap.`);
    const bytes = new Uint8Array(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

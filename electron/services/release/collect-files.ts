import fs from 'node:fs/promises';
import path from 'node:path';
import type { GlobMatcher } from '../../../shared/release/glob';
import { kindOfFile, type KindOverride } from '../../../shared/release/artifact-kind';
import type { ShippedFile } from './sources/contribution';
import { ReleaseInputError } from './release-error';

export interface CollectOptions {
  /** Subject names are these paths relative to `baseDir` (the working directory), `/`-separated. */
  baseDir: string;
  excludes: readonly GlobMatcher[];
  kinds: readonly KindOverride[];
}

/**
 * Every regular file under the given paths, as a shipped file: nothing outside them is read.
 * A symbolic link, a device, a socket or a FIFO anywhere under them is refused, naming it;
 * an excluded directory is not entered. A path inside `baseDir` is named relative to it
 * (`model/fraud.onnx` for `model/`); one outside, relative to its own parent directory.
 */
export async function collectFiles(paths: readonly string[], options: CollectOptions): Promise<ShippedFile[]> {
  const files: ShippedFile[] = [];
  for (const given of paths) {
    const absolute = path.resolve(options.baseDir, given);
    const relative = path.relative(options.baseDir, absolute);
    const inside = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    const nameRoot = inside ? options.baseDir : path.dirname(absolute);
    await visit(absolute, nameRoot, given, options, files);
  }
  return files;
}

async function visit(file: string, nameRoot: string, given: string, options: CollectOptions, files: ShippedFile[]): Promise<void> {
  const name = path.relative(nameRoot, file).split(path.sep).join('/');
  if (name !== '' && options.excludes.some((glob) => glob.matches(name))) return;
  const stats = await lstatOrFail(file, given);
  if (stats.isSymbolicLink()) throw new ReleaseInputError(`${file} is a symbolic link: refused (a release ships only regular files found under the paths given, never what a link points to)`);
  if (stats.isDirectory()) {
    let entries: string[];
    try {
      entries = (await fs.readdir(file)).sort();
    } catch (error) {
      throw new ReleaseInputError(`cannot list the directory ${file}: ${describe(error)}`);
    }
    for (const entry of entries) await visit(path.join(file, entry), nameRoot, given, options, files);
    return;
  }
  if (!stats.isFile()) throw new ReleaseInputError(`${file} is not a regular file or a directory (a device, socket or FIFO): refused`);
  files.push({ path: file, name, ...kindOfFile(name, options.kinds) });
}

async function lstatOrFail(file: string, given: string) {
  try {
    return await fs.lstat(file);
  } catch (error) {
    throw new ReleaseInputError(`cannot read ${file === given ? file : `${file} (under ${given})`}: ${describe(error)}`);
  }
}

export function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return error instanceof Error ? error.message : String(error);
}

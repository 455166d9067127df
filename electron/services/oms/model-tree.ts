// The files of a model directory as OMS enumerates them: a walk that never follows a symlink
// (lstat only), reading names and types but no file content.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';

export interface ModelEntry {
  /** Relative to the model root, `/`-separated. */
  name: string;
  kind: 'file' | 'symlink' | 'other';
  size: number;
}

export interface ModelTree {
  root: string;
  /** True when the model is one file; its single entry is then named `.`. */
  singleFile: boolean;
  entries: Map<string, ModelEntry>;
}

/** The OMS default exclusions, matched as top-level components of the model root only (OMS §6.2.1). */
export const DEFAULT_IGNORED_TOP_LEVEL = ['.git', '.gitattributes', '.github', '.gitignore'] as const;

const MAX_ENTRIES = 1_000_000;

export class ModelTreeError extends Error {}

export function readModelTree(root: string): ModelTree {
  let rootStats: Stats;
  try {
    rootStats = lstatSync(root);
  } catch (error) {
    throw new ModelTreeError(`Cannot read the model ${root}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (rootStats.isSymbolicLink()) throw new ModelTreeError(`The model path ${root} is a symbolic link: give the real path.`);
  if (rootStats.isFile()) return { root, singleFile: true, entries: new Map([['.', { name: '.', kind: 'file', size: rootStats.size }]]) };
  if (!rootStats.isDirectory()) throw new ModelTreeError(`The model path ${root} is neither a file nor a directory.`);

  const entries = new Map<string, ModelEntry>();
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const dirent of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const name = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
      if (dirent.isDirectory()) {
        pending.push(name);
        continue;
      }
      if (entries.size >= MAX_ENTRIES) throw new ModelTreeError(`The model holds more than ${MAX_ENTRIES} files.`);
      const kind = dirent.isSymbolicLink() ? 'symlink' : dirent.isFile() ? 'file' : 'other';
      const size = kind === 'file' ? lstatSync(path.join(root, name)).size : 0;
      entries.set(name, { name, kind, size });
    }
  }
  return { root, singleFile: false, entries };
}

/** True when `name` is `prefix` or lies under it. */
export function isUnder(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}/`);
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface FileToWrite {
  path: string;
  bytes: Uint8Array;
}

/**
 * Writes every file whole, or none of them: each is written under a fresh temporary name beside
 * its target and synced; only when all are written are they renamed into place (replacing a file
 * of that name, never a directory). On any error before that, every temporary file is removed
 * and no target is touched.
 */
export async function writeFilesTogether(files: readonly FileToWrite[]): Promise<void> {
  const targets = files.map((file) => path.resolve(file.path));
  if (new Set(targets).size !== targets.length) throw new RangeError('two outputs name the same file');
  const written: { temporary: string; target: string }[] = [];
  try {
    for (const [index, file] of files.entries()) {
      const target = targets[index]!;
      const existing = await fs.lstat(target).catch(() => null);
      if (existing !== null && !existing.isFile()) throw Object.assign(new Error(`${file.path} exists and is not a regular file`), { code: 'EISDIR' });
      const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      const handle = await fs.open(temporary, 'wx', 0o644);
      written.push({ temporary, target });
      try {
        await handle.writeFile(file.bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const { temporary, target } of written) await fs.rename(temporary, target);
  } finally {
    await Promise.all(written.map(({ temporary }) => fs.rm(temporary, { force: true })));
  }
}

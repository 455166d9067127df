import { open } from 'node:fs/promises';
import { DomainError } from '../../shared/errors/domain-error';

/**
 * A small text file named on the command line (a public key, a board policy), read whole: a
 * regular file of at most `maxBytes`, in UTF-8. Anything else is refused, naming the file.
 */
export async function readTextFile(path: string, maxBytes: number, what: string): Promise<string> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new DomainError('unreadable', `Cannot read ${what} ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new DomainError('unreadable', `${what} ${path} is not a regular file.`);
    if (stats.size > maxBytes) throw new DomainError('hostile-input', `${what} ${path} is ${stats.size} bytes; at most ${maxBytes} are read.`);
    const bytes = await handle.readFile();
    if (bytes.length > maxBytes) throw new DomainError('hostile-input', `${what} ${path} grew past ${maxBytes} bytes while it was read.`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new DomainError('invalid-format', `${what} ${path} is not UTF-8 text.`);
    }
  } finally {
    await handle.close();
  }
}

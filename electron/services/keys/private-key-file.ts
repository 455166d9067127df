import { DomainError } from '../../../shared/errors/domain-error';
import fs from 'node:fs/promises';
import { MAX_PRIVATE_KEY_FILE_BYTES } from './openssh-private-key';

/** The private key file could not be read (missing, not a file, too large). */
export class PrivateKeyFileError extends DomainError {
  constructor(file: string, problem: string) {
    super('invalid-input', `cannot read the private key ${file}: ${problem}`);
  }
}

/**
 * The bytes of a private key file, read into a Buffer of its own (no pooled or intermediate
 * copies, never a string) that the caller zeroes when done.
 */
export async function readPrivateKeyFile(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    throw new PrivateKeyFileError(file, describe(error));
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new PrivateKeyFileError(file, 'not a regular file');
    if (stats.size > MAX_PRIVATE_KEY_FILE_BYTES) throw new PrivateKeyFileError(file, `larger than ${MAX_PRIVATE_KEY_FILE_BYTES} bytes: not a private key file`);
    const bytes = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled === bytes.length) return bytes;
    bytes.fill(0);
    throw new PrivateKeyFileError(file, 'the file shrank while it was read');
  } catch (error) {
    if (error instanceof PrivateKeyFileError) throw error;
    throw new PrivateKeyFileError(file, describe(error));
  } finally {
    await handle.close();
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'not a regular file';
  return error instanceof Error ? error.message : String(error);
}

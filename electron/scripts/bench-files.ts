import { randomFillSync } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

const MiB = 1024 * 1024;

/** A file of random bytes for a bench; written asynchronously so that Ctrl-C is handled (and the data removed) while writing. */
export async function writeRandomFile(filePath: string, size: number): Promise<void> {
  const chunk = Buffer.allocUnsafe(16 * MiB);
  await mkdir(path.dirname(filePath), { recursive: true });
  const file = await open(filePath, 'w');
  try {
    for (let written = 0; written < size; ) {
      const length = Math.min(chunk.length, size - written);
      randomFillSync(chunk, 0, length);
      written += (await file.write(chunk, 0, length)).bytesWritten;
    }
  } finally {
    await file.close();
  }
}

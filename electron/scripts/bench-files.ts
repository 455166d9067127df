import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/**
 * A private folder for a bench's data, removed by `remove()` and also when the bench is
 * interrupted (Ctrl-C or SIGTERM), so that gigabytes of test files never stay behind.
 */
export function scratchFolder(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const removeData = (): void => rmSync(dir, { recursive: true, force: true });
  const onSignal = (): void => {
    removeData();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    dir,
    remove: () => {
      removeData();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

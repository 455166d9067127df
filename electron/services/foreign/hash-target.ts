import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { HashCancelledError } from '../hashing/hash-files';
import type { JobControl } from '../jobs/job-registry';

export type TargetHash = 'sha256' | 'sha384' | 'sha512';

const CHUNK_BYTES = 1024 * 1024;

/**
 * Hashes one file with each of `algorithms` in a single streaming pass, reporting byte progress
 * and stopping on cancel. Lowercase hex per algorithm.
 */
export async function hashTargetFile(path: string, algorithms: readonly TargetHash[], job: JobControl): Promise<{ digests: Partial<Record<TargetHash, string>>; bytes: number }> {
  const hashes = algorithms.map((algorithm) => ({ algorithm, hash: createHash(algorithm) }));
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let done = 0;
    for (;;) {
      if (job.signal?.aborted) throw new HashCancelledError('Verification cancelled.');
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      for (const { hash } of hashes) hash.update(buffer.subarray(0, bytesRead));
      done += bytesRead;
      job.onProgress?.({ bytesDone: done, bytesTotal: size, filesDone: 0, filesTotal: 1 });
    }
    job.onProgress?.({ bytesDone: done, bytesTotal: Math.max(size, done), filesDone: 1, filesTotal: 1 });
    return { digests: Object.fromEntries(hashes.map(({ algorithm, hash }) => [algorithm, hash.digest('hex')])), bytes: done };
  } finally {
    await handle.close();
  }
}

import { MAX_APPROVAL_BYTES } from '../../../shared/approvals/check-approval';
import { classifyBundle } from '../bundle/layout';
import { readBundleFile, type OpenedBundle } from '../bundle/open-bundle';

/** One approval envelope to evaluate, by the name it is shown under. */
export interface ApprovalFileBytes {
  file: string;
  bytes: Uint8Array;
  origin: 'bundle' | 'profile';
  storedAt: string | null;
}

/**
 * Files being read at once: a board's approvals are many small files, each several round trips
 * to the file system (open, stat, read, close) on the thread pool; a steady queue keeps the pool
 * busy where batches waited for their slowest file.
 */
const CONCURRENT_READS = 16;

/**
 * The bundle's `approvals/*.dsse.json`, each read whole under the 1 MiB cap (a larger one is
 * refused as hostile), in the layout's order. The first failure in that order is thrown, as when
 * read one by one; no file is read after a failure is known.
 */
export async function readBundleApprovals(bundle: OpenedBundle): Promise<ApprovalFileBytes[]> {
  const files = classifyBundle(bundle.entries.keys()).approvals;
  const results = new Array<PromiseSettledResult<Uint8Array>>(files.length);
  let next = 0;
  let failed = false;
  const reader = async (): Promise<void> => {
    while (next < files.length && !failed) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await readBundleFile(bundle, files[index]!, MAX_APPROVAL_BYTES) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, files.length) }, reader));
  return files.flatMap((file, index) => {
    const result = results[index];
    // A file not read was after a failure, which is thrown first.
    if (result === undefined) return [];
    if (result.status === 'rejected') throw result.reason;
    return [{ file, bytes: result.value, origin: 'bundle' as const, storedAt: null }];
  });
}

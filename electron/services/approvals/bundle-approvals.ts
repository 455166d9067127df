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

/** Files read at once: a board's approvals are many small files, each several round trips to the file system. */
const CONCURRENT_READS = 16;

/**
 * The bundle's `approvals/*.dsse.json`, each read whole under the 1 MiB cap (a larger one is
 * refused as hostile), in the layout's order. The first failure is thrown, as when read one by one.
 */
export async function readBundleApprovals(bundle: OpenedBundle): Promise<ApprovalFileBytes[]> {
  const files = classifyBundle(bundle.entries.keys()).approvals;
  const approvals: ApprovalFileBytes[] = [];
  for (let start = 0; start < files.length; start += CONCURRENT_READS) {
    const batch = files.slice(start, start + CONCURRENT_READS);
    const results = await Promise.allSettled(batch.map((file) => readBundleFile(bundle, file, MAX_APPROVAL_BYTES)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') throw result.reason;
      approvals.push({ file: batch[i]!, bytes: result.value, origin: 'bundle', storedAt: null });
    });
  }
  return approvals;
}

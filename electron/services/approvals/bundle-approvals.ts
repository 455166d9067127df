import { MAX_APPROVAL_BYTES } from '../../../shared/approvals/check-approval';
import { classifyBundle } from '../bundle/layout';
import { readSmallBundleFiles, type OpenedBundle } from '../bundle/open-bundle';

/** One approval envelope to evaluate, by the name it is shown under. */
export interface ApprovalFileBytes {
  file: string;
  bytes: Uint8Array;
  /** Where it was read: the bundle's approvals/, the profile, or the board's repository (`--board-repo`). */
  origin: 'bundle' | 'profile' | 'board';
  storedAt: string | null;
}

/**
 * The bundle's `approvals/*.dsse.json`, each read whole under the 1 MiB cap (a larger one is
 * refused as hostile), in the layout's order. The first failure in that order is thrown, as when
 * read one by one.
 */
export async function readBundleApprovals(bundle: OpenedBundle): Promise<ApprovalFileBytes[]> {
  const files = classifyBundle(bundle.entries.keys()).approvals;
  const contents = await readSmallBundleFiles(bundle, files, MAX_APPROVAL_BYTES);
  return files.map((file, index) => ({ file, bytes: contents[index]!, origin: 'bundle' as const, storedAt: null }));
}

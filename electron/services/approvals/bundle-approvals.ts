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

/** The bundle's `approvals/*.dsse.json`, each read whole under the 1 MiB cap (a larger one is refused as hostile). */
export async function readBundleApprovals(bundle: OpenedBundle): Promise<ApprovalFileBytes[]> {
  const files = classifyBundle(bundle.entries.keys()).approvals;
  const approvals: ApprovalFileBytes[] = [];
  for (const file of files) {
    approvals.push({ file, bytes: await readBundleFile(bundle, file, MAX_APPROVAL_BYTES), origin: 'bundle', storedAt: null });
  }
  return approvals;
}

import type { TrustContext } from '../../../shared/verify/trust';
import { buildHostTrustContext } from './host-trust-context';
import type { Store } from '../store/store';
import { parseBoardPolicyBytes, readBoardPolicyFile } from './board-file';

/** Trust from one board policy file alone (`--board`): the person's store is not read or written. */
export async function trustFromBoardFile(path: string): Promise<TrustContext> {
  const { policy } = await readBoardPolicyFile(path);
  return buildHostTrustContext({ source: 'board-file', board: policy });
}

/** Trust from the profile: the imported board policy and the keys pinned on this machine. */
export function trustFromStore(store: Store): TrustContext {
  const stored = store.boardPolicy.current();
  const board = stored ? parseBoardPolicyBytes(stored.content, 'the stored board policy').policy : null;
  return buildHostTrustContext({ source: 'store', board, pinned: store.pinnedKeys.list() });
}

import type { TrustContext } from '../../../shared/verify/trust';
import { buildHostTrustContext } from '../trust/host-trust-context';
import type { ProfileApprovals } from '../approvals/profile-approvals';
import type { HashCache } from '../hashing/hash-cache';
import type { Store } from '../store/store';
import { parseBoardPolicyBytes, type LoadedBoardPolicy } from '../trust/board-file';
import { ProfileError } from './profile-error';

/**
 * What a command may know about the person: the board policy approvals are judged and made
 * under, who is trusted to sign, the approvals kept here, and (for a full profile) the store
 * with keys, audit trail and settings. Two kinds:
 * - the person's profile (the SQLite store in the data directory);
 * - a board policy file alone (`--board`): read-only, it trusts that file's keys and nothing
 *   else, keeps no approvals, and reads or writes no store unless a command needs keys (approve),
 *   which then come from the store beside it.
 */
export interface Profile {
  readonly kind: 'store' | 'board-file' | 'trust-flags';
  /** The board policy, or null when none is imported. Parsed once per digest. */
  board(): LoadedBoardPolicy | null;
  /** Who is trusted to sign. The same object until the board or the pinned keys change. */
  trust(): TrustContext;
  /** Approvals kept in the profile; null for a board file. */
  readonly approvals: ProfileApprovals | null;
  readonly hashCache: HashCache | undefined;
  /** The store, for keys, audit trail, settings and recent bundles; throws where there is none. */
  store(): Store;
}

/** The person's profile, over their store. */
export function storeProfile(store: Store): Profile {
  let board: { digest: string; loaded: LoadedBoardPolicy } | null = null;
  let trust: { key: string; context: TrustContext } | null = null;

  const currentBoard = (): LoadedBoardPolicy | null => {
    const stored = store.boardPolicy.current();
    if (stored === null) return null;
    if (board?.digest !== stored.digest) board = { digest: stored.digest, loaded: parseBoardPolicyBytes(stored.content, 'the stored board policy') };
    return board.loaded;
  };

  return {
    kind: 'store',
    board: currentBoard,
    trust() {
      const loaded = currentBoard();
      const pinned = store.pinnedKeys.list();
      const rootPin = loaded?.policy.sigstoreTrustedRoot;
      const sigstoreTrustedRoot = rootPin ? store.settings.trustedRoot(rootPin.sha256) : null;
      const key = `${loaded?.digest ?? '-'}|${sigstoreTrustedRoot === null ? '-' : 'root'}|${pinned.map((entry) => `${entry.keyId}:${entry.name}`).join(',')}`;
      if (trust?.key !== key) trust = { key, context: buildHostTrustContext({ source: 'store', board: loaded?.policy ?? null, pinned, sigstoreTrustedRoot }) };
      return trust.context;
    },
    approvals: store.approvals,
    hashCache: store.hashCache,
    store: () => store,
  };
}

/** A board policy file alone (`--board`): its keys are the only trust; `store` is the person's, opened only when a command needs keys. */
export function boardFileProfile(board: LoadedBoardPolicy, openKeyStore: (() => Store) | null = null): Profile {
  const trust = buildHostTrustContext({ source: 'board-file', board: board.policy });
  let store: Store | null = null;
  return {
    kind: 'board-file',
    board: () => board,
    trust: () => trust,
    approvals: null,
    hashCache: undefined,
    store() {
      if (openKeyStore === null) throw new ProfileError('unsupported', 'With --board alone, this profile is not read or written: this command needs the profile (leave out --board).');
      return (store ??= openKeyStore());
    },
  };
}

/**
 * Trust given on the command line alone (`verify --key`, `--allowed-signers`, ...): no board, no
 * pinned keys, and the profile is neither read nor written.
 */
export function trustFlagsProfile(): Profile {
  const trust = buildHostTrustContext({ source: 'flags', board: null });
  return {
    kind: 'trust-flags',
    board: () => null,
    trust: () => trust,
    approvals: null,
    hashCache: undefined,
    store() {
      throw new ProfileError('unsupported', 'With trust flags (--key, --allowed-signers, --ca, ...), this profile is not read or written: this command needs the profile.');
    },
  };
}

/** The board policy, or the refusal every approval command gives without one. */
export function requireBoard(profile: Profile): LoadedBoardPolicy {
  const board = profile.board();
  if (board === null) {
    throw new ProfileError('conflict', 'No board policy is imported: import the board policy (Trust in the app), or give --board <board.json>. Approvals are judged, and made, under it.');
  }
  return board;
}

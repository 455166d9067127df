import { parsePublicKey } from '../crypto/keys';
import type { BoardMember, BoardPolicy } from '../formats/board-policy';

/** Who a key belongs to on the board. Keys are compared by key ID, so one key written as an
 *  OpenSSH line and as PEM is one key. */
export interface BoardKeyOwners {
  members: BoardMember[];
  producers: string[];
}

/** Every readable key of the policy, by key ID. Unreadable keys are left out: the trust context
 *  built from the same policy reports them. */
export function indexBoardKeys(policy: BoardPolicy): Map<string, BoardKeyOwners> {
  const owners = new Map<string, BoardKeyOwners>();
  const ownersOf = (keyId: string) => {
    let entry = owners.get(keyId);
    if (entry === undefined) {
      entry = { members: [], producers: [] };
      owners.set(keyId, entry);
    }
    return entry;
  };
  for (const member of policy.members) {
    for (const keyId of readableKeyIds(member.keys)) {
      const entry = ownersOf(keyId);
      if (!entry.members.includes(member)) entry.members.push(member);
    }
  }
  for (const producer of policy.producers) {
    for (const keyId of readableKeyIds(producer.keys)) {
      const entry = ownersOf(keyId);
      if (!entry.producers.includes(producer.name)) entry.producers.push(producer.name);
    }
  }
  return owners;
}

function readableKeyIds(keys: readonly string[]): string[] {
  return keys.flatMap((text) => {
    try {
      return [parsePublicKey(text).keyId];
    } catch {
      return [];
    }
  });
}

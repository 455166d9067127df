import { parsePublicKey, type PublicKeyInfo } from '../crypto/keys';
import { decodeBase64Strict } from '../encoding/base64';
import { bytesToHex } from '../encoding/hex';
import type { BoardPolicy } from '../formats/board-policy';

/** A member's key with the names the board repository uses for it. */
export interface MemberKey {
  memberName: string;
  key: PublicKeyInfo;
  /** Lowercase hex of the key's SHA-256 fingerprint: the member's log directory. */
  fingerprintHex: string;
}

/** `SHA256:<base64>` to the 64 hex digits that name a member's log directory. */
export function fingerprintHexOf(keyId: string): string {
  return bytesToHex(decodeBase64Strict(keyId.slice('SHA256:'.length), 'key fingerprint'));
}

/** Every member key of the given policies, by key ID; a key that does not parse is left out (the policy check reports it). */
export function memberKeysOf(policies: readonly BoardPolicy[]): Map<string, MemberKey> {
  const keys = new Map<string, MemberKey>();
  for (const policy of policies) {
    for (const member of policy.members) {
      for (const text of member.keys) {
        try {
          const key = parsePublicKey(text);
          if (!keys.has(key.keyId)) keys.set(key.keyId, { memberName: member.name, key, fingerprintHex: fingerprintHexOf(key.keyId) });
        } catch {
          // parseBoardPolicy already refused unreadable keys; nothing to add here.
        }
      }
    }
  }
  return keys;
}

/** The member of `policy` holding `keyId`, or null. */
export function memberOf(policy: BoardPolicy, keyId: string): string | null {
  for (const member of policy.members) {
    for (const text of member.keys) {
      try {
        if (parsePublicKey(text).keyId === keyId) return member.name;
      } catch {
        // as above
      }
    }
  }
  return null;
}

/** The note key name of a member's log checkpoints and cosignatures (C2SP: no spaces, no "+"). */
export function logKeyName(fingerprintHex: string): string {
  return `countersign.dev/member/${fingerprintHex}`;
}

/** The checkpoint origin of one member's log on one board. */
export function logOrigin(genesis: string, fingerprintHex: string): string {
  return `countersign.dev/board/${genesis}/log/${fingerprintHex}`;
}

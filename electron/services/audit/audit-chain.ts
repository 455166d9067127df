import { sha256Hex } from '../../../shared/crypto/hash';
import { setOwnMember, type JsonObject, type JsonValue } from '../../../shared/json/strict-json';

/**
 * The hash chain of the audit log. Each entry's hash is
 *
 *   hash = lowercase hex SHA-256 of the UTF-8 bytes of
 *          JSON.stringify([id, at, actor, action, manifestDigest, detail, prevHash])
 *
 * with the seven fields in exactly that order (actor and manifestDigest may be null) and
 * `detail` in canonical form: object keys sorted recursively by UTF-16 code units, arrays kept
 * in order, no whitespace. The first entry's prevHash is GENESIS_HASH (64 zeros); every later
 * entry's prevHash is the hash of the entry before it. `id` is inside the hash, so moving an
 * entry to another id breaks it too.
 */

export const GENESIS_HASH = '0'.repeat(64);

/** An audit entry's fields that its hash covers. */
export interface ChainedFields {
  id: number;
  at: string;
  /** The key ID that acted, or null when no key was involved. */
  actor: string | null;
  action: string;
  /** Lowercase hex SHA-256 of the manifest payload, when the action concerns a release. */
  manifestDigest: string | null;
  detail: JsonObject;
  prevHash: string;
}

export function entryHash(fields: ChainedFields): string {
  const encoded = JSON.stringify([fields.id, fields.at, fields.actor, fields.action, fields.manifestDigest, canonicalJson(fields.detail), fields.prevHash]);
  return sha256Hex(new TextEncoder().encode(encoded));
}

/** `value` with every object's keys in sorted order; JSON.stringify of the result is the canonical text. */
export function canonicalJson<T extends JsonValue>(value: T): T;
export function canonicalJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item) => canonicalJson(item));
  if (value === null || typeof value !== 'object') return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) setOwnMember(sorted, key, canonicalJson(value[key]!));
  return sorted;
}

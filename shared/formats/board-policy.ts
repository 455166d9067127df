import { parsePublicKey } from '../crypto/keys';
import { setOwnMember, type JsonObject, type JsonValue } from '../json/strict-json';
import { jsonPathChild } from '../json/json-path';
import { FormatError } from './format-error';
import {
  collectUnknownFields,
  expectArray,
  expectBoolean,
  expectNonEmptyString,
  expectObject,
  expectSafeNonNegativeInteger,
  optionalField,
  requiredField,
} from './json-fields';
import { parseKeyId } from './key-id';

/**
 * The board policy (FORMATS §6), checked for structure only: keys stay as the text given
 * (an OpenSSH line or PEM) for the key module to decode, and evaluation lives elsewhere.
 * `producers` and `revokedKeys` may be omitted (read as empty); everything else is required,
 * because a silently defaulted rule would change what counts as approved.
 */

export interface BoardMember {
  name: string;
  roles: string[];
  keys: string[];
}

export interface BoardProducer {
  name: string;
  keys: string[];
}

export interface BoardRules {
  approvalsRequired: number;
  rolesRequired: Record<string, number>;
  authorMayApprove: boolean;
  rejectionBlocks: boolean;
  maxApprovalAgeDays: number;
  /**
   * Distinct members of this version whose endorsements put its successor in force (a board shared
   * through a repository); when absent, a strict majority of this version's members.
   */
  policyQuorum?: number;
}

export interface BoardPolicy {
  board: string;
  version: number;
  members: BoardMember[];
  producers: BoardProducer[];
  /** Key IDs (`SHA256:...`). */
  revokedKeys: string[];
  rules: BoardRules;
  /** JSON paths of the fields this version does not interpret. */
  unknownFields: string[];
}

const POLICY_FIELDS = new Set(['board', 'version', 'members', 'producers', 'revokedKeys', 'rules']);
const MEMBER_FIELDS = new Set(['name', 'roles', 'keys']);
const PRODUCER_FIELDS = new Set(['name', 'keys']);
const RULES_FIELDS = new Set(['approvalsRequired', 'rolesRequired', 'authorMayApprove', 'rejectionBlocks', 'maxApprovalAgeDays', 'policyQuorum']);

export function parseBoardPolicy(value: JsonValue): BoardPolicy {
  const root = '$';
  const policy = expectObject(value, root);
  const unknownFields: string[] = [];
  collectUnknownFields(policy, root, POLICY_FIELDS, unknownFields);

  const board = expectNonEmptyString(requiredField(policy, 'board', root), '$.board');
  const version = expectSafeNonNegativeInteger(requiredField(policy, 'version', root), '$.version');
  const members = parseNamedList(requiredField(policy, 'members', root), '$.members', (entry, path) => {
    collectUnknownFields(entry, path, MEMBER_FIELDS, unknownFields);
    return {
      name: expectNonEmptyString(requiredField(entry, 'name', path), `${path}.name`),
      roles: parseStringList(requiredField(entry, 'roles', path), `${path}.roles`, 'role'),
      keys: parseKeys(requiredField(entry, 'keys', path), `${path}.keys`),
    };
  });
  if (members.length === 0) throw new FormatError('$.members', 'expected at least one member, got an empty array');
  refuseSharedMemberKeys(members);
  const producersValue = optionalField(policy, 'producers');
  const producers =
    producersValue === undefined
      ? []
      : parseNamedList(producersValue, '$.producers', (entry, path) => {
          collectUnknownFields(entry, path, PRODUCER_FIELDS, unknownFields);
          return {
            name: expectNonEmptyString(requiredField(entry, 'name', path), `${path}.name`),
            keys: parseKeys(requiredField(entry, 'keys', path), `${path}.keys`),
          };
        });
  const revokedValue = optionalField(policy, 'revokedKeys');
  const revokedKeys =
    revokedValue === undefined
      ? []
      : expectArray(revokedValue, '$.revokedKeys').map((keyId, index) => parseKeyId(keyId, jsonPathChild('$.revokedKeys', index)));
  const rules = parseRules(requiredField(policy, 'rules', root), members, unknownFields);

  return { board, version, members, producers, revokedKeys, rules, unknownFields };
}

/**
 * A key identifies one member: listed for two, its approvals could count for neither, or for
 * either. Keys are compared by key ID, so one key written as an OpenSSH line and as PEM is one
 * key. Keys that cannot be read are left to the trust context, which reports them.
 */
function refuseSharedMemberKeys(members: readonly BoardMember[]): void {
  const holderByKeyId = new Map<string, { member: number; path: string }>();
  members.forEach((member, m) => {
    member.keys.forEach((text, k) => {
      let keyId: string;
      try {
        keyId = parsePublicKey(text).keyId;
      } catch {
        return;
      }
      const path = `${jsonPathChild('$.members', m)}.keys[${k}]`;
      const holder = holderByKeyId.get(keyId);
      if (holder !== undefined && holder.member !== m) {
        const first = members[holder.member]!.name;
        throw new FormatError(path, `key ${keyId} is listed for both ${JSON.stringify(first)} (${holder.path}) and ${JSON.stringify(member.name)}: a key identifies one member`);
      }
      if (holder === undefined) holderByKeyId.set(keyId, { member: m, path });
    });
  });
}

/** Parses an array of `{name, ...}` objects whose names must be unique within the array. */
function parseNamedList<T extends { name: string }>(
  value: JsonValue,
  listPath: string,
  parseEntry: (entry: JsonObject, path: string) => T,
): T[] {
  const pathByName = new Map<string, string>();
  return expectArray(value, listPath).map((item, index) => {
    const path = jsonPathChild(listPath, index);
    const entry = parseEntry(expectObject(item, path), path);
    const earlier = pathByName.get(entry.name);
    if (earlier !== undefined) throw new FormatError(`${path}.name`, `duplicate name ${JSON.stringify(entry.name)} (also at ${earlier})`);
    pathByName.set(entry.name, path);
    return entry;
  });
}

function parseStringList(value: JsonValue, path: string, what: string): string[] {
  const seen = new Set<string>();
  return expectArray(value, path).map((item, index) => {
    const itemPath = jsonPathChild(path, index);
    const text = expectNonEmptyString(item, itemPath);
    if (seen.has(text)) throw new FormatError(itemPath, `duplicate ${what} ${JSON.stringify(text)}`);
    seen.add(text);
    return text;
  });
}

function parseKeys(value: JsonValue, path: string): string[] {
  const keys = parseStringList(value, path, 'key');
  if (keys.length === 0) throw new FormatError(path, 'expected at least one public key, got an empty array');
  return keys;
}

function parseRules(value: JsonValue, members: readonly BoardMember[], unknownFields: string[]): BoardRules {
  const path = '$.rules';
  const rules = expectObject(value, path);
  collectUnknownFields(rules, path, RULES_FIELDS, unknownFields);
  const field = (key: string) => requiredField(rules, key, path);
  const approvalsRequired = expectSafeNonNegativeInteger(field('approvalsRequired'), `${path}.approvalsRequired`, 1);
  if (approvalsRequired > members.length) {
    const reason = `${approvalsRequired} approvals are required, but the board has only ${members.length} members`;
    throw new FormatError(`${path}.approvalsRequired`, reason);
  }
  return {
    approvalsRequired,
    rolesRequired: parseRolesRequired(field('rolesRequired'), members),
    authorMayApprove: expectBoolean(field('authorMayApprove'), `${path}.authorMayApprove`),
    rejectionBlocks: expectBoolean(field('rejectionBlocks'), `${path}.rejectionBlocks`),
    maxApprovalAgeDays: expectSafeNonNegativeInteger(field('maxApprovalAgeDays'), `${path}.maxApprovalAgeDays`),
    ...parsePolicyQuorum(optionalField(rules, 'policyQuorum'), members),
  };
}

function parsePolicyQuorum(value: JsonValue | undefined, members: readonly BoardMember[]): { policyQuorum?: number } {
  if (value === undefined) return {};
  const path = '$.rules.policyQuorum';
  const quorum = expectSafeNonNegativeInteger(value, path, 1);
  if (quorum > members.length) throw new FormatError(path, `a quorum of ${quorum} can never be reached by ${members.length} members`);
  return { policyQuorum: quorum };
}

/** Each role seat must be fillable: a role nobody holds would block every release forever. */
function parseRolesRequired(value: JsonValue, members: readonly BoardMember[]): Record<string, number> {
  const path = '$.rules.rolesRequired';
  const roles = expectObject(value, path);
  const rolesRequired: Record<string, number> = {};
  for (const role of Object.keys(roles)) {
    const rolePath = jsonPathChild(path, role);
    const seats = expectSafeNonNegativeInteger(roles[role] ?? null, rolePath);
    const holders = members.filter((member) => member.roles.includes(role)).length;
    if (holders === 0) throw new FormatError(rolePath, `no member holds the role ${JSON.stringify(role)}`);
    if (holders < seats) {
      throw new FormatError(rolePath, `${seats} members with the role ${JSON.stringify(role)} are required, but only ${holders} hold it`);
    }
    setOwnMember(rolesRequired, role, seats);
  }
  return rolesRequired;
}

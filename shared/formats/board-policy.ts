import { parsePublicKey } from '../crypto/keys';
import { decodeBase64Strict } from '../encoding/base64';
import { DER_TAG, readDer } from '../encoding/der';
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
  /** OpenSSH lines or PEM public keys (Ed25519, and for producers also EC P-256/384/521 and RSA). May be empty when another anchor is given. */
  keys: string[];
  /** X.509 roots, each with the one certificate identity (SAN) a leaf under it must carry. */
  certificateAuthorities?: ProducerCertificateAuthority[];
  /** Keyless signers, trusted under the policy's pinned `sigstoreTrustedRoot`. */
  sigstore?: ProducerSigstoreIdentity[];
}

export interface ProducerCertificateAuthority {
  /** One or more `-----BEGIN CERTIFICATE-----` blocks. */
  pem: string;
  /** The exact subject alternative name a leaf certificate must carry to count for this producer. */
  identity: string;
}

export interface ProducerSigstoreIdentity {
  /** The exact certificate identity (SAN). */
  identity: string;
  /** The exact OIDC issuer URL. */
  issuer: string;
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
  /**
   * The Sigstore trusted root (Fulcio, Rekor, CT log and TSA keys) producers' keyless identities
   * are checked under, pinned by the sha256 of its exact bytes; the bytes are imported separately.
   */
  sigstoreTrustedRoot?: { sha256: string };
  /** JSON paths of the fields this version does not interpret. */
  unknownFields: string[];
}

const POLICY_FIELDS = new Set(['board', 'version', 'members', 'producers', 'revokedKeys', 'rules', 'sigstoreTrustedRoot']);
const MEMBER_FIELDS = new Set(['name', 'roles', 'keys']);
const PRODUCER_FIELDS = new Set(['name', 'keys', 'certificateAuthorities', 'sigstore']);
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
  const sigstoreTrustedRoot = parseTrustedRootPin(optionalField(policy, 'sigstoreTrustedRoot'));
  const producersValue = optionalField(policy, 'producers');
  const producers =
    producersValue === undefined
      ? []
      : parseNamedList(producersValue, '$.producers', (entry, path) => {
          collectUnknownFields(entry, path, PRODUCER_FIELDS, unknownFields);
          return parseProducer(entry, path, sigstoreTrustedRoot !== undefined);
        });
  const revokedValue = optionalField(policy, 'revokedKeys');
  const revokedKeys =
    revokedValue === undefined
      ? []
      : expectArray(revokedValue, '$.revokedKeys').map((keyId, index) => parseKeyId(keyId, jsonPathChild('$.revokedKeys', index)));
  const rules = parseRules(requiredField(policy, 'rules', root), members, unknownFields);

  return { board, version, members, producers, revokedKeys, rules, ...(sigstoreTrustedRoot ? { sigstoreTrustedRoot } : {}), unknownFields };
}

/**
 * A producer is trusted through at least one anchor: keys, X.509 roots each constrained to one
 * identity, or keyless identities. Unknown fields inside an anchor are refused, not kept: an
 * anchor whose constraint this version cannot read would be trusted more widely than written.
 */
function parseProducer(entry: JsonObject, path: string, trustedRootPinned: boolean): BoardProducer {
  const name = expectNonEmptyString(requiredField(entry, 'name', path), `${path}.name`);
  const keysValue = optionalField(entry, 'keys');
  const authoritiesValue = optionalField(entry, 'certificateAuthorities');
  const sigstoreValue = optionalField(entry, 'sigstore');
  if (keysValue === undefined && authoritiesValue === undefined && sigstoreValue === undefined) {
    throw new FormatError(path, 'a producer needs at least one trust anchor: "keys", "certificateAuthorities" or "sigstore"');
  }
  const keys = keysValue === undefined ? [] : parseKeys(keysValue, `${path}.keys`);
  keys.forEach((key, index) => {
    if (key.trimStart().startsWith('-----')) checkPemShape(key, `${path}.keys[${index}]`, 'PUBLIC KEY');
  });
  const producer: BoardProducer = { name, keys };
  if (authoritiesValue !== undefined) {
    producer.certificateAuthorities = parseAnchorList(authoritiesValue, `${path}.certificateAuthorities`, CA_FIELDS, (anchor, anchorPath) => {
      const pem = expectNonEmptyString(requiredField(anchor, 'pem', anchorPath), `${anchorPath}.pem`);
      checkPemShape(pem, `${anchorPath}.pem`, 'CERTIFICATE');
      return { pem, identity: parseIdentity(requiredField(anchor, 'identity', anchorPath), `${anchorPath}.identity`) };
    });
  }
  if (sigstoreValue !== undefined) {
    const sigstorePath = `${path}.sigstore`;
    if (!trustedRootPinned) throw new FormatError(sigstorePath, 'keyless identities need the policy to pin a trusted root: add "sigstoreTrustedRoot": {"sha256": "<hex of trusted_root.json>"}');
    producer.sigstore = parseAnchorList(sigstoreValue, sigstorePath, SIGSTORE_FIELDS, (anchor, anchorPath) => ({
      identity: parseIdentity(requiredField(anchor, 'identity', anchorPath), `${anchorPath}.identity`),
      issuer: parseIssuer(requiredField(anchor, 'issuer', anchorPath), `${anchorPath}.issuer`),
    }));
  }
  return producer;
}

const CA_FIELDS = new Set(['pem', 'identity']);
const SIGSTORE_FIELDS = new Set(['identity', 'issuer']);
const SHA256_HEX = /^[0-9a-f]{64}$/;

function parseAnchorList<T>(value: JsonValue, listPath: string, fields: ReadonlySet<string>, parse: (anchor: JsonObject, path: string) => T): T[] {
  const items = expectArray(value, listPath);
  if (items.length === 0) throw new FormatError(listPath, 'expected at least one trust anchor, got an empty array');
  const seen = new Map<string, string>();
  return items.map((item, index) => {
    const path = jsonPathChild(listPath, index);
    const anchor = expectObject(item, path);
    for (const key of Object.keys(anchor)) {
      if (!fields.has(key)) throw new FormatError(jsonPathChild(path, key), `unknown anchor field: this version reads only ${[...fields].map((field) => JSON.stringify(field)).join(' and ')}, and a constraint it cannot read would widen trust`);
    }
    const parsed = parse(anchor, path);
    const identity = JSON.stringify(parsed);
    const earlier = seen.get(identity);
    if (earlier !== undefined) throw new FormatError(path, `duplicate trust anchor (also at ${earlier})`);
    seen.set(identity, path);
    return parsed;
  });
}

/** An identity is compared exactly: no pattern, and nothing that could render as something else. */
function parseIdentity(value: JsonValue, path: string): string {
  const identity = expectNonEmptyString(value, path);
  if (identity !== identity.trim() || /[\u0000-\u001f\u007f]/.test(identity)) throw new FormatError(path, 'an identity is matched exactly: no surrounding spaces or control characters');
  return identity;
}

function parseIssuer(value: JsonValue, path: string): string {
  const issuer = parseIdentity(value, path);
  if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(issuer)) throw new FormatError(path, `expected the OIDC issuer as an https URL, got ${JSON.stringify(issuer)}`);
  return issuer;
}

function parseTrustedRootPin(value: JsonValue | undefined): { sha256: string } | undefined {
  if (value === undefined) return undefined;
  const path = '$.sigstoreTrustedRoot';
  const pin = expectObject(value, path);
  for (const key of Object.keys(pin)) {
    if (key !== 'sha256') throw new FormatError(jsonPathChild(path, key), 'unknown field: the trusted root is pinned by "sha256" alone');
  }
  const sha256 = expectNonEmptyString(requiredField(pin, 'sha256', path), `${path}.sha256`);
  if (!SHA256_HEX.test(sha256)) throw new FormatError(`${path}.sha256`, 'expected 64 lowercase hex digits (the sha256 of trusted_root.json as given)');
  return { sha256 };
}

/**
 * The shape of PEM text: armoured blocks of one label, each body canonical base64 of a DER
 * SEQUENCE, nothing else around them. What the key or certificate says is read on the host.
 */
function checkPemShape(text: string, path: string, label: 'PUBLIC KEY' | 'CERTIFICATE'): void {
  const trimmed = text.trim();
  const block = new RegExp(`-----BEGIN ${label}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n-----END ${label}-----`, 'g');
  const bodies: string[] = [];
  const rest = trimmed.replace(block, (_match, body: string) => {
    bodies.push(body);
    return '';
  });
  const expected = label === 'PUBLIC KEY' ? 'exactly one "-----BEGIN PUBLIC KEY-----" block' : 'one or more "-----BEGIN CERTIFICATE-----" blocks';
  if (bodies.length === 0 || rest.trim() !== '' || (label === 'PUBLIC KEY' && bodies.length !== 1)) throw new FormatError(path, `expected ${expected} and nothing else`);
  bodies.forEach((body) => {
    let der: Uint8Array;
    try {
      der = decodeBase64Strict(body.replace(/\r?\n/g, ''), path);
    } catch {
      throw new FormatError(path, `the ${label.toLowerCase()} block is not canonical base64`);
    }
    try {
      if (readDer(der, label).tag !== DER_TAG.SEQUENCE) throw new Error('not a SEQUENCE');
    } catch {
      throw new FormatError(path, `the ${label.toLowerCase()} block does not hold one whole DER structure (truncated or padded?)`);
    }
  });
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

import type { BoardSummary } from '../api/contract';
import { sha256 } from '../crypto/hash';
import { parsePublicKey } from '../crypto/keys';
import { decodeBase64Strict, encodeBase64Unpadded } from '../encoding/base64';
import type { BoardPolicy, BoardProducer } from '../formats/board-policy';
import { ruleChanges } from './rule-words';

/** Key IDs of the readable keys in a list; unreadable keys are reported by the trust context instead. */
function keyIdsOf(keys: readonly string[]): string[] {
  return keys.flatMap((text) => {
    try {
      return [parsePublicKey(text).keyId];
    } catch {
      return [];
    }
  });
}

/**
 * Key IDs of producer keys that are not Ed25519, as foreign reports name them: `SHA256:` over the
 * DER SubjectPublicKeyInfo of a PEM key, or the OpenSSH fingerprint of an ECDSA or RSA line.
 */
function otherKeyIdsOf(keys: readonly string[]): string[] {
  return keys.flatMap((text) => {
    const keyId = otherKeyIdOf(text);
    return keyId === null ? [] : [keyId];
  });
}

function otherKeyIdOf(text: string): string | null {
  const trimmed = text.trim();
  try {
    parsePublicKey(trimmed);
    return null;
  } catch {
    // Not Ed25519: fingerprint it below when it is another key type.
  }
  try {
    const pem = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n-----END PUBLIC KEY-----$/.exec(trimmed);
    if (pem) return `SHA256:${encodeBase64Unpadded(sha256(decodeBase64Strict(pem[1]!.replace(/\r?\n/g, ''), 'key')))}`;
    const line = /^(?:ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) ([A-Za-z0-9+/=]+)/.exec(trimmed);
    if (line) return `SHA256:${encodeBase64Unpadded(sha256(decodeBase64Strict(line[1]!, 'key')))}`;
  } catch {
    return null;
  }
  return null;
}

/** Each way a producer is trusted, for the trust view: kind, and the fingerprint or identity. */
function anchorsOf(producer: BoardProducer): ProducerAnchorSummary[] {
  return [
    ...producer.keys.flatMap((text): ProducerAnchorSummary[] => {
      const keyId = keyIdsOf([text])[0] ?? otherKeyIdOf(text);
      return [{ kind: 'key', label: keyId ?? 'unreadable key', detail: keyKindOf(text) }];
    }),
    ...(producer.certificateAuthorities ?? []).map((ca): ProducerAnchorSummary => ({ kind: 'x509-root', label: ca.identity, detail: `X.509 root ${certificateFingerprint(ca.pem)}` })),
    ...(producer.sigstore ?? []).map((id): ProducerAnchorSummary => ({ kind: 'sigstore', label: id.identity, detail: `issuer ${id.issuer}` })),
  ];
}

type ProducerAnchorSummary = NonNullable<BoardSummary['producers'][number]['anchors']>[number];

function keyKindOf(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return 'PEM public key';
  return trimmed.split(/\s/, 1)[0] ?? 'key';
}

/** sha256 over the first certificate's DER, as `openssl x509 -fingerprint -sha256` prints it (hex, colon-separated). */
function certificateFingerprint(pem: string): string {
  const body = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n-----END CERTIFICATE-----/.exec(pem);
  if (!body) return 'unreadable';
  try {
    const digest = sha256(decodeBase64Strict(body[1]!.replace(/\r?\n/g, ''), 'certificate'));
    return `SHA256 ${[...digest].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
  } catch {
    return 'unreadable';
  }
}

export function summariseBoard(policy: BoardPolicy, digest: string, importedAt: string | null): BoardSummary {
  return {
    board: policy.board,
    version: policy.version,
    digest,
    members: policy.members.map((m) => ({ name: m.name, roles: [...m.roles], keyIds: keyIdsOf(m.keys) })),
    producers: policy.producers.map((p) => ({ name: p.name, keyIds: [...keyIdsOf(p.keys), ...otherKeyIdsOf(p.keys)], anchors: anchorsOf(p) })),
    revokedKeys: [...policy.revokedKeys],
    ...(policy.sigstoreTrustedRoot ? { sigstoreTrustedRoot: { sha256: policy.sigstoreTrustedRoot.sha256, held: false } } : {}),
    rules: { ...policy.rules, rolesRequired: { ...policy.rules.rolesRequired } },
    importedAt,
  };
}

/** What importing `next` would change against `current`, in plain words, for the person to confirm. */
export function describeBoardChanges(current: BoardSummary | null, next: BoardSummary, currentRules: BoardPolicy['rules'] | null, nextRules: BoardPolicy['rules']): string[] {
  if (!current || !currentRules) return [`No board policy yet: "${next.board}" version ${next.version} becomes the trusted policy.`];
  const changes: string[] = [];
  if (current.digest === next.digest) return ['Identical to the current policy.'];
  if (current.board !== next.board) changes.push(`Board name: "${current.board}" → "${next.board}".`);
  if (current.version !== next.version) changes.push(`Version: ${current.version} → ${next.version}${next.version < current.version ? ' (older than the current one)' : ''}.`);

  const byName = <T extends { name: string }>(list: readonly T[]) => new Map(list.map((item) => [item.name, item]));
  const describeParty = (label: string, before: Map<string, { keyIds: string[]; roles?: string[] }>, after: Map<string, { keyIds: string[]; roles?: string[] }>) => {
    for (const [name, party] of after) {
      const old = before.get(name);
      if (!old) {
        changes.push(`${label} added: ${name}${party.roles ? ` (${party.roles.join(', ') || 'no roles'})` : ''}, keys ${party.keyIds.join(', ') || 'none'}.`);
        continue;
      }
      const oldRoles = (old.roles ?? []).join(', ');
      const newRoles = (party.roles ?? []).join(', ');
      if (oldRoles !== newRoles) changes.push(`${label} ${name}: roles ${oldRoles || 'none'} → ${newRoles || 'none'}.`);
      for (const keyId of party.keyIds) if (!old.keyIds.includes(keyId)) changes.push(`${label} ${name}: key added ${keyId}.`);
      for (const keyId of old.keyIds) if (!party.keyIds.includes(keyId)) changes.push(`${label} ${name}: key removed ${keyId}.`);
    }
    for (const name of before.keys()) if (!after.has(name)) changes.push(`${label} removed: ${name}.`);
  };
  describeParty('Member', byName(current.members), byName(next.members));
  describeParty('Producer', byName(current.producers), byName(next.producers));
  const anchorWords = (producer: BoardSummary['producers'][number]) => (producer.anchors ?? []).filter((anchor) => anchor.kind !== 'key').map((anchor) => `${anchor.kind} ${anchor.label} (${anchor.detail})`);
  const before = byName(current.producers);
  for (const producer of next.producers) {
    const old = before.get(producer.name);
    if (!old) continue;
    const oldAnchors = anchorWords(old);
    const newAnchors = anchorWords(producer);
    for (const anchor of newAnchors) if (!oldAnchors.includes(anchor)) changes.push(`Producer ${producer.name}: trusted also through ${anchor}.`);
    for (const anchor of oldAnchors) if (!newAnchors.includes(anchor)) changes.push(`Producer ${producer.name}: no longer trusted through ${anchor}.`);
  }
  if (current.sigstoreTrustedRoot?.sha256 !== next.sigstoreTrustedRoot?.sha256) changes.push(`Sigstore trusted root: ${current.sigstoreTrustedRoot?.sha256 ?? 'none'} → ${next.sigstoreTrustedRoot?.sha256 ?? 'none'}.`);

  for (const keyId of next.revokedKeys) if (!current.revokedKeys.includes(keyId)) changes.push(`Key revoked: ${keyId}.`);
  for (const keyId of current.revokedKeys) if (!next.revokedKeys.includes(keyId)) changes.push(`Key no longer revoked: ${keyId}.`);

  changes.push(...ruleChanges(currentRules, nextRules));
  return changes.length > 0 ? changes : ['Only formatting differs from the current policy.'];
}

import type { BoardSummary } from '../api/contract';
import { parsePublicKey } from '../crypto/keys';
import type { BoardPolicy } from '../formats/board-policy';
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

export function summariseBoard(policy: BoardPolicy, digest: string, importedAt: string | null): BoardSummary {
  return {
    board: policy.board,
    version: policy.version,
    digest,
    members: policy.members.map((m) => ({ name: m.name, roles: [...m.roles], keyIds: keyIdsOf(m.keys) })),
    producers: policy.producers.map((p) => ({ name: p.name, keyIds: keyIdsOf(p.keys) })),
    revokedKeys: [...policy.revokedKeys],
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

  for (const keyId of next.revokedKeys) if (!current.revokedKeys.includes(keyId)) changes.push(`Key revoked: ${keyId}.`);
  for (const keyId of current.revokedKeys) if (!next.revokedKeys.includes(keyId)) changes.push(`Key no longer revoked: ${keyId}.`);

  changes.push(...ruleChanges(currentRules, nextRules));
  return changes.length > 0 ? changes : ['Only formatting differs from the current policy.'];
}

import type { AuditAction, AuditVerification, BoardSummary, PinnedKey, ReviewerKey } from '../../../shared/api/contract';
import { formatCount } from '../format';

const ACTION_WORDS: Record<AuditAction, string> = {
  'key.generated': 'Key generated',
  'key.imported': 'Key imported',
  'key.removed': 'Key removed',
  'approval.made': 'Approval signed',
  'approval.imported': 'Approval imported',
  'approval.refused': 'Approval refused',
  'board.imported': 'Board policy imported',
  'trusted-root.imported': 'Sigstore trusted root imported',
  'approval.abandoned': 'Approval signed but never saved',
  'audit.tamper-detected': 'Log found changed outside Countersign',
};

/** The action in plain words; an action this version does not know (a hand-edited row) as it is stored. */
export function actionWords(action: string): string {
  return Object.hasOwn(ACTION_WORDS, action) ? ACTION_WORDS[action as AuditAction] : action;
}

/** The words for the detail fields Countersign records; another field is shown with its name spelled out. */
const DETAIL_WORDS: Readonly<Record<string, string>> = {
  decision: 'Decision',
  role: 'Role',
  reason: 'Why',
  file: 'File',
  keptAs: 'Kept as',
  name: 'Key name',
  board: 'Board',
  version: 'Version',
  digest: 'Policy digest',
  previousDigest: 'Replaced policy digest',
  alreadyHeld: 'Already held',
  begunAt: 'Begun at',
  finding: 'Found',
  comment: 'Comment',
  conditions: 'Conditions',
  expiresAt: 'Expires',
};

/** A detail field's name in words: "keptAs" → "Kept as", "some_field" → "Some field". */
export function detailLabel(key: string): string {
  if (Object.hasOwn(DETAIL_WORDS, key)) return DETAIL_WORDS[key]!;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words === '' ? key : words.charAt(0).toUpperCase() + words.slice(1);
}

/** An entry's details in one line: "Decision: approve · Role: risk · File: approval-risk.dsse.json". */
export function detailText(detail: Readonly<Record<string, unknown>>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${detailLabel(key)}: ${valueText(value)}`)
    .join(' · ');
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Who owns each key ID, as far as this machine knows: your own keys first (you named them), then the
 * board's members and producers, then pinned keys.
 */
export function keyNames(sources: {
  ownKeys?: readonly Pick<ReviewerKey, 'keyId' | 'name'>[] | undefined;
  board?: Pick<BoardSummary, 'members' | 'producers'> | null | undefined;
  pinned?: readonly Pick<PinnedKey, 'keyId' | 'name'>[] | undefined;
}): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  const add = (keyId: string, name: string) => {
    if (!names.has(keyId)) names.set(keyId, name);
  };
  for (const key of sources.ownKeys ?? []) add(key.keyId, key.name);
  for (const holder of [...(sources.board?.members ?? []), ...(sources.board?.producers ?? [])]) {
    for (const keyId of holder.keyIds) add(keyId, holder.name);
  }
  for (const key of sources.pinned ?? []) add(key.keyId, key.name);
  return names;
}

/** The short form of a sha256 hex digest shown in lists; the full one is in its title. */
export function shortDigest(hex: string): string {
  return hex.length > 12 ? `${hex.slice(0, 12)}…` : hex;
}

/** "Intact: 12 entries" or "Broken at entry #7: …". */
export function chainSummary(result: AuditVerification): string {
  if (result.ok) return `Intact: ${formatCount(result.entries, 'entry', 'entries')}`;
  return `Broken at entry #${result.firstBrokenId}: ${result.reason}`;
}

import type { BoardSummary, CommandInput, ReviewerKey } from '../../../shared/api/contract';
import type { RoleSeat } from '../../../shared/approvals/evaluation';

export type Decision = CommandInput<'approvals.approve'>['decision'];

/** What the approve / reject form holds while the person fills it in. */
export interface DecisionDraft {
  decision: Decision;
  keyId: string;
  role: string;
  comment: string;
  /** One condition per line. */
  conditions: string;
  /** A calendar date (YYYY-MM-DD) or empty for no expiry. */
  expiresOn: string;
  saveToBundle: boolean;
}

/** The board roles held by the member whose key this is; empty when the key is no member's. */
export function rolesOfKey(board: Pick<BoardSummary, 'members'> | null, keyId: string): string[] {
  return board?.members.find((member) => member.keyIds.includes(keyId))?.roles ?? [];
}

/** The member a key belongs to, by name. */
export function memberOfKey(board: Pick<BoardSummary, 'members'> | null, keyId: string): string | null {
  return board?.members.find((member) => member.keyIds.includes(keyId))?.name ?? null;
}

/** The role to suggest: one of the member's roles whose seat is still empty, else their first role. */
export function suggestRole(roles: readonly string[], seats: readonly Pick<RoleSeat, 'role' | 'filledBy'>[]): string {
  const open = roles.find((role) => seats.some((seat) => seat.role === role && seat.filledBy === null));
  return open ?? roles[0] ?? '';
}

/** A key to sign with by default: the first one that belongs to a board member, else the first. */
export function suggestKey(keys: readonly Pick<ReviewerKey, 'keyId'>[], board: Pick<BoardSummary, 'members'> | null): string {
  const member = keys.find((key) => memberOfKey(board, key.keyId) !== null);
  return (member ?? keys[0])?.keyId ?? '';
}

export function conditionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The end of the chosen day is when the approval stops counting: 00:00 UTC the day after. */
export function expiryTime(date: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return null;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (day.toISOString().slice(0, 10) !== date) return null;
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The approvals.approve input for a draft; empty optional fields are left out. */
export function approveInput(sessionId: string, draft: DecisionDraft, canSaveToBundle: boolean): CommandInput<'approvals.approve'> {
  const conditions = conditionLines(draft.conditions);
  const comment = draft.comment.trim();
  const expiresAt = draft.expiresOn === '' ? null : expiryTime(draft.expiresOn);
  return {
    sessionId,
    keyId: draft.keyId,
    decision: draft.decision,
    role: draft.role.trim(),
    saveToBundle: canSaveToBundle && draft.saveToBundle,
    ...(comment === '' ? {} : { comment }),
    ...(conditions.length === 0 ? {} : { conditions }),
    ...(expiresAt === null ? {} : { expiresAt }),
  };
}

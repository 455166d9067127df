import type { CommandInput } from '../../../shared/api/contract';

export type NoticeTarget = CommandInput<'board.notice'>['target'];

/**
 * What a notice is against, from what the person typed: `sha256:` and 64 hex digits is a subject
 * digest; anything else is a lineage node ID (at most 500 characters, as the contract takes it).
 */
export function readNoticeTarget(text: string): { target: NoticeTarget } | { problem: string } {
  const value = text.trim();
  if (value === '') return { problem: 'Give a lineage node ID or a sha256 digest.' };
  if (/^sha256:/i.test(value)) {
    const hex = value.slice('sha256:'.length);
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) return { problem: `A sha256 digest is "sha256:" and 64 hex digits; this one has ${hex.length} characters after "sha256:" or a character that is not hex.` };
    return { target: { subject: hex.toLowerCase() } };
  }
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { problem: 'Write a digest as sha256:<64 hex digits>, so that it is not taken for a lineage node ID.' };
  if (value.length > 500) return { problem: 'A lineage node ID has at most 500 characters.' };
  return { target: { node: value } };
}

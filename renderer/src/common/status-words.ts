// How each status is shown: always a word and an icon, and a tone that only adds colour.
import type { ErrorCode } from '../../../shared/api/contract';
import type { SignatureStatus, SubjectStatus, TrustSource, Verdict, Finding } from '../../../shared/verify/report';

export type Tone = 'good' | 'bad' | 'warn' | 'neutral';

export interface StatusLook {
  word: string;
  icon: string;
  tone: Tone;
}

export const VERDICT_LOOK: Record<Verdict, StatusLook> = {
  verified: { word: 'Verified', icon: '✓', tone: 'good' },
  tampered: { word: 'Tampered', icon: '✗', tone: 'bad' },
  untrusted: { word: 'Untrusted', icon: '!', tone: 'warn' },
  invalid: { word: 'Invalid', icon: '⊘', tone: 'neutral' },
};

export const SIGNATURE_LOOK: Record<SignatureStatus, StatusLook> = {
  valid: { word: 'Valid', icon: '✓', tone: 'good' },
  invalid: { word: 'Invalid', icon: '✗', tone: 'bad' },
  'unknown-key': { word: 'Unknown key', icon: '?', tone: 'warn' },
  revoked: { word: 'Revoked', icon: '⊘', tone: 'bad' },
  'not-allowed': { word: 'Not allowed', icon: '⊘', tone: 'warn' },
};

export const SUBJECT_LOOK: Record<SubjectStatus, StatusLook> = {
  ok: { word: 'OK', icon: '✓', tone: 'good' },
  mismatch: { word: 'Mismatch', icon: '✗', tone: 'bad' },
  'not-checked': { word: 'Not checked', icon: '–', tone: 'neutral' },
  missing: { word: 'Missing', icon: '✗', tone: 'bad' },
};

export const SEVERITY_LOOK: Record<Finding['severity'], StatusLook> = {
  error: { word: 'Error', icon: '✗', tone: 'bad' },
  warning: { word: 'Warning', icon: '!', tone: 'warn' },
  info: { word: 'Info', icon: 'i', tone: 'neutral' },
};

export const TRUST_SOURCE_WORDS: Record<TrustSource, string> = {
  member: 'board member',
  producer: 'producer',
  pinned: 'pinned key',
  flag: 'trust given on the command line',
};

/** The headline of a failed command, e.g. "Refused: archive entry ../evil escapes the bundle". */
export const ERROR_TITLES: Record<ErrorCode, string> = {
  'invalid-input': 'Invalid request',
  'not-found': 'Not found',
  unreadable: 'Could not read',
  'hostile-input': 'Refused',
  'invalid-format': 'Not a valid bundle',
  cancelled: 'Cancelled',
  unsupported: 'Not supported here',
  conflict: 'Not possible now',
  refused: 'Refused by the board rules',
  internal: 'Something went wrong',
};

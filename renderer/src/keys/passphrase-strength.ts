// A rough guide to how hard a passphrase is to guess, shown while a person chooses one. The key
// file's KDF slows every guess down; this only steers people away from short, guessable choices.

export type PassphraseStrength = 'empty' | 'weak' | 'fair' | 'strong';

export interface StrengthHint {
  strength: PassphraseStrength;
  /** Plain words for the person choosing. */
  hint: string;
}

const CHARACTER_POOLS: readonly { pattern: RegExp; size: number }[] = [
  { pattern: /[a-z]/, size: 26 },
  { pattern: /[A-Z]/, size: 26 },
  { pattern: /[0-9]/, size: 10 },
  { pattern: /[^a-zA-Z0-9\s]/, size: 33 },
  { pattern: /\s/, size: 1 },
];

/** An upper bound on the guessing entropy in bits: length × log2(pool of character classes used). */
export function estimateBits(passphrase: string): number {
  const characters = [...passphrase];
  if (characters.length === 0) return 0;
  const pool = CHARACTER_POOLS.reduce((sum, { pattern, size }) => (pattern.test(passphrase) ? sum + size : sum), 0);
  const distinct = new Set(characters).size;
  // "aaaaaaaaaaaa" is long but not random: count no more characters than there are distinct ones, doubled.
  const effectiveLength = Math.min(characters.length, distinct * 2);
  return effectiveLength * Math.log2(Math.max(pool, 2));
}

export function passphraseStrength(passphrase: string): StrengthHint {
  if (passphrase === '') return { strength: 'empty', hint: 'Choose a passphrase: it encrypts the private key on this machine.' };
  const bits = estimateBits(passphrase);
  if ([...passphrase].length < 12 || bits < 50) {
    return { strength: 'weak', hint: 'Weak: use at least 12 characters, for example four or more unrelated words.' };
  }
  if (bits < 80) return { strength: 'fair', hint: 'Fair: a few more words or characters would make it much harder to guess.' };
  return { strength: 'strong', hint: 'Strong.' };
}

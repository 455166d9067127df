import { describe, it, expect } from 'vitest';
import { estimateBits, passphraseStrength } from './passphrase-strength';

describe('passphraseStrength', () => {
  it('asks for a passphrase while the field is empty', () => {
    expect(passphraseStrength('').strength).toBe('empty');
  });

  it('calls short or repetitive passphrases weak', () => {
    expect(passphraseStrength('Tr0ub4dor&3').strength).toBe('weak');
    expect(passphraseStrength('aaaaaaaaaaaaaaaaaaaaaaaa').strength).toBe('weak');
    expect(passphraseStrength('password').hint).toMatch(/at least 12 characters/);
  });

  it('calls several unrelated words strong and a middling one fair', () => {
    expect(passphraseStrength('correct horse battery staple').strength).toBe('strong');
    expect(passphraseStrength('lanternmoss42').strength).toBe('fair');
  });
});

describe('estimateBits', () => {
  it('grows with length and with the character classes used', () => {
    expect(estimateBits('abcdefgh')).toBeLessThan(estimateBits('abcdefghij'));
    expect(estimateBits('abcdefgh')).toBeLessThan(estimateBits('abcdEFGH'));
    expect(estimateBits('')).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { matchPatternList, parseAllowedSigners, parseSshTime } from './allowed-signers';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('allowed signers', () => {
  it('reads principals, options in any case, quoted values and comments', () => {
    const [signer, authority] = parseAllowedSigners(
      `# team\nalice@example.com,bob Namespaces="git,review",VALID-AFTER="20240101",valid-before="20300101Z" ${KEY} alice's laptop\n"*@ca.example" cert-authority ${KEY}\n`,
      'allowed',
    );
    expect(signer).toMatchObject({ line: 2, principals: 'alice@example.com,bob', namespaces: 'git,review', certAuthority: false, keyType: 'ssh-ed25519' });
    expect(signer!.validBefore!.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(authority).toMatchObject({ line: 3, principals: '*@ca.example', certAuthority: true });
  });

  it('refuses unknown options, unterminated quotes, bad keys and impossible dates, naming the line', () => {
    expect(() => parseAllowedSigners(`alice no-touch-required ${KEY}`, 'allowed')).toThrow(/allowed line 1: unsupported option/);
    expect(() => parseAllowedSigners(`\nalice namespaces="git ${KEY}`, 'allowed')).toThrow(/line 2: an unterminated quote/);
    expect(() => parseAllowedSigners('alice ssh-ed25519 not*base64', 'allowed')).toThrow(/not valid base64/);
    expect(() => parseSshTime('20230230', 'when')).toThrow(/not a real date/);
    expect(() => parseSshTime('2023-01-01', 'when')).toThrow(/YYYYMMDD/);
  });

  it('matches principal patterns as OpenSSH does: wildcards, and a matching negation always refuses', () => {
    expect(matchPatternList('alice@example.com', '*@example.com')).toBe(true);
    expect(matchPatternList('alice', 'al?ce')).toBe(true);
    expect(matchPatternList('mallory@example.com', '*@example.com,!mallory@*')).toBe(false);
    expect(matchPatternList('bob', '!alice')).toBe(false);
    expect(matchPatternList('Alice', 'alice')).toBe(false);
    expect(matchPatternList('a'.repeat(200), `${'*a'.repeat(40)}b`)).toBe(false);
  });
});

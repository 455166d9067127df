import { describe, it, expect } from 'vitest';
import { approvalFileName, fileNamePart, publicKeyFileName, shortKeyId } from './file-names';

const ADA = 'SHA256:Kn+oQZuGHKH70rClUV1wdIVPS/eE0IEUWjYdkvfpDZi';

describe('file names', () => {
  it('names an approval file by role and the start of the key fingerprint', () => {
    expect(approvalFileName('risk', ADA)).toBe('approval-risk-knoqzugh.dsse.json');
    expect(approvalFileName('ML Lead / EU', ADA)).toBe('approval-ml-lead-eu-knoqzugh.dsse.json');
  });

  it('keeps path separators and dots out of every part', () => {
    expect(approvalFileName('../../etc', ADA)).toBe('approval-etc-knoqzugh.dsse.json');
    expect(publicKeyFileName('..')).toBe('key.pub');
    expect(fileNamePart('C:\\Users\\ada', 'x')).toBe('c-users-ada');
  });

  it('names a public key file after the key', () => {
    expect(publicKeyFileName('Ada Byron (laptop)')).toBe('ada-byron-laptop.pub');
    expect(publicKeyFileName('Zoë')).toBe('zoe.pub');
  });

  it('shortens a key ID to letters and digits only', () => {
    expect(shortKeyId(ADA)).toBe('knoqzugh');
    expect(shortKeyId('SHA256:++//', 8)).toBe('');
  });
});

import { describe, it, expect } from 'vitest';
import { keyFileProtection } from './openssh-encryption';

// Throwaway keys made with `ssh-keygen -t ed25519` for this test (the second with -N 'test passphrase').
const UNPROTECTED = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBKFSK1+fGipEkwB9sAzuPE2bwCcY3iOKg8aB5yGcuIuQAAAIjkjjlL5I45
SwAAAAtzc2gtZWQyNTUxOQAAACBKFSK1+fGipEkwB9sAzuPE2bwCcY3iOKg8aB5yGcuIuQ
AAAECReFVJBa7yqJ6MC+u0BO7NyIJM8p6qR6R4AKLCN5YV0koVIrX58aKkSTAH2wDO48TZ
vAJxjeI4qDxoHnIZy4i5AAAABXBsYWlu
-----END OPENSSH PRIVATE KEY-----
`;
const PROTECTED = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABDgFvWRTL
zOLfriOU7yJb8mAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIH8eVnJT+w7NLJl6
2tE2CCPzR16gTEFRl847dBI7DFMfAAAAkD/tibx2HUNtvzXf83AV5Xomhg2qtPCRrkwwIe
9Gdt89VMmc8ievj6xygIqDRnWeyubV2lG/pbNZpPCyziPwAYLDEmmWtnfZ74k61Z2O/PQr
zkxX7DMcy0Sx1x0L8OkqH68ZYD0OFbFqPSi18jEG5iOCCfWROPAq7K7unhMtgUD7zxLt5g
x9EitSWAbr6Shx5g==
-----END OPENSSH PRIVATE KEY-----
`;

describe('keyFileProtection', () => {
  it('tells a passphrase-protected ssh-keygen key from an unprotected one', () => {
    expect(keyFileProtection(UNPROTECTED)).toBe('none');
    expect(keyFileProtection(PROTECTED)).toBe('passphrase');
  });

  it('reads a key pasted with Windows line ends or surrounding blank lines', () => {
    expect(keyFileProtection(`\n\n${PROTECTED.replaceAll('\n', '\r\n')}\n`)).toBe('passphrase');
  });

  it('says unknown for text that is not an OpenSSH private key', () => {
    expect(keyFileProtection('')).toBe('unknown');
    expect(keyFileProtection('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKnoQZuGHKH70rClUV1wdIVPS+eE0IEUWjYdkvfpDZiZ ada')).toBe('unknown');
    expect(keyFileProtection('-----BEGIN OPENSSH PRIVATE KEY-----\nnot base64!\n-----END OPENSSH PRIVATE KEY-----')).toBe('unknown');
    expect(keyFileProtection('-----BEGIN OPENSSH PRIVATE KEY-----\naGVsbG8=\n-----END OPENSSH PRIVATE KEY-----')).toBe('unknown');
  });
});

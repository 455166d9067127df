import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyIdOf, parsePublicKey } from '../../../shared/crypto/keys';
import { publicKeyFromSeed } from '../../../shared/crypto/ed25519';
import { inspectOpenSshPrivateKey, OpenSshKeyError, OpenSshPassphraseError, parseOpenSshPrivateKey } from './openssh-private-key';

/** The key file and passphrase as the bytes the parser takes. */
function parse(text: string, passphrase: string) {
  return parseOpenSshPrivateKey(Buffer.from(text, 'utf8'), Buffer.from(passphrase, 'utf8'));
}

let dir: string;

/** Runs ssh-keygen and returns the private key file's text and the .pub line. */
function sshKeygen(name: string, args: string[]): { privateText: string; publicLine: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-f', file, ...args]);
  return { privateText: fs.readFileSync(file, 'utf8'), publicLine: fs.readFileSync(`${file}.pub`, 'utf8') };
}

/** The binary body of an armored OpenSSH key, and a way to armor edited bytes again. */
function body(privateText: string): Buffer {
  return Buffer.from(privateText.split('\n').slice(1, -2).join(''), 'base64');
}
function armor(bytes: Uint8Array): string {
  const lines = Buffer.from(bytes).toString('base64').match(/.{1,70}/g)!;
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

let plain: { privateText: string; publicLine: string };
let encrypted: { privateText: string; publicLine: string };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-openssh-'));
  plain = sshKeygen('plain', ['-t', 'ed25519', '-N', '', '-C', 'ada@example']);
  encrypted = sshKeygen('encrypted', ['-t', 'ed25519', '-N', 'secret', '-C', 'bea@example']);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('parseOpenSshPrivateKey', () => {
  it('reads an unencrypted ssh-keygen ed25519 key: the seed derives the .pub key', () => {
    const key = parse(plain.privateText, '');
    const expected = parsePublicKey(plain.publicLine).publicKey;
    expect(Array.from(key.publicKey)).toEqual(Array.from(expected));
    expect(Array.from(publicKeyFromSeed(key.seed))).toEqual(Array.from(expected));
    expect(key.comment).toBe('ada@example');
  });

  it('ignores a passphrase given for an unencrypted key', () => {
    expect(parse(plain.privateText, 'anything').comment).toBe('ada@example');
  });

  it('decrypts a passphrase-protected key (bcrypt-pbkdf, aes256-ctr)', () => {
    const key = parse(encrypted.privateText, 'secret');
    expect(Array.from(publicKeyFromSeed(key.seed))).toEqual(Array.from(parsePublicKey(encrypted.publicLine).publicKey));
    expect(key.comment).toBe('bea@example');
  });

  it('reports a wrong passphrase as such, with the public key it was for', () => {
    let caught: unknown;
    try {
      parse(encrypted.privateText, 'not the secret');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OpenSshPassphraseError);
    expect(keyIdOf((caught as OpenSshPassphraseError).publicKey)).toBe(parsePublicKey(encrypted.publicLine).keyId);
  });

  it('asks for the passphrase when none is given for an encrypted key', () => {
    expect(() => parse(encrypted.privateText, '')).toThrow(/passphrase-protected; give its passphrase/);
  });

  it('refuses RSA and ECDSA keys, in the OpenSSH and the PEM formats', () => {
    const rsa = sshKeygen('rsa', ['-t', 'rsa', '-b', '2048', '-N', '']);
    expect(() => parse(rsa.privateText, '')).toThrow(/'ssh-rsa' key; Countersign keys are Ed25519/);
    const ecdsa = sshKeygen('ecdsa', ['-t', 'ecdsa', '-N', '']);
    expect(() => parse(ecdsa.privateText, '')).toThrow(/'ecdsa-sha2-nistp256' key/);
    const rsaPem = sshKeygen('rsa-pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '']);
    expect(() => parse(rsaPem.privateText, '')).toThrow(/an RSA private key/);
  });

  it('refuses ciphers other than aes256-ctr, naming the cipher', () => {
    const gcm = sshKeygen('gcm', ['-t', 'ed25519', '-N', 'secret', '-Z', 'aes256-gcm@openssh.com']);
    expect(() => parse(gcm.privateText, 'secret')).toThrow(/encrypted with 'aes256-gcm@openssh.com', which is not supported/);
  });

  it('refuses a public key file and text that is not a key', () => {
    expect(() => parse(plain.publicLine, '')).toThrow(OpenSshKeyError);
    expect(() => parse('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', '')).toThrow(/'PRIVATE KEY' PEM block/);
  });

  describe('checks the binary layout strictly', () => {
    // The unencrypted private section starts right after the public key blob; offsets from its end.
    const edit = (change: (bytes: Buffer) => void): string => {
      const bytes = body(plain.privateText);
      change(bytes);
      return armor(bytes);
    };
    const privateSectionOffset = (bytes: Buffer): number => {
      // magic(15) + "none"(4+4) + "none"(4+4) + ""(4) + count(4) + public blob(4+51) + section length(4)
      expect(bytes.readUInt32BE(15 + 8 + 8 + 4 + 4)).toBe(51);
      return 15 + 8 + 8 + 4 + 4 + 4 + 51 + 4;
    };

    it('different check integers', () => {
      const text = edit((bytes) => {
        const at = privateSectionOffset(bytes);
        bytes[at + 4] = bytes[at + 4]! ^ 1;
      });
      expect(() => parse(text, '')).toThrow(/check integers .* differ/);
    });

    it('a private part that does not end with the public key', () => {
      const text = edit((bytes) => {
        // checkints(8) + type(4+11) + public(4+32) + private length(4) + seed(32): the public half.
        const at = privateSectionOffset(bytes) + 8 + 15 + 36 + 4 + 32;
        bytes[at] = bytes[at]! ^ 1;
      });
      expect(() => parse(text, '')).toThrow(/second half of the private key is not the public key/);
    });

    it('a seed that is not the public key’s', () => {
      const text = edit((bytes) => {
        const at = privateSectionOffset(bytes) + 8 + 15 + 36 + 4;
        bytes[at] = bytes[at]! ^ 1;
      });
      expect(() => parse(text, '')).toThrow(/does not belong to the public key/);
    });

    it('padding that is not 1, 2, 3, ...', () => {
      const text = edit((bytes) => {
        bytes[bytes.length - 1] = 9;
      });
      expect(() => parse(text, '')).toThrow(/padding byte/);
    });

    it('more than one key', () => {
      const text = edit((bytes) => bytes.writeUInt32BE(2, 15 + 8 + 8 + 4));
      expect(() => parse(text, '')).toThrow(/holds 2 keys/);
    });

    it('a truncated file', () => {
      const bytes = body(plain.privateText);
      expect(() => parse(armor(bytes.subarray(0, bytes.length - 20)), '')).toThrow(/ends inside/);
    });
  });

  it('reads the file as bytes, CRLF line ends included, and leaves the caller’s bytes as they were', () => {
    const file = Buffer.from(plain.privateText.replace(/\n/g, '\r\n'), 'utf8');
    const copy = Buffer.from(file);
    expect(keyIdOf(parseOpenSshPrivateKey(file, new Uint8Array()).publicKey)).toBe(parsePublicKey(plain.publicLine).keyId);
    expect(file.equals(copy)).toBe(true);
  });

  it('accepts only the canonical padded base64 of the body', () => {
    const lines = plain.privateText.trimEnd().split('\n');
    const bodyText = lines.slice(1, -1).join('');
    const rearmor = (text: string) => [lines[0], text, lines.at(-1), ''].join('\n');
    expect(() => parse(rearmor(bodyText.replace(/=+$/, '')), '')).toThrow(/not padded standard base64/);
    expect(() => parse(rearmor(bodyText.slice(0, 8) + '-' + bodyText.slice(9)), '')).toThrow(/unexpected byte 0x2d/);
    expect(() => parse(rearmor(bodyText.slice(0, 8) + '=' + bodyText.slice(9)), '')).toThrow(/padding in the middle/);
    // The last character before the padding carries unused bits; a non-zero one spells the same bytes differently.
    const padAt = bodyText.search(/=+$/);
    if (padAt > 0) {
      const last = bodyText[padAt - 1]!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const changed = alphabet[alphabet.indexOf(last) ^ 1]!;
      expect(() => parse(rearmor(bodyText.slice(0, padAt - 1) + changed + bodyText.slice(padAt)), '')).toThrow(/non-zero unused bits/);
    }
    expect(parse(rearmor(bodyText), '').comment).toBe('ada@example');
  });

  it('tells, without a passphrase, the public key of a file and whether it is protected', () => {
    expect(inspectOpenSshPrivateKey(Buffer.from(plain.privateText))).toMatchObject({ protection: 'none' });
    const inspected = inspectOpenSshPrivateKey(Buffer.from(encrypted.privateText));
    expect(inspected.protection).toBe('passphrase');
    expect(keyIdOf(inspected.publicKey)).toBe(parsePublicKey(encrypted.publicLine).keyId);
  });
});

import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../formats/format-error';
import { hexToBytesStrict } from '../encoding/hex';
import { generateSeed, publicKeyFromSeed } from './ed25519';
import { keyIdOf, parsePublicKey, toOpenSshLine, toPem } from './keys';

const workDir = mkdtempSync(join(tmpdir(), 'countersign-keys-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function sshKeygenFingerprint(pubPath: string): string {
  // "256 SHA256:uNC0LF/2/1sAGEw90zJMMx4FgRLyRzJSCjwXvMu6kBU test (ED25519)"
  const fingerprint = run('ssh-keygen', ['-lf', pubPath]).split(' ')[1];
  expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  return fingerprint!;
}

function newSshKeygenKey(name: string, comment: string): { pubPath: string; line: string } {
  const keyPath = join(workDir, name);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', keyPath]);
  return { pubPath: `${keyPath}.pub`, line: readFileSync(`${keyPath}.pub`, 'utf8') };
}

/** The SSH wire blob `string "ssh-ed25519" || string key`, built independently of keys.ts. */
function sshBlob(keyType: string, key: Uint8Array, trailing: Uint8Array = new Uint8Array()): Buffer {
  const sshString = (bytes: Uint8Array) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([sshString(Buffer.from(keyType)), sshString(key), trailing]);
}

const rawKeyOfSshLine = (line: string) => Buffer.from(line.split(' ')[1]!, 'base64').subarray(-32);

function expectFormatError(text: string, reason: RegExp): void {
  let caught: unknown;
  try {
    parsePublicKey(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FormatError);
  expect((caught as FormatError).path).toBe('public key');
  expect((caught as FormatError).reason).toMatch(reason);
}

describe('key IDs match ssh-keygen', () => {
  it('for an OpenSSH line made by ssh-keygen', () => {
    const { pubPath, line } = newSshKeygenKey('alice', 'alice@laptop');
    const info = parsePublicKey(line);
    expect(info.keyId).toBe(sshKeygenFingerprint(pubPath));
    expect(keyIdOf(info.publicKey)).toBe(info.keyId);
    expect(info.comment).toBe('alice@laptop');
    expect(info.openssh).toBe(line.trim().replace(/ alice@laptop$/, ''));
    expect(toOpenSshLine(info.publicKey, 'alice@laptop')).toBe(line.trim());
  });

  it('for the same key as PEM, written by OpenSSL from the raw key', () => {
    // ssh-keygen 9.2 (Debian 12) refuses `-e -m PKCS8` for Ed25519 keys, so OpenSSL writes the PEM here.
    const { pubPath, line } = newSshKeygenKey('bob', 'test');
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: rawKeyOfSshLine(line).toString('base64url') };
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    const info = parsePublicKey(pem);
    expect(info.keyId).toBe(sshKeygenFingerprint(pubPath));
    expect(info.comment).toBeNull();
    expect(toPem(info.publicKey)).toBe(pem);
  });

  it('for a key made by openssl genpkey', () => {
    const privatePath = join(workDir, 'carol.pem');
    run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', privatePath]);
    const pem = run('openssl', ['pkey', '-in', privatePath, '-pubout']);
    const info = parsePublicKey(pem);
    expect(toPem(info.publicKey)).toBe(pem);

    const rawKey = Buffer.from(createPublicKey(pem).export({ format: 'jwk' }).x ?? '', 'base64url');
    const pubPath = join(workDir, 'carol.pub');
    writeFileSync(pubPath, `ssh-ed25519 ${sshBlob('ssh-ed25519', rawKey).toString('base64')} carol\n`);
    expect(info.keyId).toBe(sshKeygenFingerprint(pubPath));
  });

  it('writes PEM that openssl reads back unchanged', () => {
    const pem = toPem(publicKeyFromSeed(generateSeed()));
    const pemPath = join(workDir, 'ours.pem');
    writeFileSync(pemPath, pem);
    expect(run('openssl', ['pkey', '-pubin', '-in', pemPath, '-pubout'])).toBe(pem);
  });

  it('writes OpenSSH lines that ssh-keygen reads back', () => {
    const publicKey = publicKeyFromSeed(generateSeed());
    const pubPath = join(workDir, 'ours.pub');
    writeFileSync(pubPath, `${toOpenSshLine(publicKey, 'ours')}\n`);
    expect(sshKeygenFingerprint(pubPath)).toBe(keyIdOf(publicKey));
  });
});

describe('parsePublicKey accepts', () => {
  const publicKey = publicKeyFromSeed(generateSeed());
  const blob = sshBlob('ssh-ed25519', publicKey).toString('base64');

  it('a line without comment, a comment with spaces, surrounding whitespace and CRLF PEM', () => {
    expect(parsePublicKey(`ssh-ed25519 ${blob}`).comment).toBeNull();
    expect(parsePublicKey(`  ssh-ed25519 ${blob}  Ada Byron (laptop)\n`).comment).toBe('Ada Byron (laptop)');
    expect(parsePublicKey(toPem(publicKey).replace(/\n/g, '\r\n')).publicKey).toEqual(publicKey);
  });
});

describe('parsePublicKey refuses', () => {
  const publicKey = publicKeyFromSeed(generateSeed());
  const line = (blob: Buffer, type = 'ssh-ed25519') => `${type} ${blob.toString('base64')} test`;
  const pem = (der: Buffer) => `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
  const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
  const identityPoint = hexToBytesStrict('0100000000000000000000000000000000000000000000000000000000000000', 'identity');
  const order8Point = hexToBytesStrict('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'order 8');
  const yAboveP = hexToBytesStrict('f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'y = p + 3');

  it('other key types', () => {
    expectFormatError(line(sshBlob('ssh-rsa', publicKey), 'ssh-rsa'), /unsupported key type 'ssh-rsa'/);
    expectFormatError(line(sshBlob('ssh-rsa', publicKey)), /blob says its type is 'ssh-rsa'/);
  });

  it('blobs of the wrong shape', () => {
    expectFormatError(line(sshBlob('ssh-ed25519', publicKey.subarray(0, 31))), /31 bytes, expected 32/);
    expectFormatError(line(sshBlob('ssh-ed25519', publicKey, new Uint8Array([0]))), /1 unexpected bytes after the key/);
    expectFormatError(line(sshBlob('ssh-ed25519', publicKey).subarray(0, 40)), /ends inside the Ed25519 key/);
    expectFormatError(line(sshBlob('ssh-ed25519', publicKey).subarray(0, 17)), /ends before the Ed25519 key length/);
  });

  it('non-canonical base64 in the line', () => {
    // The RFC 8032 test key, whose blob spells a '+' in standard base64.
    const rfcKey = hexToBytesStrict('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'RFC 8032 key');
    const urlSafe = sshBlob('ssh-ed25519', rfcKey).toString('base64url');
    expect(urlSafe).toContain('-');
    expectFormatError(`ssh-ed25519 ${urlSafe}`, /not padded standard base64/);
    const blob = sshBlob('ssh-ed25519', publicKey).toString('base64');
    expectFormatError(`ssh-ed25519 ${blob.slice(0, 10)}!${blob.slice(11)}`, /not valid base64 \(unexpected character '!'/);
  });

  it('small-order and non-canonical keys, in either encoding', () => {
    for (const badKey of [identityPoint, order8Point]) {
      expectFormatError(line(sshBlob('ssh-ed25519', badKey)), /unacceptable Ed25519 key: a small-order point/);
      expectFormatError(pem(Buffer.concat([spkiPrefix, badKey])), /small-order point/);
    }
    expectFormatError(line(sshBlob('ssh-ed25519', yAboveP)), /not a canonical point encoding/);
  });

  it('PEM that is not exactly an Ed25519 SubjectPublicKeyInfo', () => {
    const x25519Prefix = Buffer.from('302a300506032b656e032100', 'hex');
    expectFormatError(pem(Buffer.concat([x25519Prefix, publicKey])), /not an Ed25519 SubjectPublicKeyInfo/);
    expectFormatError(pem(Buffer.concat([spkiPrefix, publicKey, Buffer.from([0])])), /not an Ed25519 SubjectPublicKeyInfo/);
    expectFormatError(pem(Buffer.concat([spkiPrefix, publicKey.subarray(1)])), /not an Ed25519 SubjectPublicKeyInfo/);
    expectFormatError(toPem(publicKey).replace('PUBLIC KEY-----\n', 'CERTIFICATE-----\n'), /unsupported PEM block/);
    expectFormatError(toPem(publicKey).replace('-----END PUBLIC KEY-----\n', ''), /no '-----END PUBLIC KEY-----' line/);
    expectFormatError(`${toPem(publicKey)}extra`, /unexpected text after/);
  });

  it('private keys, with a hint', () => {
    expectFormatError('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n', /this is a private key/);
  });

  it('text that is not a key', () => {
    expectFormatError('', /not an OpenSSH public key line/);
    expectFormatError('ssh-ed25519', /not an OpenSSH public key line/);
    expectFormatError(`${line(sshBlob('ssh-ed25519', publicKey))}\n${line(sshBlob('ssh-ed25519', publicKey))}`, /several lines/);
  });
});

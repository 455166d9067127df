import { describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTrustedPublicKey } from './public-keys';

const pem = (key: { publicKey: { export: (o: { type: 'spki'; format: 'pem' }) => string | Buffer } }) => key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('parseTrustedPublicKey', () => {
  it('reads PEM keys of each accepted kind, keyed by SHA-256 over the DER SubjectPublicKeyInfo', () => {
    for (const [curve, algorithm] of [['P-256', 'ecdsa-p256'], ['P-384', 'ecdsa-p384'], ['P-521', 'ecdsa-p521']] as const) {
      const pair = generateKeyPairSync('ec', { namedCurve: curve });
      const key = parseTrustedPublicKey(pem(pair), 'k', 'k', 'flag');
      const der = pair.publicKey.export({ type: 'spki', format: 'der' });
      expect(key).toMatchObject({ algorithm, keyId: `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}` });
    }
    expect(parseTrustedPublicKey(pem(generateKeyPairSync('ed25519')), 'k', 'k', 'flag').algorithm).toBe('ed25519');
    expect(parseTrustedPublicKey(pem(generateKeyPairSync('rsa', { modulusLength: 2048 })), 'k', 'k', 'flag').algorithm).toBe('rsa');
  });

  it('keys an OpenSSH line by the fingerprint ssh-keygen prints', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-keys-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '521', '-N', '', '-f', path.join(dir, 'k')]);
      const line = fs.readFileSync(path.join(dir, 'k.pub'), 'utf8');
      const fingerprint = execFileSync('ssh-keygen', ['-lf', path.join(dir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1];
      expect(parseTrustedPublicKey(line, 'k', 'k', 'flag')).toMatchObject({ algorithm: 'ecdsa-p521', keyId: fingerprint });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses private keys, certificates, several keys, other curves, weak RSA and a line whose type lies', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => parseTrustedPublicKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'k', 'k', 'flag')).toThrow(/private key/);
    expect(() => parseTrustedPublicKey('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'k', 'k', 'flag')).toThrow(/--ca/);
    expect(() => parseTrustedPublicKey(pem(pair) + pem(pair), 'k', 'k', 'flag')).toThrow(/exactly one/);
    expect(() => parseTrustedPublicKey(pem(generateKeyPairSync('ec', { namedCurve: 'secp256k1' })), 'k', 'k', 'flag')).toThrow(/unsupported EC curve/);
    expect(() => parseTrustedPublicKey(pem(generateKeyPairSync('rsa', { modulusLength: 1024 })), 'k', 'k', 'flag')).toThrow(/too weak/);
    const ed = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    expect(() => parseTrustedPublicKey(`ssh-rsa ${ed}`, 'k', 'k', 'flag')).toThrow(/the line says "ssh-rsa"/);
    expect(() => parseTrustedPublicKey(`ssh-ed25519 ${ed}\nssh-ed25519 ${ed}`, 'k', 'k', 'flag')).toThrow(/2 key lines/);
    expect(() => parseTrustedPublicKey('', 'k', 'k', 'flag')).toThrow(/empty/);
  });
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { publicKeyFromSeed } from '../../shared/crypto/ed25519';
import { sha256 } from '../../shared/crypto/hash';
import { toOpenSshLine } from '../../shared/crypto/keys';
import { parseOpenSshPrivateKey } from '../services/keys/openssh-private-key';
import { toOpenSshPrivateKeyFile } from './openssh-private-key-file';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-demo-key-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const seed = sha256(new TextEncoder().encode('a test seed'));
const publicKey = publicKeyFromSeed(seed);

describe('toOpenSshPrivateKeyFile', () => {
  it('writes a file ssh-keygen reads back to the same public key', () => {
    const file = path.join(dir, 'test.key');
    fs.writeFileSync(file, toOpenSshPrivateKeyFile(seed, publicKey, 'test@example'), { mode: 0o600 });
    const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
    expect(derived.split(' ').slice(0, 2).join(' ')).toBe(toOpenSshLine(publicKey));
  });

  it('imports with the seed and comment it was made from', () => {
    const parsed = parseOpenSshPrivateKey(Buffer.from(toOpenSshPrivateKeyFile(seed, publicKey, 'test@example')), new Uint8Array());
    expect(Buffer.from(parsed.seed).equals(Buffer.from(seed))).toBe(true);
    expect(parsed.comment).toBe('test@example');
  });

  it('gives the same bytes every time', () => {
    expect(toOpenSshPrivateKeyFile(seed, publicKey, 'a')).toBe(toOpenSshPrivateKeyFile(seed, publicKey, 'a'));
  });
});

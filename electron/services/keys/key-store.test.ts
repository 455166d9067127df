import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyEd25519Strict } from '../../../shared/crypto/ed25519';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { openStore, type Store } from '../store/store';
import { DEFAULT_IDLE_LOCK_MS, KeyLockedError, KeyProtectionError, KeyStore, UnknownKeyError, WrongPassphraseError } from './key-store';
import { parseOpenSshPrivateKey } from './openssh-private-key';

// Every seed the key store generates is recorded here, so the test knows what must never reach a file.
const generatedSeeds = vi.hoisted(() => [] as Uint8Array[]);
vi.mock('../../../shared/crypto/ed25519', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/crypto/ed25519')>();
  return {
    ...actual,
    generateSeed: () => {
      const seed = actual.generateSeed();
      generatedSeeds.push(seed.slice());
      return seed;
    },
  };
});

const PASSPHRASE = 'correct horse battery staple';
const message = new TextEncoder().encode('release fraud-detector@m92');

let keyDir: string;
const dataDirs: string[] = [];
const stores: Store[] = [];

function freshStore(options: { now?: () => number } = {}): Store {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-keys-'));
  dataDirs.push(dataDir);
  const store = openStore(dataDir);
  stores.push(store);
  return options.now ? { ...store, keys: new KeyStore(store.db, options) } : store;
}

interface SshKeygenKey {
  privateText: string;
  publicLine: string;
  /** What `ssh-keygen -lf` prints as the fingerprint. */
  fingerprint: string;
}

function sshKeygen(name: string, args: string[]): SshKeygenKey {
  const file = path.join(keyDir, name);
  execFileSync('ssh-keygen', ['-q', '-f', file, ...args]);
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { privateText: fs.readFileSync(file, 'utf8'), publicLine: fs.readFileSync(`${file}.pub`, 'utf8'), fingerprint };
}

let plain: SshKeygenKey;
let encrypted: SshKeygenKey;

beforeAll(() => {
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-sshkeys-'));
  plain = sshKeygen('k', ['-t', 'ed25519', '-N', '']);
  encrypted = sshKeygen('k2', ['-t', 'ed25519', '-N', 'secret']);
});

afterEach(() => {
  for (const store of stores.splice(0)) if (store.db.open) store.close();
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

afterAll(() => fs.rmSync(keyDir, { recursive: true, force: true }));

function verifies(signature: Uint8Array, publicKeyLine: string): boolean {
  return verifyEd25519Strict(signature, message, parsePublicKey(publicKeyLine).publicKey);
}

describe('KeyStore', () => {
  it('generates a key that is locked until unlocked, then signs what its public key verifies', () => {
    const { keys } = freshStore();
    const info = keys.generate('Ada Lovelace', PASSPHRASE);
    expect(info).toMatchObject({ name: 'Ada Lovelace', origin: 'generated' });
    expect(info.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ Ada Lovelace$/);
    expect(parsePublicKey(info.publicKey).keyId).toBe(info.keyId);
    expect(keys.list()).toEqual([info]);
    expect(keys.exportPublic(info.keyId)).toBe(info.publicKey);

    expect(keys.isUnlocked(info.keyId)).toBe(false);
    expect(() => keys.sign(info.keyId, message)).toThrow(KeyLockedError);
    keys.unlock(info.keyId, PASSPHRASE);
    expect(keys.isUnlocked(info.keyId)).toBe(true);
    expect(verifies(keys.sign(info.keyId, message), info.publicKey)).toBe(true);
  });

  it('reports a wrong passphrase as an authenticated failure naming the key', () => {
    const { keys } = freshStore();
    const info = keys.generate('Ada', PASSPHRASE);
    expect(() => keys.unlock(info.keyId, 'Correct horse battery staple')).toThrow(new WrongPassphraseError('Ada', info.keyId));
    expect(() => keys.unlock(info.keyId, 'Correct horse battery staple')).toThrow(`Wrong passphrase for key Ada (${info.keyId}).`);
    expect(keys.isUnlocked(info.keyId)).toBe(false);
  });

  it('locks one key or all, and forgets removed keys', () => {
    const { keys } = freshStore();
    const a = keys.generate('Ada', PASSPHRASE);
    const b = keys.generate('Bea', PASSPHRASE);
    keys.unlock(a.keyId, PASSPHRASE);
    keys.unlock(b.keyId, PASSPHRASE);
    keys.lock(a.keyId);
    expect([keys.isUnlocked(a.keyId), keys.isUnlocked(b.keyId)]).toEqual([false, true]);
    keys.lock();
    expect(keys.isUnlocked(b.keyId)).toBe(false);
    expect(() => keys.sign(b.keyId, message)).toThrow(/Key Bea \(SHA256:.+\) is locked; unlock it with its passphrase first/);

    keys.unlock(b.keyId, PASSPHRASE);
    expect(keys.remove(b.keyId)).toBe(true);
    expect(keys.remove(b.keyId)).toBe(false);
    expect(keys.isUnlocked(b.keyId)).toBe(false);
    expect(() => keys.sign(b.keyId, message)).toThrow(UnknownKeyError);
    expect(keys.list().map((key) => key.name)).toEqual(['Ada']);
  });

  it('refuses an empty passphrase, a blank name and a name with a line break', () => {
    const { keys } = freshStore();
    expect(() => keys.generate('Ada', '')).toThrow(/passphrase is required/);
    expect(() => keys.generate('  ', PASSPHRASE)).toThrow(/needs a name/);
    expect(() => keys.generate('Ada\nEvil', PASSPHRASE)).toThrow(/control characters or line breaks/);
    expect(keys.list()).toEqual([]);
  });

  describe('refuses stored protection parameters out of range, before deriving anything', () => {
    // One key for all cases (sealing costs a full scrypt); each case edits its row, then restores it.
    let store: Store;
    let keyId: string;
    beforeAll(() => {
      store = openStore(fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-keys-')));
      keyId = store.keys.generate('Ada', PASSPHRASE).keyId;
    });
    afterAll(() => {
      store.close();
      fs.rmSync(path.dirname(store.db.name), { recursive: true, force: true });
    });

    const cases: [string, { kdf?: string; salt?: Buffer }, RegExp][] = [
      ['N below 2^14', { kdf: '{"kdf":"scrypt","N":1024,"r":8,"p":1}' }, /N=1024 is outside 2\^14..2\^20/],
      ['N not a power of two', { kdf: '{"kdf":"scrypt","N":100000,"r":8,"p":1}' }, /N=100000 is not a power of two/],
      ['N above 2^20', { kdf: '{"kdf":"scrypt","N":2097152,"r":8,"p":1}' }, /outside 2\^14..2\^20/],
      ['r too small', { kdf: '{"kdf":"scrypt","N":131072,"r":1,"p":1}' }, /r=1 is outside 8..16/],
      ['p too large', { kdf: '{"kdf":"scrypt","N":131072,"r":8,"p":64}' }, /p=64 is outside 1..4/],
      ['more than 1 GiB of memory', { kdf: '{"kdf":"scrypt","N":1048576,"r":16,"p":1}' }, /more than 1 GiB/],
      ['another KDF', { kdf: '{"kdf":"pbkdf2","N":131072,"r":8,"p":1}' }, /unsupported key-derivation function "pbkdf2"/],
      ['an unknown parameter', { kdf: '{"kdf":"scrypt","N":131072,"r":8,"p":1,"maxmem":1}' }, /unknown key-derivation parameters: maxmem/],
      ['a duplicated parameter', { kdf: '{"kdf":"scrypt","N":131072,"N":16,"r":8,"p":1}' }, /not valid JSON/],
      ['a short salt', { salt: Buffer.alloc(8) }, /salt is 8 bytes/],
    ];
    it.each(cases)('%s', (_label, tampered, reason) => {
      const original = store.db.prepare('SELECT kdf, salt FROM keys WHERE key_id = ?').get(keyId) as { kdf: string; salt: Buffer };
      const kdf = tampered.kdf ?? original.kdf;
      const salt = tampered.salt ?? original.salt;
      store.db.prepare('UPDATE keys SET kdf = ?, salt = ? WHERE key_id = ?').run(kdf, salt, keyId);
      try {
        expect(() => store.keys.unlock(keyId, PASSPHRASE)).toThrow(KeyProtectionError);
        expect(() => store.keys.unlock(keyId, PASSPHRASE)).toThrow(reason);
        expect(store.keys.isUnlocked(keyId)).toBe(false);
      } finally {
        store.db.prepare('UPDATE keys SET kdf = ?, salt = ? WHERE key_id = ?').run(original.kdf, original.salt, keyId);
      }
    });

    it('and still opens the restored row', () => {
      store.keys.unlock(keyId, PASSPHRASE);
      expect(store.keys.isUnlocked(keyId)).toBe(true);
    });
  });

  it('does not open a sealed seed moved into another key’s row (the key ID is authenticated)', () => {
    const store = freshStore();
    const a = store.keys.generate('Ada', PASSPHRASE);
    const b = store.keys.generate('Bea', PASSPHRASE);
    store.db
      .prepare('UPDATE keys SET (kdf, salt, nonce, ciphertext) = (SELECT kdf, salt, nonce, ciphertext FROM keys WHERE key_id = ?) WHERE key_id = ?')
      .run(a.keyId, b.keyId);
    expect(() => store.keys.unlock(b.keyId, PASSPHRASE)).toThrow(WrongPassphraseError);
  });

  describe('OpenSSH import', () => {
    it('imports an unencrypted ssh-keygen key: same key ID as ssh-keygen -lf, signatures verify under the .pub key', () => {
      const { keys } = freshStore();
      const info = keys.importOpenSsh(plain.privateText, 'Ada laptop', PASSPHRASE);
      expect(info).toMatchObject({ keyId: plain.fingerprint, origin: 'imported', name: 'Ada laptop' });
      keys.unlock(info.keyId, PASSPHRASE);
      expect(verifies(keys.sign(info.keyId, message), plain.publicLine)).toBe(true);
    });

    it('imports a passphrase-protected ssh-keygen key and keeps it under the same passphrase', () => {
      const { keys } = freshStore();
      const info = keys.importOpenSsh(encrypted.privateText, 'Bea', 'secret');
      expect(info.keyId).toBe(encrypted.fingerprint);
      expect(() => keys.unlock(info.keyId, 'Secret')).toThrow(WrongPassphraseError);
      keys.unlock(info.keyId, 'secret');
      expect(verifies(keys.sign(info.keyId, message), encrypted.publicLine)).toBe(true);
    });

    it('says the OpenSSH passphrase is wrong, naming the key, and stores nothing', () => {
      const { keys } = freshStore();
      expect(() => keys.importOpenSsh(encrypted.privateText, 'Bea', 'wrong')).toThrow(`Wrong passphrase for key Bea (${encrypted.fingerprint}).`);
      expect(keys.list()).toEqual([]);
    });

    it('refuses an RSA key', () => {
      const { keys } = freshStore();
      const rsa = sshKeygen('rsa', ['-t', 'rsa', '-b', '2048', '-N', '']);
      expect(() => keys.importOpenSsh(rsa.privateText, 'Old', PASSPHRASE)).toThrow(/'ssh-rsa' key; Countersign keys are Ed25519/);
      expect(keys.list()).toEqual([]);
    });

    it('refuses a key already stored, naming it', () => {
      const { keys } = freshStore();
      keys.importOpenSsh(plain.privateText, 'Ada', PASSPHRASE);
      expect(() => keys.importOpenSsh(plain.privateText, 'Ada again', PASSPHRASE)).toThrow(`Key ${plain.fingerprint} is already stored, as Ada.`);
    });
  });

  describe('idle lock', () => {
    it('locks a key left idle longer than idleLockMs; each signature restarts the timer', () => {
      let now = Date.UTC(2026, 0, 1);
      const { keys } = freshStore({ now: () => now });
      expect(keys.idleLockMs).toBe(DEFAULT_IDLE_LOCK_MS);
      const info = keys.generate('Ada', PASSPHRASE);
      keys.unlock(info.keyId, PASSPHRASE);

      now += DEFAULT_IDLE_LOCK_MS - 1;
      keys.sign(info.keyId, message);
      now += DEFAULT_IDLE_LOCK_MS - 1;
      expect(keys.isUnlocked(info.keyId)).toBe(true);
      now += 1;
      expect(() => keys.sign(info.keyId, message)).toThrow(`Key Ada (${info.keyId}) locked itself after 5 min without use; unlock it with its passphrase first.`);
      expect(keys.isUnlocked(info.keyId)).toBe(false);
      expect(() => keys.sign(info.keyId, message)).toThrow(KeyLockedError);
    });

    it('uses the idle time the user sets, within 10 s to 24 h', () => {
      let now = 0;
      const { keys } = freshStore({ now: () => now });
      const info = keys.generate('Ada', PASSPHRASE);
      keys.unlock(info.keyId, PASSPHRASE);
      keys.idleLockMs = 10_000;
      now += 10_000;
      expect(() => keys.sign(info.keyId, message)).toThrow(KeyLockedError);

      expect(() => (keys.idleLockMs = 9_999)).toThrow(RangeError);
      expect(() => (keys.idleLockMs = 24 * 60 * 60_000 + 1)).toThrow(RangeError);
      keys.idleLockMs = 24 * 60 * 60_000;
      expect(keys.idleLockMs).toBe(24 * 60 * 60_000);
    });
  });

  it('never writes a private seed to any file of the data directory, in any encoding; closing the store locks every key', () => {
    const store = freshStore();
    const dataDir = path.dirname(store.db.name);
    const importedSeed = parseOpenSshPrivateKey(plain.privateText, '').seed;
    generatedSeeds.length = 0;

    const generated = store.keys.generate('Ada', PASSPHRASE);
    const imported = store.keys.importOpenSsh(plain.privateText, 'Bea', PASSPHRASE);
    for (const key of [generated, imported]) {
      store.keys.unlock(key.keyId, PASSPHRASE);
      store.keys.sign(key.keyId, message);
    }
    expect(generatedSeeds).toHaveLength(1);
    const secrets = [generatedSeeds[0]!, importedSeed];

    // While open, the WAL and its index hold the latest pages; after close they are checkpointed.
    const filesWhileOpen = filesUnder(dataDir);
    expect(filesWhileOpen.some((file) => file.endsWith('-wal'))).toBe(true);
    const problemsWhileOpen = leakedSecrets(filesWhileOpen, secrets);
    store.close();
    expect(store.keys.isUnlocked(generated.keyId)).toBe(false);
    expect([...problemsWhileOpen, ...leakedSecrets(filesUnder(dataDir), secrets)]).toEqual([]);
  });
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Each (file, encoding) in which one of the secrets appears: raw bytes, hex (either case), and
 * base64 and base64url at each of the three byte alignments a secret can have inside a longer
 * encoded text.
 */
function leakedSecrets(files: string[], secrets: Uint8Array[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const content = fs.readFileSync(file);
    for (const secret of secrets) {
      for (const [encoding, needle] of spellingsOf(Buffer.from(secret))) if (content.includes(needle)) found.push(`${path.basename(file)}: ${encoding}`);
    }
  }
  return found;
}

function spellingsOf(secret: Buffer): [string, Buffer][] {
  const spellings: [string, Buffer][] = [
    ['raw', secret],
    ['hex', Buffer.from(secret.toString('hex'))],
    ['HEX', Buffer.from(secret.toString('hex').toUpperCase())],
  ];
  for (const shift of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(shift), secret]);
    // Only the 3-byte groups made of secret bytes alone encode the same whatever surrounds them.
    const firstGroup = shift === 0 ? 0 : 1;
    const endGroup = Math.floor(shifted.length / 3);
    for (const alphabet of ['base64', 'base64url'] as const) {
      spellings.push([`${alphabet} (shift ${shift})`, Buffer.from(shifted.toString(alphabet).slice(firstGroup * 4, endGroup * 4))]);
    }
  }
  return spellings;
}

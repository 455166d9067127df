import { InvalidInputError } from '../../../shared/errors/domain-error';
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { publicKeyFromSeed, verifyEd25519Strict } from '../../../shared/crypto/ed25519';
import { keyIdOf, parsePublicKey, toOpenSshLine } from '../../../shared/crypto/keys';
import { openStoreWithConnection, type StoreOptions } from '../store/store';
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { DEFAULT_IDLE_LOCK_MS, KeyLockedError, KeyProtectionError, KeyStore, UnknownKeyError, WrongPassphraseError } from './key-store';
import { parseOpenSshPrivateKey } from './openssh-private-key';
import { PRODUCTION_KDF_POLICY, type KdfPolicy } from './seed-encryption';

/** A store with its raw connection beside it: these tests edit rows as someone holding the file would. */
const openTestStore = (dataDir: string, options: StoreOptions = {}) => {
  const { store, db } = openStoreWithConnection(dataDir, options);
  return Object.assign(store, { db });
};
type Store = ReturnType<typeof openTestStore>;

// Every seed the key store generates is recorded here, so the test knows what must never reach a file.
const generatedSeeds = vi.hoisted(() => [] as Uint8Array[]);
// The very Buffer objects handed out: passphrase bytes given to scrypt, seeds returned by openSeed.
const handedOut = vi.hoisted(() => ({ scryptPasswords: [] as Uint8Array[], openedSeeds: [] as Uint8Array[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const scrypt = ((password: Uint8Array, ...rest: unknown[]) => {
    handedOut.scryptPasswords.push(password);
    return (actual.scrypt as (...args: unknown[]) => void)(password, ...rest);
  }) as typeof actual.scrypt;
  return { ...actual, default: { ...actual, scrypt }, scrypt };
});
vi.mock('./seed-encryption', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./seed-encryption')>();
  return {
    ...actual,
    openSeed: async (...args: Parameters<typeof actual.openSeed>) => {
      const opened = await actual.openSeed(...args);
      handedOut.openedSeeds.push(opened.seed);
      return opened;
    },
  };
});
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
/** A cheap scrypt cost for tests; one test below keeps the production strength. */
const TEST_KDF: KdfPolicy = { write: { N: 2 ** 10, r: 8, p: 1 }, acceptedN: [2 ** 10, 2 ** 11], acceptedR: [8], acceptedP: [1] };

let keyDir: string;
const dataDirs: string[] = [];
const stores: Store[] = [];

/** A store whose KeyStore uses the cheap test cost unless `production` is asked for. */
function freshStore(options: { now?: () => number; production?: boolean } = {}): Store {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-keys-'));
  dataDirs.push(dataDir);
  const store = openTestStore(dataDir, options.production ? {} : { keyStore: { ...(options.now ? { now: options.now } : {}), kdfPolicy: TEST_KDF } });
  stores.push(store);
  return store;
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

/** The key file's bytes, as the host reads them: a fresh Buffer each time (the import zeroes it). */
const fileOf = (key: SshKeygenKey): Buffer => Buffer.from(key.privateText, 'utf8');
const isZeroed = (bytes: Uint8Array): boolean => bytes.length > 0 && bytes.every((byte) => byte === 0);

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
  it('at production strength, generates a locked key, derives off the main thread on unlock, then signs what its public key verifies', async () => {
    const { keys, db } = freshStore({ production: true });
    const info = await keys.generate('Ada Lovelace', PASSPHRASE);
    expect(info).toMatchObject({ name: 'Ada Lovelace', origin: 'generated' });
    expect(info.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ Ada Lovelace$/);
    expect(parsePublicKey(info.publicKey).keyId).toBe(info.keyId);
    expect(keys.list()).toEqual([info]);
    expect(keys.exportPublic(info.keyId)).toBe(info.publicKey);
    expect((db.prepare('SELECT kdf FROM keys').get() as { kdf: string }).kdf).toBe(JSON.stringify({ kdf: 'scrypt', ...PRODUCTION_KDF_POLICY.write }));

    expect(keys.isUnlocked(info.keyId)).toBe(false);
    expect(() => keys.sign(info.keyId, message)).toThrow(KeyLockedError);
    // With scrypt on the calling thread, the whole derivation would run before this callback could.
    let eventLoopRan = false;
    setImmediate(() => (eventLoopRan = true));
    await keys.unlock(info.keyId, PASSPHRASE);
    expect(eventLoopRan).toBe(true);
    expect(keys.isUnlocked(info.keyId)).toBe(true);
    expect(verifies(keys.sign(info.keyId, message), info.publicKey)).toBe(true);
  });

  it('reports a wrong passphrase as an authenticated failure naming the key', async () => {
    const { keys } = freshStore();
    const info = await keys.generate('Ada', PASSPHRASE);
    await expect(keys.unlock(info.keyId, 'Correct horse battery staple')).rejects.toThrow(new WrongPassphraseError('Ada', info.keyId));
    await expect(keys.unlock(info.keyId, 'Correct horse battery staple')).rejects.toThrow(`Wrong passphrase for key Ada (${info.keyId}).`);
    expect(keys.isUnlocked(info.keyId)).toBe(false);
  });

  it('locks one key or all, and forgets removed keys', async () => {
    const { keys } = freshStore();
    const a = await keys.generate('Ada', PASSPHRASE);
    const b = await keys.generate('Bea', PASSPHRASE);
    await keys.unlock(a.keyId, PASSPHRASE);
    await keys.unlock(b.keyId, PASSPHRASE);
    keys.lock(a.keyId);
    expect([keys.isUnlocked(a.keyId), keys.isUnlocked(b.keyId)]).toEqual([false, true]);
    keys.lock();
    expect(keys.isUnlocked(b.keyId)).toBe(false);
    expect(() => keys.sign(b.keyId, message)).toThrow(/Key Bea \(SHA256:.+\) is locked; unlock it with its passphrase first/);

    await keys.unlock(b.keyId, PASSPHRASE);
    expect(keys.remove(b.keyId)).toBe(true);
    expect(keys.remove(b.keyId)).toBe(false);
    expect(keys.isUnlocked(b.keyId)).toBe(false);
    expect(() => keys.sign(b.keyId, message)).toThrow(UnknownKeyError);
    expect(keys.list().map((key) => key.name)).toEqual(['Ada']);
  });

  it('keeps a key locked when it is locked, or removed, while its unlock is still deriving', async () => {
    const { keys } = freshStore();
    const a = await keys.generate('Ada', PASSPHRASE);
    const b = await keys.generate('Bea', PASSPHRASE);
    const unlocking = keys.unlock(a.keyId, PASSPHRASE);
    const other = keys.unlock(b.keyId, PASSPHRASE);
    keys.lock(a.keyId);
    await expect(unlocking).rejects.toThrow(`Key Ada (${a.keyId}) was locked while it was being unlocked`);
    await other;
    expect([keys.isUnlocked(a.keyId), keys.isUnlocked(b.keyId)]).toEqual([false, true]);

    const removing = keys.unlock(b.keyId, PASSPHRASE);
    keys.remove(b.keyId);
    await expect(removing).rejects.toThrow(KeyLockedError);
    expect(keys.isUnlocked(b.keyId)).toBe(false);
  });

  it('refuses an empty passphrase, a blank name and a name with a line break', async () => {
    const { keys } = freshStore();
    await expect(keys.generate('Ada', '')).rejects.toThrow(/passphrase is required/);
    await expect(keys.generate('  ', PASSPHRASE)).rejects.toThrow(/needs a name/);
    await expect(keys.generate('Ada\nEvil', PASSPHRASE)).rejects.toThrow(/control characters or line breaks/);
    expect(keys.list()).toEqual([]);
  });

  describe('tells a changed key row from a wrong passphrase', () => {
    // One key for all cases; each case edits its row, then restores it.
    let store: Store;
    let keyId: string;
    beforeAll(async () => {
      store = openTestStore(fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-keys-')), { keyStore: { kdfPolicy: TEST_KDF } });
      keyId = (await store.keys.generate('Ada', PASSPHRASE)).keyId;
    });
    afterAll(() => {
      store.close();
      fs.rmSync(path.dirname(store.db.name), { recursive: true, force: true });
    });

    type Columns = { kdf?: string; salt?: Buffer; nonce?: Buffer; ciphertext?: Buffer; passphrase_check?: Buffer | null; public_key?: string; seal_version?: number };
    const edited = (change: (row: Required<Columns>) => Columns) => async (): Promise<void> => {
      const original = store.db.prepare('SELECT kdf, salt, nonce, ciphertext, passphrase_check, public_key, seal_version FROM keys WHERE key_id = ?').get(keyId) as Required<Columns>;
      const columns = { ...original, ...change(original) };
      const update = store.db.prepare(
        'UPDATE keys SET kdf = @kdf, salt = @salt, nonce = @nonce, ciphertext = @ciphertext, passphrase_check = @passphrase_check, public_key = @public_key, seal_version = @seal_version WHERE key_id = @keyId',
      );
      update.run({ ...columns, keyId });
      try {
        await store.keys.unlock(keyId, PASSPHRASE);
      } finally {
        update.run({ ...original, keyId });
      }
    };
    const flip = (bytes: Buffer, at: number): Buffer => {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 1;
      return copy;
    };

    // Refused before any derivation: no scrypt call is made.
    const outsideWhatTheAppWrites: [string, (row: Required<Columns>) => Columns, RegExp][] = [
      ['N below what the app writes', () => ({ kdf: '{"kdf":"scrypt","N":512,"r":8,"p":1}' }), /scrypt N=512 is not what this app writes \(accepted: 1024 or 2048\)/],
      ['N above the margin (the old 1 GiB limit)', () => ({ kdf: '{"kdf":"scrypt","N":1048576,"r":8,"p":1}' }), /N=1048576 is not what this app writes/],
      ['N not a power of two', () => ({ kdf: '{"kdf":"scrypt","N":1000,"r":8,"p":1}' }), /N=1000 is not what/],
      ['another r', () => ({ kdf: '{"kdf":"scrypt","N":1024,"r":16,"p":1}' }), /r=16 is not what this app writes/],
      ['another p', () => ({ kdf: '{"kdf":"scrypt","N":1024,"r":8,"p":4}' }), /p=4 is not what this app writes/],
      ['another KDF', () => ({ kdf: '{"kdf":"pbkdf2","N":1024,"r":8,"p":1}' }), /unsupported key-derivation function "pbkdf2"/],
      ['an unknown parameter', () => ({ kdf: '{"kdf":"scrypt","N":1024,"r":8,"p":1,"maxmem":1}' }), /unknown key-derivation parameters: maxmem/],
      ['a duplicated parameter', () => ({ kdf: '{"kdf":"scrypt","N":1024,"N":16,"r":8,"p":1}' }), /not valid JSON/],
      ['a longer salt', (row) => ({ salt: Buffer.concat([row.salt, row.salt]) }), /salt is 32 bytes; this app writes 16/],
      ['a short nonce', (row) => ({ nonce: row.nonce.subarray(0, 8) }), /nonce is 8 bytes/],
      ['a missing passphrase check', () => ({ passphrase_check: null }), /passphrase check is missing/],
    ];
    it.each(outsideWhatTheAppWrites)('%s: refused as changed data, before deriving anything', async (_label, change, reason) => {
      const calls = handedOut.scryptPasswords.length;
      const unlocking = edited(change)();
      await expect(unlocking).rejects.toThrow(KeyProtectionError);
      await expect(edited(change)()).rejects.toThrow(reason);
      await expect(edited(change)()).rejects.toThrow(/This key's stored data was changed/);
      expect(handedOut.scryptPasswords.length).toBe(calls);
      expect(store.keys.isUnlocked(keyId)).toBe(false);
    });

    // The right passphrase passes the check, then the seal does not authenticate.
    const authenticatedMetadata: [string, (row: Required<Columns>) => Columns][] = [
      ['the ciphertext', (row) => ({ ciphertext: flip(row.ciphertext, 3) })],
      ['the GCM tag', (row) => ({ ciphertext: flip(row.ciphertext, 40) })],
      ['the nonce', (row) => ({ nonce: flip(row.nonce, 0) })],
      ['the public key', () => ({ public_key: parsePublicKey(plain.publicLine).openssh })],
    ];
    it.each(authenticatedMetadata)('%s edited: "stored data was changed", not a wrong passphrase', async (_label, change) => {
      await expect(edited(change)()).rejects.toThrow(KeyProtectionError);
      await expect(edited(change)()).rejects.toThrow(/does not authenticate under the right passphrase/);
      expect(store.keys.isUnlocked(keyId)).toBe(false);
    });

    it('a wrong passphrase is still a wrong passphrase', async () => {
      await expect(store.keys.unlock(keyId, 'not it')).rejects.toThrow(WrongPassphraseError);
    });

    it('and the restored row still opens', async () => {
      await store.keys.unlock(keyId, PASSPHRASE);
      expect(store.keys.isUnlocked(keyId)).toBe(true);
    });
  });

  it('does not open a sealed seed moved into another key’s row (key ID and public key are authenticated)', async () => {
    const store = freshStore();
    const a = await store.keys.generate('Ada', PASSPHRASE);
    const b = await store.keys.generate('Bea', PASSPHRASE);
    store.db
      .prepare(
        'UPDATE keys SET (kdf, salt, nonce, ciphertext, passphrase_check) = (SELECT kdf, salt, nonce, ciphertext, passphrase_check FROM keys WHERE key_id = ?) WHERE key_id = ?',
      )
      .run(a.keyId, b.keyId);
    await expect(store.keys.unlock(b.keyId, PASSPHRASE)).rejects.toThrow(KeyProtectionError);
    expect(store.keys.isUnlocked(b.keyId)).toBe(false);
  });

  it('opens a row sealed the old way (version 1: AAD = key ID, no passphrase check) and re-seals it as version 2', async () => {
    const store = freshStore();
    const info = await store.keys.generate('Ada', PASSPHRASE);
    // Re-seal the row as version 1 wrote it, from a seed of its own, with the test cost.
    const seed = randomBytes(32);
    const keyId = keyIdOf(publicKeyFromSeed(seed));
    const salt = randomBytes(16);
    const nonce = randomBytes(12);
    const key = scryptSync(PASSPHRASE.normalize('NFC'), salt, 32, { N: 2 ** 10, r: 8, p: 1 });
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(keyId));
    const ciphertext = Buffer.concat([cipher.update(seed), cipher.final(), cipher.getAuthTag()]);
    store.db.prepare('DELETE FROM keys WHERE key_id = ?').run(info.keyId);
    store.db
      .prepare(
        `INSERT INTO keys (key_id, name, public_key, origin, created_at, kdf, salt, nonce, ciphertext) VALUES (?, 'Old', ?, 'generated', '2026-01-01T00:00:00.000Z', ?, ?, ?, ?)`,
      )
      .run(keyId, toOpenSshLine(publicKeyFromSeed(seed)), '{"kdf":"scrypt","N":1024,"r":8,"p":1}', salt, nonce, ciphertext);
    const sealOf = () => store.db.prepare('SELECT seal_version, passphrase_check, ciphertext FROM keys WHERE key_id = ?').get(keyId) as { seal_version: number; passphrase_check: Buffer | null; ciphertext: Buffer };
    expect(sealOf()).toMatchObject({ seal_version: 1, passphrase_check: null });

    await expect(store.keys.unlock(keyId, 'not it')).rejects.toThrow(WrongPassphraseError);
    expect(sealOf().seal_version).toBe(1);
    await store.keys.unlock(keyId, PASSPHRASE);
    const upgraded = sealOf();
    expect(upgraded.seal_version).toBe(2);
    expect(upgraded.passphrase_check).toHaveLength(32);
    expect(upgraded.ciphertext.equals(ciphertext)).toBe(false);

    store.keys.lock();
    await store.keys.unlock(keyId, PASSPHRASE);
    expect(verifies(store.keys.sign(keyId, message), store.keys.exportPublic(keyId))).toBe(true);
    store.keys.lock();
    await expect(store.keys.unlock(keyId, 'not it')).rejects.toThrow(WrongPassphraseError);
  });

  describe('OpenSSH import', () => {
    it('imports an unencrypted ssh-keygen key: same key ID as ssh-keygen -lf, signatures verify under the .pub key', async () => {
      const { keys } = freshStore();
      const info = await keys.importOpenSsh(fileOf(plain), 'Ada laptop', PASSPHRASE);
      expect(info).toMatchObject({ keyId: plain.fingerprint, origin: 'imported', name: 'Ada laptop' });
      await keys.unlock(info.keyId, PASSPHRASE);
      expect(verifies(keys.sign(info.keyId, message), plain.publicLine)).toBe(true);
    });

    it('imports a passphrase-protected ssh-keygen key and keeps it under the same passphrase', async () => {
      const { keys } = freshStore();
      const info = await keys.importOpenSsh(fileOf(encrypted), 'Bea', 'secret');
      expect(info.keyId).toBe(encrypted.fingerprint);
      await expect(keys.unlock(info.keyId, 'Secret')).rejects.toThrow(WrongPassphraseError);
      await keys.unlock(info.keyId, 'secret');
      expect(verifies(keys.sign(info.keyId, message), encrypted.publicLine)).toBe(true);
    });

    it('says the OpenSSH passphrase is wrong, naming the key, and stores nothing', async () => {
      const { keys } = freshStore();
      await expect(keys.importOpenSsh(fileOf(encrypted), 'Bea', 'wrong')).rejects.toThrow(`Wrong passphrase for key Bea (${encrypted.fingerprint}).`);
      expect(keys.list()).toEqual([]);
    });

    it('refuses an RSA key', async () => {
      const { keys } = freshStore();
      const rsa = sshKeygen('rsa', ['-t', 'rsa', '-b', '2048', '-N', '']);
      await expect(keys.importOpenSsh(fileOf(rsa), 'Old', PASSPHRASE)).rejects.toThrow(/'ssh-rsa' key; Countersign keys are Ed25519/);
      expect(keys.list()).toEqual([]);
    });

    it('refuses a key already stored, naming it', async () => {
      const { keys } = freshStore();
      await keys.importOpenSsh(fileOf(plain), 'Ada', PASSPHRASE);
      await expect(keys.importOpenSsh(fileOf(plain), 'Ada again', PASSPHRASE)).rejects.toThrow(`Key ${plain.fingerprint} is already stored, as Ada.`);
    });
  });

  describe('zeroes the secrets it handles', () => {
    it('the key file bytes it was given, after an import and after a failed one', async () => {
      const { keys } = freshStore();
      const imported = fileOf(plain);
      await keys.importOpenSsh(imported, 'Ada', PASSPHRASE);
      const refused = fileOf(encrypted);
      await expect(keys.importOpenSsh(refused, 'Bea', 'wrong')).rejects.toThrow(WrongPassphraseError);
      const badName = fileOf(encrypted);
      await expect(keys.importOpenSsh(badName, '', 'secret')).rejects.toThrow(InvalidInputError);
      expect([isZeroed(imported), isZeroed(refused), isZeroed(badName)]).toEqual([true, true, true]);
    });

    it('the passphrase bytes given to scrypt, once each derivation is done, right or wrong', async () => {
      const { keys } = freshStore();
      handedOut.scryptPasswords.length = 0;
      const info = await keys.generate('Ada', PASSPHRASE);
      await keys.unlock(info.keyId, PASSPHRASE);
      await expect(keys.unlock(info.keyId, 'wrong')).rejects.toThrow(WrongPassphraseError);
      await keys.importOpenSsh(fileOf(encrypted), 'Bea', 'secret');
      expect(handedOut.scryptPasswords).toHaveLength(4);
      expect(handedOut.scryptPasswords.map(isZeroed)).toEqual([true, true, true, true]);
    });

    it('the unlocked seed, on lock, on remove and on the idle lock; none is kept as a string', async () => {
      let now = 0;
      const { keys } = freshStore({ now: () => now });
      const a = await keys.generate('Ada', PASSPHRASE);
      const b = await keys.generate('Bea', PASSPHRASE);
      const c = await keys.importOpenSsh(fileOf(plain), 'Cy', PASSPHRASE);
      handedOut.openedSeeds.length = 0;
      for (const key of [a, b, c]) await keys.unlock(key.keyId, PASSPHRASE);
      const [seedA, seedB, seedC] = handedOut.openedSeeds;
      expect([seedA, seedB, seedC].map((seed) => seed !== undefined && !isZeroed(seed))).toEqual([true, true, true]);

      expect(stringsHolding(keys, [seedA!, seedB!, seedC!])).toEqual([]);
      keys.sign(a.keyId, message);
      expect(isZeroed(seedA!)).toBe(false);
      keys.lock(a.keyId);
      expect(isZeroed(seedA!)).toBe(true);
      keys.remove(b.keyId);
      expect(isZeroed(seedB!)).toBe(true);
      now += DEFAULT_IDLE_LOCK_MS;
      expect(keys.isUnlocked(c.keyId)).toBe(false);
      expect(isZeroed(seedC!)).toBe(true);
    });
  });

  describe('idle lock', () => {
    it('locks a key left idle longer than idleLockMs; each signature restarts the timer', async () => {
      let now = Date.UTC(2026, 0, 1);
      const { keys } = freshStore({ now: () => now });
      expect(keys.idleLockMs).toBe(DEFAULT_IDLE_LOCK_MS);
      const info = await keys.generate('Ada', PASSPHRASE);
      await keys.unlock(info.keyId, PASSPHRASE);

      now += DEFAULT_IDLE_LOCK_MS - 1;
      keys.sign(info.keyId, message);
      now += DEFAULT_IDLE_LOCK_MS - 1;
      expect(keys.isUnlocked(info.keyId)).toBe(true);
      now += 1;
      expect(() => keys.sign(info.keyId, message)).toThrow(`Key Ada (${info.keyId}) locked itself after 5 min without use; unlock it with its passphrase first.`);
      expect(keys.isUnlocked(info.keyId)).toBe(false);
      expect(() => keys.sign(info.keyId, message)).toThrow(KeyLockedError);
    });

    it('uses the idle time the user sets, within 10 s to 24 h', async () => {
      let now = 0;
      const { keys } = freshStore({ now: () => now });
      const info = await keys.generate('Ada', PASSPHRASE);
      await keys.unlock(info.keyId, PASSPHRASE);
      keys.idleLockMs = 10_000;
      now += 10_000;
      expect(() => keys.sign(info.keyId, message)).toThrow(KeyLockedError);

      expect(() => (keys.idleLockMs = 9_999)).toThrow(InvalidInputError);
      expect(() => (keys.idleLockMs = 24 * 60 * 60_000 + 1)).toThrow(InvalidInputError);
      keys.idleLockMs = 24 * 60 * 60_000;
      expect(keys.idleLockMs).toBe(24 * 60 * 60_000);
    });
  });

  it('never writes a private seed to any file of the data directory, in any encoding; closing the store locks every key', async () => {
    const store = freshStore();
    const dataDir = path.dirname(store.db.name);
    const importedSeed = parseOpenSshPrivateKey(fileOf(plain), new Uint8Array()).seed;
    generatedSeeds.length = 0;

    const generated = await store.keys.generate('Ada', PASSPHRASE);
    const imported = await store.keys.importOpenSsh(fileOf(plain), 'Bea', PASSPHRASE);
    for (const key of [generated, imported]) {
      await store.keys.unlock(key.keyId, PASSPHRASE);
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

/**
 * Every string reachable from the key store's own state (its maps, entries and settings; not
 * the database handle) that spells one of the seeds in hex or base64.
 */
function stringsHolding(keys: KeyStore, seeds: Uint8Array[]): string[] {
  const spellings = seeds.flatMap((seed) => spellingsOf(Buffer.from(seed)).map(([, needle]) => needle.toString('latin1')).filter((needle) => needle.length >= 8));
  const found: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') {
      if (spellings.some((needle) => value.includes(needle))) found.push(where);
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      for (const [key, entry] of value) {
        visit(key, `${where} key`);
        visit(entry, `${where}[${String(key)}]`);
      }
    } else for (const [name, entry] of Object.entries(value)) if (name !== 'db') visit(entry, `${where}.${name}`);
  };
  visit(keys, 'keys');
  return found;
}

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

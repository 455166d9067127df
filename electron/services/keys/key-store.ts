import { DomainError, InvalidInputError } from '../../../shared/errors/domain-error';
import { generateSeed, publicKeyFromSeed, signEd25519 } from '../../../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../../../shared/crypto/keys';
import type { SqliteDatabase } from '../store/database';
import { OpenSshPassphraseError, parseOpenSshPrivateKey } from './openssh-private-key';
import { openSeed, sealSeed, SeedAuthenticationError, UnsafeKeyParametersError, type SealedSeed } from './seed-encryption';

/** A key held on this machine, as shown everywhere: never its private part. */
export interface StoredKeyInfo {
  keyId: string;
  name: string;
  /** OpenSSH line whose comment is the key's name. */
  publicKey: string;
  createdAt: string;
  origin: 'generated' | 'imported';
}

export class WrongPassphraseError extends DomainError {
  constructor(
    readonly keyName: string,
    readonly keyId: string,
  ) {
    super('conflict', `Wrong passphrase for key ${keyName} (${keyId}).`);
  }
}

export class KeyLockedError extends DomainError {
  constructor(
    readonly keyName: string,
    readonly keyId: string,
    reason = 'is locked',
  ) {
    super('conflict', `Key ${keyName} (${keyId}) ${reason}; unlock it with its passphrase first.`);
  }
}

export class UnknownKeyError extends DomainError {
  constructor(readonly keyId: string) {
    super('not-found', `No key ${keyId} is stored in this profile.`);
  }
}

export class DuplicateKeyError extends DomainError {
  constructor(
    readonly keyId: string,
    readonly existingName: string,
  ) {
    super('conflict', `Key ${keyId} is already stored, as ${existingName}.`);
  }
}

/** A stored key row that cannot be used safely: unsafe KDF parameters, or a seed that is not the key's. */
export class KeyProtectionError extends DomainError {
  constructor(keyName: string, keyId: string, problem: string) {
    super('conflict', `Key ${keyName} (${keyId}) is stored with unsafe or altered protection (${problem}); refusing to use it. The profile database may have been tampered with.`);
  }
}

export const DEFAULT_IDLE_LOCK_MS = 5 * 60_000;
export const MIN_IDLE_LOCK_MS = 10_000;
export const MAX_IDLE_LOCK_MS = 24 * 60 * 60_000;
const MAX_NAME_LENGTH = 100;

interface KeyRow {
  key_id: string;
  name: string;
  public_key: string;
  origin: 'generated' | 'imported';
  created_at: string;
  kdf: string;
  salt: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** A key sealed under its passphrase and ready to be stored (KeyStore.insertSealed). */
export interface SealedKey {
  readonly keyId: string;
  readonly row: Readonly<KeyRow>;
}

interface UnlockedKey {
  seed: Uint8Array;
  lastUsedAt: number;
  idleTimer: ReturnType<typeof setTimeout>;
}

/**
 * Private keys held on this machine. At rest each seed is sealed under its passphrase (see
 * seed-encryption.ts); the only plaintext copy is the one in `unlocked`, created by unlock()
 * and zeroed by lock(), by remove() and once the key has been idle longer than idleLockMs.
 * Generating or importing a key leaves it locked.
 */
export class KeyStore {
  private readonly now: () => number;
  private readonly unlocked = new Map<string, UnlockedKey>();
  private idleLimitMs = DEFAULT_IDLE_LOCK_MS;

  constructor(
    private readonly db: SqliteDatabase,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  list(): StoredKeyInfo[] {
    return (this.db.prepare('SELECT * FROM keys ORDER BY name, key_id').all() as KeyRow[]).map(toInfo);
  }

  generate(name: string, passphrase: string): StoredKeyInfo {
    return this.insertSealed(this.sealGenerated(name, passphrase));
  }

  importOpenSsh(privateKeyText: string, name: string, passphrase: string): StoredKeyInfo {
    return this.insertSealed(this.sealImported(privateKeyText, name, passphrase));
  }

  /**
   * A new key sealed under its passphrase, not yet stored: the slow key derivation happens here,
   * so that insertSealed() can run inside a short write transaction with its audit entry.
   */
  sealGenerated(name: string, passphrase: string): SealedKey {
    const seed = generateSeed();
    try {
      return this.seal(seed, name, passphrase, 'generated');
    } finally {
      seed.fill(0);
    }
  }

  sealImported(privateKeyText: string, name: string, passphrase: string): SealedKey {
    const keyName = checkedName(name);
    let parsed;
    try {
      parsed = parseOpenSshPrivateKey(privateKeyText, passphrase);
    } catch (error) {
      if (error instanceof OpenSshPassphraseError) throw new WrongPassphraseError(keyName, keyIdOf(error.publicKey));
      throw error;
    }
    try {
      return this.seal(parsed.seed, keyName, passphrase, 'imported');
    } finally {
      parsed.seed.fill(0);
    }
  }

  /** Stores a sealed key; refused when the key is already stored (checked again here: another process may have stored it meanwhile). */
  insertSealed(sealed: SealedKey): StoredKeyInfo {
    const row = sealed.row;
    this.refuseDuplicate(row.key_id);
    this.db
      .prepare(
        `INSERT INTO keys (key_id, name, public_key, origin, created_at, kdf, salt, nonce, ciphertext)
         VALUES (@key_id, @name, @public_key, @origin, @created_at, @kdf, @salt, @nonce, @ciphertext)`,
      )
      .run(row);
    return toInfo(row);
  }

  exportPublic(keyId: string): string {
    return toInfo(this.row(keyId)).publicKey;
  }

  remove(keyId: string): boolean {
    this.lock(keyId);
    return this.db.prepare('DELETE FROM keys WHERE key_id = ?').run(keyId).changes > 0;
  }

  unlock(keyId: string, passphrase: string): void {
    const row = this.row(keyId);
    let seed: Uint8Array;
    try {
      seed = openSeed(sealedOf(row), passphrase, keyId);
    } catch (error) {
      if (error instanceof SeedAuthenticationError) throw new WrongPassphraseError(row.name, keyId);
      if (error instanceof UnsafeKeyParametersError) throw new KeyProtectionError(row.name, keyId, error.problem);
      throw error;
    }
    // The tag binds the seed to the key ID; this also catches a row whose key ID and public key disagree.
    const publicKey = publicKeyFromSeed(seed);
    if (keyIdOf(publicKey) !== keyId || toOpenSshLine(publicKey) !== row.public_key) {
      seed.fill(0);
      throw new KeyProtectionError(row.name, keyId, 'the decrypted private key does not match the stored public key');
    }
    this.lock(keyId);
    this.unlocked.set(keyId, { seed, lastUsedAt: this.now(), idleTimer: this.scheduleIdleCheck(keyId, this.idleLimitMs) });
  }

  /** Locks one key, or every key when none is named, zeroing the seeds. */
  lock(keyId?: string): void {
    const keyIds = keyId === undefined ? [...this.unlocked.keys()] : [keyId];
    for (const id of keyIds) {
      const entry = this.unlocked.get(id);
      if (!entry) continue;
      clearTimeout(entry.idleTimer);
      entry.seed.fill(0);
      this.unlocked.delete(id);
    }
  }

  isUnlocked(keyId: string): boolean {
    return this.activeKey(keyId) !== undefined;
  }

  get idleLockMs(): number {
    return this.idleLimitMs;
  }

  set idleLockMs(ms: number) {
    if (!Number.isSafeInteger(ms) || ms < MIN_IDLE_LOCK_MS || ms > MAX_IDLE_LOCK_MS) {
      throw new InvalidInputError(`the idle lock time must be a whole number of milliseconds from ${MIN_IDLE_LOCK_MS} (10 s) to ${MAX_IDLE_LOCK_MS} (24 h), got ${ms}`);
    }
    this.idleLimitMs = ms;
    for (const [keyId, entry] of this.unlocked) {
      if (this.activeKey(keyId) === undefined) continue;
      clearTimeout(entry.idleTimer);
      entry.idleTimer = this.scheduleIdleCheck(keyId, this.remainingIdleMs(entry));
    }
  }

  sign(keyId: string, message: Uint8Array): Uint8Array {
    const wasUnlocked = this.unlocked.has(keyId);
    const entry = this.activeKey(keyId);
    if (entry === undefined) {
      const row = this.row(keyId);
      throw new KeyLockedError(row.name, keyId, wasUnlocked ? `locked itself after ${describeDuration(this.idleLimitMs)} without use` : 'is locked');
    }
    const signature = signEd25519(message, entry.seed);
    entry.lastUsedAt = this.now();
    clearTimeout(entry.idleTimer);
    entry.idleTimer = this.scheduleIdleCheck(keyId, this.idleLimitMs);
    return signature;
  }

  private seal(seed: Uint8Array, name: string, passphrase: string, origin: StoredKeyInfo['origin']): SealedKey {
    const keyName = checkedName(name);
    if (passphrase === '') throw new InvalidInputError('a passphrase is required: it protects the private key at rest');
    const publicKey = publicKeyFromSeed(seed);
    const keyId = keyIdOf(publicKey);
    this.refuseDuplicate(keyId);
    const sealed = sealSeed(seed, passphrase, keyId);
    return {
      keyId,
      row: {
        key_id: keyId,
        name: keyName,
        public_key: toOpenSshLine(publicKey),
        origin,
        created_at: new Date(this.now()).toISOString(),
        kdf: sealed.kdf,
        salt: Buffer.from(sealed.salt),
        nonce: Buffer.from(sealed.nonce),
        ciphertext: Buffer.from(sealed.ciphertext),
      },
    };
  }

  private refuseDuplicate(keyId: string): void {
    const existing = this.db.prepare('SELECT name FROM keys WHERE key_id = ?').get(keyId) as { name: string } | undefined;
    if (existing) throw new DuplicateKeyError(keyId, existing.name);
  }

  private row(keyId: string): KeyRow {
    const row = this.db.prepare('SELECT * FROM keys WHERE key_id = ?').get(keyId) as KeyRow | undefined;
    if (!row) throw new UnknownKeyError(keyId);
    return row;
  }

  /** The unlocked key, or undefined; a key idle for longer than the limit is locked on the spot. */
  private activeKey(keyId: string): UnlockedKey | undefined {
    const entry = this.unlocked.get(keyId);
    if (entry && this.remainingIdleMs(entry) <= 0) {
      this.lock(keyId);
      return undefined;
    }
    return entry;
  }

  private remainingIdleMs(entry: UnlockedKey): number {
    return entry.lastUsedAt + this.idleLimitMs - this.now();
  }

  /**
   * The clock (`now`) decides whether a key is idle; the timer only makes sure an idle seed is
   * zeroed even when nothing asks for the key again. It never keeps the process alive.
   */
  private scheduleIdleCheck(keyId: string, delayMs: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(
      () => {
        const entry = this.unlocked.get(keyId);
        if (!entry || entry.idleTimer !== timer) return;
        if (this.activeKey(keyId) !== undefined) entry.idleTimer = this.scheduleIdleCheck(keyId, this.remainingIdleMs(entry));
      },
      Math.max(delayMs, 1_000),
    );
    timer.unref();
    return timer;
  }
}

/** The name, trimmed; it becomes the comment of the exported OpenSSH line. */
function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new InvalidInputError('a key needs a name');
  if (trimmed.length > MAX_NAME_LENGTH) throw new InvalidInputError(`a key name is at most ${MAX_NAME_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new InvalidInputError('a key name cannot contain control characters or line breaks');
  return trimmed;
}

function describeDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function toInfo(row: KeyRow): StoredKeyInfo {
  return { keyId: row.key_id, name: row.name, publicKey: `${row.public_key} ${row.name}`, createdAt: row.created_at, origin: row.origin };
}

function sealedOf(row: KeyRow): SealedSeed {
  return { kdf: row.kdf, salt: new Uint8Array(row.salt), nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.ciphertext) };
}

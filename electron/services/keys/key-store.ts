import { DomainError, InvalidInputError } from '../../../shared/errors/domain-error';
import { generateSeed, publicKeyFromSeed, signEd25519 } from '../../../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../../../shared/crypto/keys';
import type { SqliteDatabase } from '../store/database';
import { OpenSshPassphraseError, parseOpenSshPrivateKey } from './openssh-private-key';
import {
  CURRENT_SEAL_VERSION,
  openSeed,
  PRODUCTION_KDF_POLICY,
  sealSeed,
  SeedAuthenticationError,
  StoredSealAlteredError,
  UnsafeKeyParametersError,
  withPassphraseBytes,
  type KdfPolicy,
  type SealedSeed,
} from './seed-encryption';

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

/**
 * This key's stored data was changed: parameters or lengths other than what the app writes, a
 * ciphertext or metadata that fails authentication under the right passphrase, or a seed that
 * is not the key's. Distinct from a wrong passphrase.
 */
export class KeyProtectionError extends DomainError {
  constructor(keyName: string, keyId: string, problem: string) {
    super('conflict', `This key's stored data was changed: key ${keyName} (${keyId}) ${problem}; refusing to use it. The profile database may have been tampered with.`);
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
  seal_version: number;
  passphrase_check: Buffer | null;
}

interface UnlockedKey {
  seed: Buffer;
  lastUsedAt: number;
  idleTimer: ReturnType<typeof setTimeout>;
}

export interface KeyStoreOptions {
  now?: () => number;
  /** Tests only: a cheaper scrypt cost. The app always uses PRODUCTION_KDF_POLICY. */
  kdfPolicy?: KdfPolicy;
}

/**
 * Private keys held on this machine. At rest each seed is sealed under its passphrase (see
 * seed-encryption.ts); the only plaintext copy is the Buffer in `unlocked`, created by unlock()
 * and zeroed by lock(), by remove() and once the key has been idle longer than idleLockMs.
 * Generating or importing a key leaves it locked. Seeds, key files and passphrase bytes are
 * only ever held in Buffers or Uint8Arrays that are zeroed after use, never in strings.
 */
/**
 * Runs the insert of a new key (sealed already, outside any transaction) inside the caller's
 * transaction, so the key and its audit entry are committed together (audited-keys.ts).
 */
export type StoreWithin = (insert: () => StoredKeyInfo) => StoredKeyInfo;
const storeAlone: StoreWithin = (insert) => insert();

export class KeyStore {
  private readonly now: () => number;
  private readonly kdfPolicy: KdfPolicy;
  private readonly unlocked = new Map<string, UnlockedKey>();
  private idleLimitMs = DEFAULT_IDLE_LOCK_MS;
  /** Bumped by lock(): an unlock still deriving when its key (or every key) is locked or removed is dropped. */
  private allLockCount = 0;
  private readonly keyLockCounts = new Map<string, number>();

  constructor(
    private readonly db: SqliteDatabase,
    options: KeyStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.kdfPolicy = options.kdfPolicy ?? PRODUCTION_KDF_POLICY;
  }

  list(): StoredKeyInfo[] {
    return (this.db.prepare('SELECT * FROM keys ORDER BY name, key_id').all() as KeyRow[]).map(toInfo);
  }

  async generate(name: string, passphrase: string, within: StoreWithin = storeAlone): Promise<StoredKeyInfo> {
    const seed = generateSeed();
    try {
      return await this.store(seed, name, passphrase, 'generated', within);
    } finally {
      seed.fill(0);
    }
  }

  /**
   * Imports an OpenSSH private key file given as its bytes, and zeroes those bytes before
   * returning, whether the import succeeds or not.
   */
  async importOpenSsh(privateKeyFile: Uint8Array, name: string, passphrase: string, within: StoreWithin = storeAlone): Promise<StoredKeyInfo> {
    try {
      const keyName = checkedName(name);
      const parsed = await withPassphraseBytes(passphrase, async (bytes) => {
        try {
          return parseOpenSshPrivateKey(privateKeyFile, bytes);
        } catch (error) {
          if (error instanceof OpenSshPassphraseError) throw new WrongPassphraseError(keyName, keyIdOf(error.publicKey));
          throw error;
        }
      });
      try {
        return await this.store(parsed.seed, keyName, passphrase, 'imported', within);
      } finally {
        parsed.seed.fill(0);
      }
    } finally {
      privateKeyFile.fill(0);
    }
  }

  exportPublic(keyId: string): string {
    return toInfo(this.row(keyId)).publicKey;
  }

  remove(keyId: string): boolean {
    this.lock(keyId);
    return this.db.prepare('DELETE FROM keys WHERE key_id = ?').run(keyId).changes > 0;
  }

  /**
   * Derives the key off the main thread (scrypt in libuv's thread pool) and keeps the seed
   * unlocked. A key locked or removed while this runs stays locked. A version 1 row is
   * re-sealed as the current version on its first successful unlock.
   */
  async unlock(keyId: string, passphrase: string): Promise<void> {
    const row = this.row(keyId);
    const epoch = this.lockEpochOf(keyId);
    const binding = { keyId, publicKey: row.public_key };
    let opened;
    try {
      opened = await withPassphraseBytes(passphrase, (bytes) => openSeed(sealedOf(row), bytes, binding, this.kdfPolicy));
    } catch (error) {
      if (error instanceof SeedAuthenticationError) throw new WrongPassphraseError(row.name, keyId);
      if (error instanceof StoredSealAlteredError) throw new KeyProtectionError(row.name, keyId, 'does not authenticate under the right passphrase (its ciphertext or metadata was edited)');
      if (error instanceof UnsafeKeyParametersError) throw new KeyProtectionError(row.name, keyId, `is stored with ${error.problem}`);
      throw error;
    }
    const { seed, upgraded } = opened;
    // The seal binds the seed to the key ID and public key; this also catches a version 1 row whose key ID and public key disagree.
    const publicKey = publicKeyFromSeed(seed);
    if (keyIdOf(publicKey) !== keyId || toOpenSshLine(publicKey) !== row.public_key) {
      seed.fill(0);
      throw new KeyProtectionError(row.name, keyId, 'holds a private key that does not match its stored public key');
    }
    if (epoch !== this.lockEpochOf(keyId)) {
      seed.fill(0);
      throw new KeyLockedError(row.name, keyId, 'was locked while it was being unlocked');
    }
    if (upgraded !== null) this.writeSeal(keyId, upgraded, row.ciphertext);
    this.lockEntries([keyId]);
    this.unlocked.set(keyId, { seed, lastUsedAt: this.now(), idleTimer: this.scheduleIdleCheck(keyId, this.idleLimitMs) });
  }

  /** Locks one key, or every key when none is named, zeroing the seeds; unlocks in progress are dropped. */
  lock(keyId?: string): void {
    if (keyId === undefined) this.allLockCount++;
    else this.keyLockCounts.set(keyId, (this.keyLockCounts.get(keyId) ?? 0) + 1);
    this.lockEntries(keyId === undefined ? [...this.unlocked.keys()] : [keyId]);
  }

  private lockEpochOf(keyId: string): string {
    return `${this.allLockCount}/${this.keyLockCounts.get(keyId) ?? 0}`;
  }

  private lockEntries(keyIds: string[]): void {
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

  private async store(seed: Uint8Array, name: string, passphrase: string, origin: StoredKeyInfo['origin'], within: StoreWithin): Promise<StoredKeyInfo> {
    const keyName = checkedName(name);
    if (passphrase === '') throw new InvalidInputError('a passphrase is required: it protects the private key at rest');
    const publicKey = publicKeyFromSeed(seed);
    const keyId = keyIdOf(publicKey);
    const publicKeyLine = toOpenSshLine(publicKey);
    this.refuseDuplicate(keyId);
    const sealed = await withPassphraseBytes(passphrase, (bytes) => sealSeed(seed, bytes, { keyId, publicKey: publicKeyLine }, this.kdfPolicy));
    const row = {
      key_id: keyId,
      name: keyName,
      public_key: publicKeyLine,
      origin,
      created_at: new Date(this.now()).toISOString(),
      ...sealColumns(sealed),
    } satisfies KeyRow;
    return within(() => {
      // Sealing took a while off the main thread: the same key may have been stored meanwhile.
      this.refuseDuplicate(keyId);
      this.db
        .prepare(
          `INSERT INTO keys (key_id, name, public_key, origin, created_at, kdf, salt, nonce, ciphertext, seal_version, passphrase_check)
           VALUES (@key_id, @name, @public_key, @origin, @created_at, @kdf, @salt, @nonce, @ciphertext, @seal_version, @passphrase_check)`,
        )
        .run(row);
      return toInfo(row);
    });
  }

  private refuseDuplicate(keyId: string): void {
    const existing = this.db.prepare('SELECT name FROM keys WHERE key_id = ?').get(keyId) as { name: string } | undefined;
    if (existing) throw new DuplicateKeyError(keyId, existing.name);
  }

  /** Replaces a row's seal, only if the row still holds the seal it was opened from. */
  private writeSeal(keyId: string, sealed: SealedSeed, previousCiphertext: Buffer): void {
    this.db
      .prepare(
        `UPDATE keys SET kdf = @kdf, salt = @salt, nonce = @nonce, ciphertext = @ciphertext, seal_version = @seal_version, passphrase_check = @passphrase_check
         WHERE key_id = @key_id AND ciphertext = @previous`,
      )
      .run({ ...sealColumns(sealed), key_id: keyId, previous: previousCiphertext });
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
      this.lockEntries([keyId]);
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
  return {
    version: row.seal_version,
    kdf: row.kdf,
    salt: new Uint8Array(row.salt),
    nonce: new Uint8Array(row.nonce),
    ciphertext: new Uint8Array(row.ciphertext),
    passphraseCheck: row.passphrase_check === null ? null : new Uint8Array(row.passphrase_check),
  };
}

function sealColumns(sealed: SealedSeed): Pick<KeyRow, 'kdf' | 'salt' | 'nonce' | 'ciphertext' | 'seal_version' | 'passphrase_check'> {
  if (sealed.version !== CURRENT_SEAL_VERSION || sealed.passphraseCheck === null) throw new Error('only the current seal version is written');
  return {
    kdf: sealed.kdf,
    salt: Buffer.from(sealed.salt),
    nonce: Buffer.from(sealed.nonce),
    ciphertext: Buffer.from(sealed.ciphertext),
    seal_version: sealed.version,
    passphrase_check: Buffer.from(sealed.passphraseCheck),
  };
}

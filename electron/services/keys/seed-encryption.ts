import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { SEED_LENGTH } from '../../../shared/crypto/ed25519';

/**
 * How a private key is kept at rest: passphrase → scrypt → AES-256-GCM over the 32-byte
 * Ed25519 seed (seal version 2).
 *
 * - scrypt with N = 2^17, r = 8, p = 1 (128 MiB of memory; about 0.45 s on a 2-core machine)
 *   and a random 16-byte salt, deriving 64 bytes: the first 32 are the AES key, the last 32 key
 *   an HMAC-SHA256 "passphrase check" stored beside the ciphertext. The passphrase is taken as
 *   UTF-8 after Unicode NFC normalisation, so the same typed passphrase works on every OS.
 *   The derivation runs in libuv's thread pool (async `scrypt`), never on the calling thread.
 * - AES-256-GCM with a random 12-byte nonce. The associated data binds the seal version, the
 *   key ID, the stored public key line and the KDF parameters and salt, so a ciphertext moved
 *   into another row, or a row whose metadata was edited, does not decrypt.
 * - Opening tells the two failures apart: a wrong passphrase fails the passphrase check; a
 *   right passphrase whose ciphertext, nonce or bound metadata was changed passes the check and
 *   then fails the GCM tag (StoredSealAlteredError). Parameters or lengths other than what this
 *   app writes are refused before any derivation (UnsafeKeyParametersError). What cannot be
 *   told apart: a salt or an accepted N replaced by another accepted value changes the derived
 *   key, so it looks exactly like a wrong passphrase.
 * - Seal version 1 (rows written before the passphrase check existed: AAD = key ID only, no
 *   check) still opens; a GCM failure there is reported as a wrong passphrase, and KeyStore
 *   re-seals such a row as version 2 on its first successful unlock.
 */

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/**
 * What the app writes, and the only parameters it accepts when reading back. The margin is one
 * doubling of N (2^18: 256 MiB, about 1 s here) so that a later version may raise the cost once
 * without older rows or newer rows becoming unreadable; anything beyond that is refused as
 * altered data, so an edited row can neither make unlocking hang nor exhaust memory.
 */
export interface KdfPolicy {
  write: Readonly<ScryptParameters>;
  acceptedN: readonly number[];
  acceptedR: readonly number[];
  acceptedP: readonly number[];
}

export const PRODUCTION_KDF_POLICY: KdfPolicy = Object.freeze({
  write: Object.freeze({ N: 2 ** 17, r: 8, p: 1 }),
  acceptedN: Object.freeze([2 ** 17, 2 ** 18]),
  acceptedR: Object.freeze([8]),
  acceptedP: Object.freeze([1]),
});

export const CURRENT_SEAL_VERSION = 2;
export const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const CHECK_BYTES = 32;
const PASSPHRASE_CHECK_LABEL = 'countersign passphrase check v2';

/** A seed as stored: everything needed to open it again with the passphrase. */
export interface SealedSeed {
  version: number;
  /** JSON text: `{"kdf":"scrypt","N":131072,"r":8,"p":1}`. */
  kdf: string;
  salt: Uint8Array;
  nonce: Uint8Array;
  /** The encrypted seed followed by the GCM tag. */
  ciphertext: Uint8Array;
  /** HMAC-SHA256 under the second half of the derived key; null in version 1. */
  passphraseCheck: Uint8Array | null;
}

/** What the seal is bound to besides the passphrase. */
export interface SealBinding {
  keyId: string;
  /** The stored OpenSSH public key line (`ssh-ed25519 AAAA…`, no comment). */
  publicKey: string;
}

/** The stored protection parameters are missing, malformed or not what this app writes. */
export class UnsafeKeyParametersError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = new.target.name;
  }
}

/** The passphrase does not open the seal (or, undetectably, its salt or N was replaced). */
export class SeedAuthenticationError extends Error {
  constructor() {
    super('the passphrase does not open this key');
    this.name = new.target.name;
  }
}

/** The passphrase is right, but the ciphertext, nonce or bound metadata was changed. */
export class StoredSealAlteredError extends Error {
  constructor() {
    super('the passphrase is right but the stored ciphertext or its metadata was changed');
    this.name = new.target.name;
  }
}

/**
 * The passphrase as NFC-normalised UTF-8 bytes in a Buffer the caller zeroes. (The string
 * itself, and the normalised copy, are JavaScript strings: immutable, not erasable.)
 */
export function passphraseBytes(passphrase: string): Buffer {
  return Buffer.from(passphrase.normalize('NFC'), 'utf8');
}

/** Runs `work` with the passphrase's bytes and zeroes them afterwards, whatever happens. */
export async function withPassphraseBytes<T>(passphrase: string, work: (bytes: Buffer) => Promise<T>): Promise<T> {
  const bytes = passphraseBytes(passphrase);
  try {
    return await work(bytes);
  } finally {
    bytes.fill(0);
  }
}

export async function sealSeed(seed: Uint8Array, passphrase: Uint8Array, binding: SealBinding, policy: KdfPolicy = PRODUCTION_KDF_POLICY): Promise<SealedSeed> {
  if (seed.length !== SEED_LENGTH) throw new RangeError(`an Ed25519 seed is ${SEED_LENGTH} bytes, got ${seed.length}`);
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const derived = await deriveKey(passphrase, salt, policy.write);
  try {
    return sealWithDerivedKey(seed, derived, binding, policy.write, salt);
  } finally {
    derived.fill(0);
  }
}

/**
 * The seed inside `sealed`, a fresh Buffer the caller must zero when done. Throws
 * UnsafeKeyParametersError before deriving anything when the stored parameters or lengths are
 * not what the app writes, SeedAuthenticationError for a wrong passphrase and
 * StoredSealAlteredError for a right passphrase on altered data.
 *
 * For a version 1 seal, `upgraded` is the same seed sealed as the current version (same salt
 * and derived key, fresh nonce), for the caller to store.
 */
export async function openSeed(
  sealed: SealedSeed,
  passphrase: Uint8Array,
  binding: SealBinding,
  policy: KdfPolicy = PRODUCTION_KDF_POLICY,
): Promise<{ seed: Buffer; upgraded: SealedSeed | null }> {
  const parameters = checkSealShape(sealed, policy);
  const derived = await deriveKey(passphrase, sealed.salt, parameters);
  try {
    if (sealed.version === CURRENT_SEAL_VERSION) {
      if (!timingSafeEqual(passphraseCheckOf(derived), sealed.passphraseCheck!)) throw new SeedAuthenticationError();
      const seed = decrypt(sealed, derived, aadOf(binding, parameters, sealed.salt));
      if (seed === null) throw new StoredSealAlteredError();
      return { seed, upgraded: null };
    }
    const seed = decrypt(sealed, derived, new TextEncoder().encode(binding.keyId));
    if (seed === null) throw new SeedAuthenticationError();
    return { seed, upgraded: sealWithDerivedKey(seed, derived, binding, parameters, sealed.salt) };
  } finally {
    derived.fill(0);
  }
}

/** Reads the stored `kdf` JSON, refusing anything but the scrypt parameters the policy accepts. */
export function readScryptParameters(kdfText: string, policy: KdfPolicy = PRODUCTION_KDF_POLICY): ScryptParameters {
  let value;
  try {
    value = parseStrictJson(kdfText, { maxBytes: 1024, maxDepth: 2 });
  } catch (error) {
    throw new UnsafeKeyParametersError(`the stored key-derivation parameters are not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UnsafeKeyParametersError('the stored key-derivation parameters are not a JSON object');
  }
  const unknown = Object.keys(value).filter((name) => !['kdf', 'N', 'r', 'p'].includes(name));
  if (unknown.length > 0) throw new UnsafeKeyParametersError(`unknown key-derivation parameters: ${unknown.join(', ')}`);
  if (value.kdf !== 'scrypt') throw new UnsafeKeyParametersError(`unsupported key-derivation function ${JSON.stringify(value.kdf ?? null)}; keys here use scrypt`);
  const { N, r, p } = value;
  if (typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number') {
    throw new UnsafeKeyParametersError('scrypt parameters N, r and p must all be numbers');
  }
  const outside = (name: string, actual: number, accepted: readonly number[]) =>
    new UnsafeKeyParametersError(`scrypt ${name}=${actual} is not what this app writes (accepted: ${accepted.join(' or ')})`);
  if (!policy.acceptedN.includes(N)) throw outside('N', N, policy.acceptedN);
  if (!policy.acceptedR.includes(r)) throw outside('r', r, policy.acceptedR);
  if (!policy.acceptedP.includes(p)) throw outside('p', p, policy.acceptedP);
  return { N, r, p };
}

function checkSealShape(sealed: SealedSeed, policy: KdfPolicy): ScryptParameters {
  if (sealed.version !== 1 && sealed.version !== CURRENT_SEAL_VERSION) throw new UnsafeKeyParametersError(`unknown seal version ${sealed.version}`);
  const parameters = readScryptParameters(sealed.kdf, policy);
  if (sealed.salt.length !== SALT_BYTES) throw new UnsafeKeyParametersError(`the salt is ${sealed.salt.length} bytes; this app writes ${SALT_BYTES}`);
  if (sealed.nonce.length !== NONCE_BYTES) throw new UnsafeKeyParametersError(`the nonce is ${sealed.nonce.length} bytes; this app writes ${NONCE_BYTES}`);
  if (sealed.ciphertext.length !== SEED_LENGTH + TAG_BYTES) {
    throw new UnsafeKeyParametersError(`the sealed key is ${sealed.ciphertext.length} bytes; a sealed Ed25519 seed is ${SEED_LENGTH + TAG_BYTES}`);
  }
  if (sealed.version === CURRENT_SEAL_VERSION && sealed.passphraseCheck?.length !== CHECK_BYTES) {
    throw new UnsafeKeyParametersError(`the passphrase check is ${sealed.passphraseCheck?.length ?? 'missing'}${sealed.passphraseCheck ? ' bytes' : ''}; this app writes ${CHECK_BYTES} bytes`);
  }
  return parameters;
}

function sealWithDerivedKey(seed: Uint8Array, derived: Buffer, binding: SealBinding, parameters: ScryptParameters, salt: Uint8Array): SealedSeed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', derived.subarray(0, KEY_BYTES), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(binding, parameters, salt));
  const ciphertext = Buffer.concat([cipher.update(seed), cipher.final(), cipher.getAuthTag()]);
  return {
    version: CURRENT_SEAL_VERSION,
    kdf: kdfText(parameters),
    salt: new Uint8Array(salt),
    nonce: new Uint8Array(nonce),
    ciphertext: new Uint8Array(ciphertext),
    passphraseCheck: new Uint8Array(passphraseCheckOf(derived)),
  };
}

/** The seed, or null when the tag does not verify; no plaintext outlives a failure. */
function decrypt(sealed: SealedSeed, derived: Buffer, aad: Uint8Array): Buffer | null {
  const decipher = createDecipheriv('aes-256-gcm', derived.subarray(0, KEY_BYTES), sealed.nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.ciphertext.subarray(SEED_LENGTH));
  const plaintext = decipher.update(sealed.ciphertext.subarray(0, SEED_LENGTH));
  try {
    decipher.final();
  } catch {
    plaintext.fill(0);
    return null;
  }
  return plaintext;
}

function kdfText({ N, r, p }: ScryptParameters): string {
  return JSON.stringify({ kdf: 'scrypt', N, r, p });
}

/** Length-prefixed fields, so that no two different bindings encode alike. */
function aadOf(binding: SealBinding, parameters: ScryptParameters, salt: Uint8Array): Uint8Array {
  const fields = [`countersign-seed-v${CURRENT_SEAL_VERSION}`, binding.keyId, binding.publicKey, kdfText(parameters)].map((text) => Buffer.from(text, 'utf8'));
  fields.push(Buffer.from(salt));
  return Buffer.concat(fields.flatMap((field) => [lengthPrefix(field.length), field]));
}

function lengthPrefix(length: number): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(length);
  return prefix;
}

function passphraseCheckOf(derived: Buffer): Buffer {
  return createHmac('sha256', derived.subarray(KEY_BYTES)).update(PASSPHRASE_CHECK_LABEL).digest();
}

/** 64 bytes: the AES key, then the passphrase-check key. Runs in libuv's thread pool. */
function deriveKey(passphrase: Uint8Array, salt: Uint8Array, parameters: ScryptParameters): Promise<Buffer> {
  // Node refuses to run scrypt above `maxmem`; allow twice the working set (128·N·r) for its bookkeeping.
  const maxmem = 2 * 128 * parameters.N * parameters.r;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, KEY_BYTES + CHECK_BYTES, { ...parameters, maxmem }, (error, derived) => (error ? reject(error) : resolve(derived)));
  });
}

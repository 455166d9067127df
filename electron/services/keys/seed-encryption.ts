import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { SEED_LENGTH } from '../../../shared/crypto/ed25519';

/**
 * How a private key is kept at rest: passphrase → scrypt → AES-256-GCM over the 32-byte
 * Ed25519 seed.
 *
 * - scrypt with N = 2^17, r = 8, p = 1 (128 MiB of memory; about 0.45 s on a 2-core machine)
 *   and a random 16-byte salt, deriving a 32-byte key. The passphrase is taken as UTF-8 after
 *   Unicode NFC normalisation, so the same typed passphrase works on every OS.
 * - AES-256-GCM with a random 12-byte nonce and the key ID (UTF-8) as associated data, so a
 *   ciphertext copied into another key's row does not decrypt. The 16-byte tag is appended to
 *   the ciphertext (48 bytes in all). A wrong passphrase fails the tag check: an authenticated
 *   failure, never a wrong key silently used.
 * - The parameters are stored with each key (`kdf` as JSON, `salt`, `nonce`, `ciphertext`).
 *   Parameters read back outside SCRYPT_LIMITS are refused before any work is done, so an
 *   edited row can neither downgrade the protection of the next key sealed nor make unlocking
 *   hang or exhaust memory.
 */

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_PARAMETERS: Readonly<ScryptParameters> = { N: 2 ** 17, r: 8, p: 1 };

export const SCRYPT_LIMITS = {
  minN: 2 ** 14,
  maxN: 2 ** 20,
  minR: 8,
  maxR: 16,
  minP: 1,
  maxP: 4,
  /** 128·N·r bytes, scrypt's working memory. */
  maxMemoryBytes: 2 ** 30,
  minSaltBytes: 16,
  maxSaltBytes: 64,
} as const;

const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DERIVED_KEY_BYTES = 32;

/** A seed as stored: everything needed to open it again with the passphrase. */
export interface SealedSeed {
  /** JSON text: `{"kdf":"scrypt","N":131072,"r":8,"p":1}`. */
  kdf: string;
  salt: Uint8Array;
  nonce: Uint8Array;
  /** The encrypted seed followed by the GCM tag. */
  ciphertext: Uint8Array;
}

/** The stored protection parameters are missing, malformed or outside SCRYPT_LIMITS. */
export class UnsafeKeyParametersError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = new.target.name;
  }
}

/** The GCM tag did not verify: a wrong passphrase, or an altered ciphertext, nonce or salt. */
export class SeedAuthenticationError extends Error {
  constructor() {
    super('the passphrase does not open this key');
    this.name = new.target.name;
  }
}

export function sealSeed(seed: Uint8Array, passphrase: string, keyId: string, parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS): SealedSeed {
  if (seed.length !== SEED_LENGTH) throw new RangeError(`an Ed25519 seed is ${SEED_LENGTH} bytes, got ${seed.length}`);
  const problem = scryptParameterProblem(parameters);
  if (problem !== null) throw new UnsafeKeyParametersError(problem);
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const key = deriveKey(passphrase, salt, parameters);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(new TextEncoder().encode(keyId));
    const ciphertext = Buffer.concat([cipher.update(seed), cipher.final(), cipher.getAuthTag()]);
    const kdf = JSON.stringify({ kdf: 'scrypt', N: parameters.N, r: parameters.r, p: parameters.p });
    return { kdf, salt: new Uint8Array(salt), nonce: new Uint8Array(nonce), ciphertext: new Uint8Array(ciphertext) };
  } finally {
    key.fill(0);
  }
}

/**
 * The seed inside `sealed`, a fresh array the caller must zero when done. Throws
 * UnsafeKeyParametersError before deriving anything when the stored parameters are unsafe,
 * and SeedAuthenticationError when the passphrase is wrong.
 */
export function openSeed(sealed: SealedSeed, passphrase: string, keyId: string): Uint8Array {
  const parameters = readScryptParameters(sealed.kdf);
  if (sealed.salt.length < SCRYPT_LIMITS.minSaltBytes || sealed.salt.length > SCRYPT_LIMITS.maxSaltBytes) {
    throw new UnsafeKeyParametersError(`the salt is ${sealed.salt.length} bytes; it must be ${SCRYPT_LIMITS.minSaltBytes} to ${SCRYPT_LIMITS.maxSaltBytes}`);
  }
  if (sealed.nonce.length !== NONCE_BYTES) throw new UnsafeKeyParametersError(`the nonce is ${sealed.nonce.length} bytes; AES-GCM here uses ${NONCE_BYTES}`);
  if (sealed.ciphertext.length !== SEED_LENGTH + TAG_BYTES) {
    throw new UnsafeKeyParametersError(`the ciphertext is ${sealed.ciphertext.length} bytes; a sealed seed is ${SEED_LENGTH + TAG_BYTES}`);
  }
  const key = deriveKey(passphrase, sealed.salt, parameters);
  let plaintext: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(new TextEncoder().encode(keyId));
    decipher.setAuthTag(sealed.ciphertext.subarray(SEED_LENGTH));
    plaintext = decipher.update(sealed.ciphertext.subarray(0, SEED_LENGTH));
    try {
      decipher.final();
    } catch {
      throw new SeedAuthenticationError();
    }
    return new Uint8Array(plaintext);
  } finally {
    key.fill(0);
    plaintext?.fill(0);
  }
}

/** Reads the stored `kdf` JSON, refusing anything but scrypt within SCRYPT_LIMITS. */
export function readScryptParameters(kdfText: string): ScryptParameters {
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
  const parameters = { N, r, p };
  const problem = scryptParameterProblem(parameters);
  if (problem !== null) throw new UnsafeKeyParametersError(problem);
  return parameters;
}

function scryptParameterProblem({ N, r, p }: ScryptParameters): string | null {
  if (!Number.isSafeInteger(N) || N < 2 || (N & (N - 1)) !== 0) return `scrypt N=${N} is not a power of two`;
  if (N < SCRYPT_LIMITS.minN || N > SCRYPT_LIMITS.maxN) return `scrypt N=${N} is outside 2^14..2^20`;
  if (!Number.isSafeInteger(r) || r < SCRYPT_LIMITS.minR || r > SCRYPT_LIMITS.maxR) return `scrypt r=${r} is outside ${SCRYPT_LIMITS.minR}..${SCRYPT_LIMITS.maxR}`;
  if (!Number.isSafeInteger(p) || p < SCRYPT_LIMITS.minP || p > SCRYPT_LIMITS.maxP) return `scrypt p=${p} is outside ${SCRYPT_LIMITS.minP}..${SCRYPT_LIMITS.maxP}`;
  if (scryptMemoryBytes({ N, r, p }) > SCRYPT_LIMITS.maxMemoryBytes) return `scrypt N=${N}, r=${r} would need more than 1 GiB of memory`;
  return null;
}

function scryptMemoryBytes({ N, r }: ScryptParameters): number {
  return 128 * N * r;
}

function deriveKey(passphrase: string, salt: Uint8Array, parameters: ScryptParameters): Buffer {
  // Node refuses to run scrypt above `maxmem`; allow twice the working set for its bookkeeping.
  const maxmem = 2 * scryptMemoryBytes(parameters);
  return scryptSync(passphrase.normalize('NFC'), salt, DERIVED_KEY_BYTES, { ...parameters, maxmem });
}

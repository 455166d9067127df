import { DomainError } from '../../../shared/errors/domain-error';
import { createDecipheriv } from 'node:crypto';
import bcryptPbkdf from 'bcrypt-pbkdf';
import { equalBytes } from '../../../shared/encoding/bytes';
import { checkPublicKey, PUBLIC_KEY_LENGTH, publicKeyFromSeed, SEED_LENGTH } from '../../../shared/crypto/ed25519';

/**
 * Reads an Ed25519 private key in the OpenSSH format (`openssh-key-v1`, OpenSSH's
 * PROTOCOL.key), exactly as `ssh-keygen -t ed25519` writes it: unencrypted (cipher and kdf
 * "none") or passphrase-protected (kdf "bcrypt", cipher "aes256-ctr", the default). The binary
 * layout is checked strictly; anything else is refused with an OpenSshKeyError saying why.
 */

export interface OpenSshEd25519Key {
  /** The 32-byte RFC 8032 secret seed; the caller must zero it when done. */
  seed: Uint8Array;
  publicKey: Uint8Array;
  /** The comment stored inside the private section (often user@host). */
  comment: string;
}

export class OpenSshKeyError extends DomainError {
  constructor(message: string) {
    super('invalid-format', message);
  }
}

/** The file is passphrase-protected and the passphrase given does not open it. */
export class OpenSshPassphraseError extends OpenSshKeyError {
  constructor(readonly publicKey: Uint8Array) {
    super('the passphrase does not decrypt this OpenSSH private key');
  }
}

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
const AUTH_MAGIC = new TextEncoder().encode('openssh-key-v1\0');
const KEY_TYPE = 'ssh-ed25519';
/** A private key file is a few hundred bytes; anything this large is not one. */
export const MAX_PRIVATE_KEY_FILE_BYTES = 64 * 1024;
const MAX_FILE_BYTES = MAX_PRIVATE_KEY_FILE_BYTES;
/** ssh-keygen's default is 16 (about 0.3 s here); each round costs the same again. */
const MAX_BCRYPT_ROUNDS = 512;
const AES256_CTR = { keyBytes: 32, ivBytes: 16, blockBytes: 16 };
const UNENCRYPTED_BLOCK_BYTES = 8;

/**
 * Reads the key from the file's bytes. `passphrase` is the file's passphrase as UTF-8 bytes
 * (empty for an unprotected file). Neither argument is kept or changed; the caller zeroes them.
 */
export function parseOpenSshPrivateKey(file: Uint8Array, passphrase: Uint8Array): OpenSshEd25519Key {
  const body = decodeArmor(file);
  try {
    return parseBody(body, passphrase);
  } finally {
    body.fill(0);
  }
}

/** The public facts of a key file, readable without its passphrase: the public key and whether it is protected. */
export function inspectOpenSshPrivateKey(file: Uint8Array): { publicKey: Uint8Array; protection: 'none' | 'passphrase' } {
  const body = decodeArmor(file);
  try {
    const header = readHeader(body);
    return { publicKey: header.publicKey, protection: header.encryption.kind === 'none' ? 'none' : 'passphrase' };
  } finally {
    body.fill(0);
  }
}

function readHeader(body: Uint8Array) {
  const reader = new WireReader(body);
  if (!equalBytes(reader.readBytes(AUTH_MAGIC.length, 'the format magic'), AUTH_MAGIC)) {
    throw new OpenSshKeyError("not an OpenSSH private key: the binary body does not start with 'openssh-key-v1'");
  }
  const cipherName = reader.readText('cipher name');
  const kdfName = reader.readText('KDF name');
  const kdfOptions = reader.readString('KDF options');
  const keyCount = reader.readUint32('key count');
  if (keyCount !== 1) throw new OpenSshKeyError(`the file holds ${keyCount} keys; exactly one is supported`);
  const publicKey = readPublicKeyBlob(new WireReader(reader.readString('public key')));
  const privateSection = reader.readString('private section');
  const encryption = describeEncryption(cipherName, kdfName, kdfOptions);
  if (reader.remaining > 0) throw new OpenSshKeyError(`${reader.remaining} unexpected bytes after the private section`);
  return { publicKey: publicKey.slice(), privateSection, encryption };
}

function parseBody(body: Uint8Array, passphrase: Uint8Array): OpenSshEd25519Key {
  const { publicKey, privateSection, encryption: encrypted } = readHeader(body);
  if (privateSection.length % encrypted.blockBytes !== 0) {
    throw new OpenSshKeyError(`the private section (${privateSection.length} bytes) is not a whole number of ${encrypted.blockBytes}-byte blocks`);
  }
  let plaintext: Uint8Array;
  if (encrypted.kind === 'none') {
    plaintext = privateSection;
  } else {
    if (passphrase.length === 0) throw new OpenSshKeyError('this OpenSSH private key is passphrase-protected; give its passphrase');
    plaintext = decryptAes256Ctr(privateSection, passphrase, encrypted.salt, encrypted.rounds);
  }
  try {
    return readPrivateSection(plaintext, publicKey, encrypted);
  } finally {
    plaintext.fill(0);
  }
}

type Encryption = { kind: 'none'; blockBytes: number } | { kind: 'bcrypt-aes256-ctr'; blockBytes: number; salt: Uint8Array; rounds: number };

function describeEncryption(cipherName: string, kdfName: string, kdfOptions: Uint8Array): Encryption {
  if (cipherName === 'none') {
    if (kdfName !== 'none' || kdfOptions.length !== 0) throw new OpenSshKeyError(`an unencrypted key must have KDF 'none' and no KDF options, found '${kdfName}'`);
    return { kind: 'none', blockBytes: UNENCRYPTED_BLOCK_BYTES };
  }
  if (cipherName !== 'aes256-ctr') {
    throw new OpenSshKeyError(`the key is encrypted with '${cipherName}', which is not supported; re-encrypt it with \`ssh-keygen -p -Z aes256-ctr -f <file>\``);
  }
  if (kdfName !== 'bcrypt') throw new OpenSshKeyError(`the key uses KDF '${kdfName}'; OpenSSH keys encrypted with aes256-ctr use 'bcrypt'`);
  const options = new WireReader(kdfOptions);
  const salt = options.readString('bcrypt salt');
  const rounds = options.readUint32('bcrypt rounds');
  if (options.remaining > 0) throw new OpenSshKeyError(`${options.remaining} unexpected bytes after the bcrypt KDF options`);
  if (salt.length < 16 || salt.length > 64) throw new OpenSshKeyError(`the bcrypt salt is ${salt.length} bytes; expected 16 to 64`);
  if (rounds < 1 || rounds > MAX_BCRYPT_ROUNDS) throw new OpenSshKeyError(`the bcrypt KDF asks for ${rounds} rounds; 1 to ${MAX_BCRYPT_ROUNDS} are accepted`);
  return { kind: 'bcrypt-aes256-ctr', blockBytes: AES256_CTR.blockBytes, salt, rounds };
}

function decryptAes256Ctr(ciphertext: Uint8Array, password: Uint8Array, salt: Uint8Array, rounds: number): Uint8Array {
  const keyAndIv = new Uint8Array(AES256_CTR.keyBytes + AES256_CTR.ivBytes);
  try {
    if (bcryptPbkdf.pbkdf(password, password.length, salt, salt.length, keyAndIv, keyAndIv.length, rounds) !== 0) {
      throw new OpenSshKeyError('bcrypt-pbkdf refused the KDF parameters of this key');
    }
    const decipher = createDecipheriv('aes-256-ctr', keyAndIv.subarray(0, AES256_CTR.keyBytes), keyAndIv.subarray(AES256_CTR.keyBytes));
    const parts = [decipher.update(ciphertext), decipher.final()];
    const plaintext = new Uint8Array(ciphertext.length);
    let offset = 0;
    for (const part of parts) {
      plaintext.set(part, offset);
      offset += part.length;
      part.fill(0);
    }
    return plaintext;
  } finally {
    keyAndIv.fill(0);
  }
}

/**
 * The private section: checkint, checkint, then the key (type, public key, seed||public key,
 * comment), then padding 1, 2, 3, ... up to the block size. Equal checkints are how OpenSSH
 * tells a wrong passphrase from a right one.
 */
function readPrivateSection(plaintext: Uint8Array, publicKey: Uint8Array, encryption: Encryption): OpenSshEd25519Key {
  const reader = new WireReader(plaintext);
  const check1 = reader.readUint32('first check integer');
  const check2 = reader.readUint32('second check integer');
  if (check1 !== check2) {
    if (encryption.kind !== 'none') throw new OpenSshPassphraseError(publicKey);
    throw new OpenSshKeyError('the check integers of the private section differ: the file is damaged');
  }
  const keyType = reader.readText('private key type');
  if (keyType !== KEY_TYPE) throw new OpenSshKeyError(`the private section holds a '${keyType}' key, but the file's public key is ${KEY_TYPE}`);
  const innerPublicKey = reader.readString('private section public key');
  if (!equalBytes(innerPublicKey, publicKey)) throw new OpenSshKeyError("the private section's public key differs from the file's public key");
  const secret = reader.readString('private key');
  try {
    const comment = new TextDecoder().decode(reader.readString('comment'));
    checkPadding(reader, encryption.blockBytes);
    if (secret.length !== SEED_LENGTH + PUBLIC_KEY_LENGTH) {
      throw new OpenSshKeyError(`the Ed25519 private key is ${secret.length} bytes; OpenSSH writes seed || public key, ${SEED_LENGTH + PUBLIC_KEY_LENGTH} bytes`);
    }
    if (!equalBytes(secret.subarray(SEED_LENGTH), publicKey)) throw new OpenSshKeyError('the second half of the private key is not the public key');
    const seed = secret.slice(0, SEED_LENGTH);
    if (!equalBytes(publicKeyFromSeed(seed), publicKey)) {
      seed.fill(0);
      throw new OpenSshKeyError('the private key does not belong to the public key in the file');
    }
    return { seed, publicKey, comment };
  } finally {
    secret.fill(0);
  }
}

function checkPadding(reader: WireReader, blockBytes: number): void {
  const padding = reader.readBytes(reader.remaining, 'padding');
  if (padding.length >= blockBytes) throw new OpenSshKeyError(`${padding.length} bytes of padding; at most ${blockBytes - 1} fit a ${blockBytes}-byte block`);
  padding.forEach((byte, i) => {
    if (byte !== i + 1) throw new OpenSshKeyError(`padding byte ${i + 1} is ${byte}; OpenSSH pads with 1, 2, 3, ...`);
  });
}

function readPublicKeyBlob(reader: WireReader): Uint8Array {
  const keyType = reader.readText('public key type');
  if (keyType !== KEY_TYPE) {
    throw new OpenSshKeyError(`this is an OpenSSH '${keyType}' key; Countersign keys are Ed25519 (create one with \`ssh-keygen -t ed25519\`)`);
  }
  const publicKey = reader.readString('Ed25519 public key');
  if (publicKey.length !== PUBLIC_KEY_LENGTH) throw new OpenSshKeyError(`the Ed25519 public key is ${publicKey.length} bytes, expected ${PUBLIC_KEY_LENGTH}`);
  if (reader.remaining > 0) throw new OpenSshKeyError(`${reader.remaining} unexpected bytes after the public key`);
  const problem = checkPublicKey(publicKey);
  if (problem !== null) throw new OpenSshKeyError(`unacceptable Ed25519 public key: ${problem}`);
  return publicKey;
}

/**
 * The binary body of the armoured file, decoded straight from the file's bytes: the key text
 * never becomes a JavaScript string (strings cannot be erased). The caller zeroes the result.
 */
function decodeArmor(file: Uint8Array): Uint8Array {
  if (file.length > MAX_FILE_BYTES) throw new OpenSshKeyError(`the file is ${file.length} bytes; an OpenSSH private key is a few hundred`);
  const lines = armorLines(file);
  const first = lines[0];
  const firstText = first === undefined ? '' : asciiOf(file.subarray(first.start, first.end));
  if (firstText !== BEGIN) {
    const otherKind = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(firstText)?.[1];
    if (otherKind === 'RSA PRIVATE KEY') throw new OpenSshKeyError('this is an RSA private key; Countersign keys are Ed25519 (create one with `ssh-keygen -t ed25519`)');
    if (otherKind === 'EC PRIVATE KEY') throw new OpenSshKeyError('this is an ECDSA private key; Countersign keys are Ed25519 (create one with `ssh-keygen -t ed25519`)');
    if (otherKind !== undefined) throw new OpenSshKeyError(`this is a '${otherKind}' PEM block; give an Ed25519 key in the OpenSSH format ('${BEGIN}')`);
    throw new OpenSshKeyError(`not an OpenSSH private key: the file does not start with '${BEGIN}'`);
  }
  const last = lines.at(-1)!;
  if (lines.length < 3 || asciiOf(file.subarray(last.start, last.end)) !== END) throw new OpenSshKeyError(`the OpenSSH private key does not end with '${END}'`);
  return decodeBase64Lines(file, lines.slice(1, -1));
}

interface LineRange {
  start: number;
  end: number;
}

/** The lines between leading and trailing whitespace, split at LF or CRLF. */
function armorLines(file: Uint8Array): LineRange[] {
  let start = 0;
  let end = file.length;
  while (start < end && isAsciiSpace(file[start]!)) start++;
  while (end > start && isAsciiSpace(file[end - 1]!)) end--;
  const lines: LineRange[] = [];
  let lineStart = start;
  for (let i = start; i <= end; i++) {
    if (i === end || file[i] === 0x0a) {
      const lineEnd = i > lineStart && file[i - 1] === 0x0d ? i - 1 : i;
      lines.push({ start: lineStart, end: lineEnd });
      lineStart = i + 1;
    }
  }
  return lines;
}

/** Padded standard base64 in its one canonical spelling, read across the body lines. */
function decodeBase64Lines(file: Uint8Array, lines: LineRange[]): Uint8Array {
  const fail = (problem: string): never => {
    throw new OpenSshKeyError(`the OpenSSH private key body is not padded standard base64 (${problem})`);
  };
  const charCount = lines.reduce((sum, line) => sum + line.end - line.start, 0);
  if (charCount === 0 || charCount % 4 !== 0) fail(`${charCount} characters`);
  const bytes = new Uint8Array((charCount / 4) * 3);
  let written = 0;
  let accumulator = 0;
  let sextets = 0;
  let padding = 0;
  for (const line of lines) {
    for (let i = line.start; i < line.end; i++) {
      const code = file[i]!;
      if (code === 0x3d) {
        padding++;
        continue;
      }
      if (padding > 0) fail("'=' padding in the middle");
      const sextet = sextetOf(code);
      if (sextet < 0) fail(`unexpected byte 0x${code.toString(16).padStart(2, '0')}`);
      accumulator = (accumulator << 6) | sextet;
      sextets++;
      if (sextets === 4) {
        bytes[written++] = (accumulator >> 16) & 0xff;
        bytes[written++] = (accumulator >> 8) & 0xff;
        bytes[written++] = accumulator & 0xff;
        accumulator = 0;
        sextets = 0;
      }
    }
  }
  if (padding > 2 || padding !== (4 - sextets) % 4) fail('wrong padding');
  if (sextets === 2) {
    if ((accumulator & 0x0f) !== 0) fail('non-zero unused bits');
    bytes[written++] = (accumulator >> 4) & 0xff;
  } else if (sextets === 3) {
    if ((accumulator & 0x03) !== 0) fail('non-zero unused bits');
    bytes[written++] = (accumulator >> 10) & 0xff;
    bytes[written++] = (accumulator >> 2) & 0xff;
  }
  accumulator = 0;
  const body = bytes.slice(0, written);
  bytes.fill(0);
  return body;
}

function sextetOf(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 26;
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 52;
  if (code === 0x2b) return 62;
  if (code === 0x2f) return 63;
  return -1;
}

function isAsciiSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Header lines only (never the key body): printable ASCII, anything else shown as '?'. */
function asciiOf(bytes: Uint8Array): string {
  return String.fromCharCode(...Array.from(bytes.subarray(0, 100), (code) => (code >= 0x20 && code < 0x7f ? code : 0x3f)));
}

/** SSH wire encoding (RFC 4251 §5): uint32 big-endian, and strings as a uint32 length then bytes. */
class WireReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  readUint32(what: string): number {
    const bytes = this.readBytes(4, what);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  }

  readString(what: string): Uint8Array {
    return this.readBytes(this.readUint32(`${what} length`), what);
  }

  readText(what: string): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.readString(what));
    } catch (error) {
      if (error instanceof OpenSshKeyError) throw error;
      throw new OpenSshKeyError(`the ${what} is not UTF-8 text`);
    }
  }

  readBytes(length: number, what: string): Uint8Array {
    if (length > this.remaining) throw new OpenSshKeyError(`the OpenSSH private key ends inside the ${what}`);
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

import { decodeBase64Strict, encodeBase64, encodeBase64Unpadded } from '../encoding/base64';
import { concatBytes, startsWithBytes } from '../encoding/bytes';
import { EncodingError } from '../encoding/encoding-error';
import { hexToBytesStrict } from '../encoding/hex';
import { FormatError } from '../formats/format-error';
import { PUBLIC_KEY_LENGTH, VerifyingKey } from './ed25519';
import { sha256 } from './hash';

/** A reviewer's Ed25519 public key, read from an OpenSSH line or a PEM block (FORMATS §2). */
export interface PublicKeyInfo {
  /** `SHA256:` + unpadded base64, exactly what `ssh-keygen -lf key.pub` prints. */
  keyId: string;
  publicKey: Uint8Array;
  /** The key checked once (canonical, not small-order, in the prime-order subgroup), ready to verify with. */
  verifyingKey: VerifyingKey;
  /** The OpenSSH comment (often user@host); null for PEM keys or lines without one. */
  comment: string | null;
  /** The canonical `ssh-ed25519 AAAA...` line, without comment. */
  openssh: string;
}

const SSH_KEY_TYPE = 'ssh-ed25519';
const ERROR_PATH = 'public key';

/** DER of SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 (1.3.101.112) }, BIT STRING (32 bytes) }. */
const ED25519_SPKI_PREFIX = hexToBytesStrict('302a300506032b6570032100', 'Ed25519 SubjectPublicKeyInfo prefix');
const ED25519_SPKI_LENGTH = ED25519_SPKI_PREFIX.length + PUBLIC_KEY_LENGTH;

const PEM_BEGIN = '-----BEGIN PUBLIC KEY-----';
const PEM_END = '-----END PUBLIC KEY-----';

/**
 * Reads one Ed25519 public key: an OpenSSH line (`ssh-ed25519 AAAAC3Nza... comment`) or a PEM
 * SubjectPublicKeyInfo block. Both are parsed to the byte; anything else, and any key that
 * checkPublicKey refuses (small-order, non-canonical), throws a FormatError saying why.
 */
export function parsePublicKey(text: string): PublicKeyInfo {
  const trimmed = text.trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
    throw new FormatError(ERROR_PATH, 'this is a private key; give the public key instead (the .pub file, or `openssl pkey -pubout`)');
  }
  const parsed = trimmed.startsWith('-----BEGIN') ? parsePem(trimmed) : parseOpenSshLine(trimmed);
  const verifyingKey = VerifyingKey.fromBytes(parsed.publicKey);
  if (typeof verifyingKey === 'string') throw new FormatError(ERROR_PATH, `unacceptable Ed25519 key: ${verifyingKey}`);
  return {
    keyId: keyIdOf(parsed.publicKey),
    publicKey: parsed.publicKey,
    verifyingKey,
    comment: parsed.comment,
    openssh: toOpenSshLine(parsed.publicKey),
  };
}

/** The OpenSSH SHA-256 fingerprint of the key, the key ID everywhere in Countersign. */
export function keyIdOf(publicKey: Uint8Array): string {
  return `SHA256:${encodeBase64Unpadded(sha256(sshWireBlob(publicKey)))}`;
}

export function toOpenSshLine(publicKey: Uint8Array, comment?: string): string {
  const line = `${SSH_KEY_TYPE} ${encodeBase64(sshWireBlob(publicKey))}`;
  if (comment === undefined || comment === '') return line;
  if (/[\r\n]/.test(comment)) throw new RangeError('an OpenSSH key comment cannot contain a line break');
  return `${line} ${comment}`;
}

export function toPem(publicKey: Uint8Array): string {
  assertPublicKeyLength(publicKey);
  const der = concatBytes(ED25519_SPKI_PREFIX, publicKey);
  // 44 bytes of DER is 60 base64 characters: one line, under PEM's 64-character limit.
  return `${PEM_BEGIN}\n${encodeBase64(der)}\n${PEM_END}\n`;
}

interface ParsedKey {
  publicKey: Uint8Array;
  comment: string | null;
}

function parseOpenSshLine(line: string): ParsedKey {
  if (/[\r\n]/.test(line)) throw new FormatError(ERROR_PATH, 'expected a single OpenSSH key line, found several lines');
  const match = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (match === null) {
    throw new FormatError(ERROR_PATH, 'not an OpenSSH public key line (`ssh-ed25519 AAAA... comment`) nor a PEM `BEGIN PUBLIC KEY` block');
  }
  const [, lineType = '', blobText = '', comment = ''] = match;
  if (lineType !== SSH_KEY_TYPE) {
    throw new FormatError(ERROR_PATH, `unsupported key type '${lineType}': reviewer keys are Ed25519 (${SSH_KEY_TYPE})`);
  }
  const blob = decodeCanonicalBase64(blobText, 'the OpenSSH key blob');
  return { publicKey: readSshEd25519Blob(blob), comment: comment.trim() === '' ? null : comment.trim() };
}

/** The blob is `string key-type || string key`, each string a uint32 big-endian length and bytes. */
function readSshEd25519Blob(blob: Uint8Array): Uint8Array {
  const reader = new SshWireReader(blob);
  const blobType = new TextDecoder().decode(reader.readString('key type'));
  if (blobType !== SSH_KEY_TYPE) {
    throw new FormatError(ERROR_PATH, `the key blob says its type is '${blobType}', but the line says '${SSH_KEY_TYPE}'`);
  }
  const publicKey = reader.readString('Ed25519 key');
  if (publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new FormatError(ERROR_PATH, `the Ed25519 key in the blob is ${publicKey.length} bytes, expected ${PUBLIC_KEY_LENGTH}`);
  }
  if (reader.remaining > 0) throw new FormatError(ERROR_PATH, `${reader.remaining} unexpected bytes after the key in the blob`);
  return publicKey;
}

function parsePem(text: string): ParsedKey {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  if (lines[0] !== PEM_BEGIN) {
    throw new FormatError(ERROR_PATH, `unsupported PEM block '${lines[0] ?? ''}': expected '${PEM_BEGIN}' (SubjectPublicKeyInfo)`);
  }
  const endIndex = lines.indexOf(PEM_END);
  if (endIndex === -1) throw new FormatError(ERROR_PATH, `the PEM block has no '${PEM_END}' line`);
  if (endIndex !== lines.length - 1) throw new FormatError(ERROR_PATH, `unexpected text after '${PEM_END}'`);
  const der = decodeCanonicalBase64(lines.slice(1, endIndex).join(''), 'the PEM body');
  if (der.length !== ED25519_SPKI_LENGTH || !startsWithBytes(der, ED25519_SPKI_PREFIX)) {
    throw new FormatError(ERROR_PATH, 'the PEM block is not an Ed25519 SubjectPublicKeyInfo (OID 1.3.101.112, 32-byte key)');
  }
  return { publicKey: der.slice(ED25519_SPKI_PREFIX.length), comment: null };
}

/** Key files use padded standard base64 only: the one spelling ssh-keygen and openssl write. */
function decodeCanonicalBase64(text: string, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64Strict(text, what);
  } catch (error) {
    if (error instanceof EncodingError) throw new FormatError(ERROR_PATH, error.message);
    throw error;
  }
  if (encodeBase64(bytes) !== text) throw new FormatError(ERROR_PATH, `${what} is not padded standard base64`);
  return bytes;
}

function sshWireBlob(publicKey: Uint8Array): Uint8Array {
  assertPublicKeyLength(publicKey);
  return concatBytes(sshString(new TextEncoder().encode(SSH_KEY_TYPE)), sshString(publicKey));
}

function sshString(bytes: Uint8Array): Uint8Array {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length);
  return concatBytes(length, bytes);
}

function assertPublicKeyLength(publicKey: Uint8Array): void {
  if (publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new RangeError(`an Ed25519 public key is ${PUBLIC_KEY_LENGTH} bytes, got ${publicKey.length}`);
  }
}

class SshWireReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  readString(what: string): Uint8Array {
    if (this.remaining < 4) throw new FormatError(ERROR_PATH, `the key blob ends before the ${what} length`);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    const length = view.getUint32(0);
    this.offset += 4;
    if (length > this.remaining) throw new FormatError(ERROR_PATH, `the key blob ends inside the ${what}`);
    const value = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

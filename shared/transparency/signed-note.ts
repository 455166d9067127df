import { sha256 } from '../crypto/hash';
import { decodeBase64Strict, encodeBase64 } from '../encoding/base64';
import { DomainError } from '../errors/domain-error';

/**
 * C2SP signed notes (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or
 * more lines `— <key name> base64(key ID || signature)`. Only the parsing and the key IDs live
 * here; what a signature means (a checkpoint's signer, a cosigner) is the caller's.
 */

export interface NoteSignature {
  keyName: string;
  /** The 32-bit key ID, big-endian, as the note carries it. */
  keyId: number;
  signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text, final newline included. */
  text: string;
  signatures: NoteSignature[];
}

/** Notes must accept at least 16 signatures; a board of 50 cosigning one checkpoint needs more. */
export const MAX_NOTE_SIGNATURES = 256;
export const MAX_NOTE_BYTES = 1024 * 1024;

const EM_DASH_PREFIX = '\u2014 ';

export class NoteError extends DomainError {
  constructor(message: string) {
    super('invalid-format', message);
  }
}

export function parseSignedNote(bytes: Uint8Array): SignedNote {
  if (bytes.length > MAX_NOTE_BYTES) throw new NoteError(`The note is ${bytes.length} bytes; at most ${MAX_NOTE_BYTES} are read.`);
  let all: string;
  try {
    all = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NoteError('The note is not valid UTF-8.');
  }
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(all)) throw new NoteError('The note holds a control character other than a newline.');
  if (!all.endsWith('\n')) throw new NoteError('The note does not end with a newline.');
  const split = all.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('The note has no blank line before its signatures.');
  const text = all.slice(0, split + 1);
  const lines = all.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new NoteError(`The note carries ${lines.length} signatures; at most ${MAX_NOTE_SIGNATURES} are read.`);
  const signatures = lines.map((line, index) => parseSignatureLine(line, index));
  if (signatures.length === 0) throw new NoteError('The note has no signature.');
  return { text, signatures };
}

function parseSignatureLine(line: string, index: number): NoteSignature {
  if (!line.startsWith(EM_DASH_PREFIX)) throw new NoteError(`Signature line ${index + 1} does not start with "— ".`);
  const rest = line.slice(EM_DASH_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space <= 0) throw new NoteError(`Signature line ${index + 1} has no key name and signature.`);
  const keyName = rest.slice(0, space);
  checkKeyName(keyName);
  const blob = decodeBase64Strict(rest.slice(space + 1), `signature line ${index + 1}`);
  if (blob.length < 5) throw new NoteError(`Signature line ${index + 1} is too short to hold a key ID and a signature.`);
  const keyId = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0, false);
  return { keyName, keyId, signature: blob.slice(4) };
}

export function checkKeyName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name)) throw new NoteError(`"${name}" is not a note key name: it must be non-empty, without spaces or "+".`);
}

export function formatSignedNote(note: SignedNote): string {
  if (!note.text.endsWith('\n')) throw new NoteError('A note text must end with a newline.');
  const lines = note.signatures.map((signature) => {
    checkKeyName(signature.keyName);
    const blob = new Uint8Array(4 + signature.signature.length);
    new DataView(blob.buffer).setUint32(0, signature.keyId >>> 0, false);
    blob.set(signature.signature, 4);
    return `${EM_DASH_PREFIX}${signature.keyName} ${encodeBase64(blob)}\n`;
  });
  return `${note.text}\n${lines.join('')}`;
}

/** Signature type bytes of the signed-note registry. */
export const NOTE_ED25519 = 0x01;
export const NOTE_COSIGNATURE_V1 = 0x04;

/** `SHA-256(name || 0x0A || type || public key)[:4]`, as a big-endian uint32. */
export function noteKeyId(keyName: string, signatureType: number, publicKey: Uint8Array): number {
  const name = new TextEncoder().encode(keyName);
  const input = new Uint8Array(name.length + 2 + publicKey.length);
  input.set(name, 0);
  input[name.length] = 0x0a;
  input[name.length + 1] = signatureType;
  input.set(publicKey, name.length + 2);
  const digest = sha256(input);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0, false);
}

/** A verifier key as Go's note package writes it: `<name>+<key ID, 8 hex>+base64(type || public key)`. */
export interface VerifierKey {
  keyName: string;
  keyId: number;
  signatureType: number;
  publicKey: Uint8Array;
}

export function parseVerifierKey(text: string): VerifierKey {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text);
  if (match === null) throw new NoteError('A verifier key is "<name>+<8 hex digits>+<base64 key>".');
  const [, keyName, idHex, keyBase64] = match as unknown as [string, string, string, string];
  const material = decodeBase64Strict(keyBase64, 'verifier key');
  if (material.length < 2) throw new NoteError('The verifier key holds no key.');
  const signatureType = material[0]!;
  const publicKey = material.slice(1);
  const keyId = Number.parseInt(idHex, 16);
  if (noteKeyId(keyName, signatureType, publicKey) !== keyId) throw new NoteError(`The verifier key's ID ${idHex} does not match its name and key.`);
  return { keyName, keyId, signatureType, publicKey };
}

export function formatVerifierKey(key: VerifierKey): string {
  const material = new Uint8Array(1 + key.publicKey.length);
  material[0] = key.signatureType;
  material.set(key.publicKey, 1);
  return `${key.keyName}+${(key.keyId >>> 0).toString(16).padStart(8, '0')}+${encodeBase64(material)}`;
}

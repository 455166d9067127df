import { signEd25519, verifyEd25519Strict } from '../crypto/ed25519';
import { NOTE_COSIGNATURE_V1, NOTE_ED25519, noteKeyId, type NoteSignature, type SignedNote } from './signed-note';

/**
 * Ed25519 note signatures (type 0x01, the checkpoint's own signer) and C2SP tlog-cosignature/v1
 * (type 0x04, a witness: `cosignature/v1\ntime <t>\n` followed by the checkpoint body, signed as
 * an 8-byte big-endian timestamp followed by the Ed25519 signature).
 */

export interface NoteKey {
  keyName: string;
  publicKey: Uint8Array;
}

const encoder = new TextEncoder();
const MAX_TIMESTAMP = 2n ** 63n - 1n;

export function signNote(text: string, keyName: string, seed: Uint8Array, publicKey: Uint8Array): NoteSignature {
  return { keyName, keyId: noteKeyId(keyName, NOTE_ED25519, publicKey), signature: signEd25519(encoder.encode(text), seed) };
}

/** What a cosigner signs: `cosignature/v1`, `time <t>`, then the checkpoint body. */
export function cosignedMessage(checkpointText: string, timestamp: number): Uint8Array {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`${timestamp} is not a POSIX time.`);
  return encoder.encode(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
}

/** The note signature line of a cosignature: key ID, then the 8-byte timestamp and the Ed25519 signature. */
export function cosignatureOf(keyName: string, publicKey: Uint8Array, timestamp: number, ed25519Signature: Uint8Array): NoteSignature {
  const signature = new Uint8Array(8 + ed25519Signature.length);
  new DataView(signature.buffer).setBigUint64(0, BigInt(timestamp), false);
  signature.set(ed25519Signature, 8);
  return { keyName, keyId: noteKeyId(keyName, NOTE_COSIGNATURE_V1, publicKey), signature };
}

export function cosign(checkpointText: string, timestamp: number, keyName: string, seed: Uint8Array, publicKey: Uint8Array): NoteSignature {
  return cosignatureOf(keyName, publicKey, timestamp, signEd25519(cosignedMessage(checkpointText, timestamp), seed));
}

export type SignatureCheck =
  | { status: 'valid'; key: NoteKey; timestamp: number | null }
  | { status: 'invalid'; key: NoteKey }
  | { status: 'unknown-key'; keyName: string };

/**
 * Each signature of the note checked against the keys given: matched by name and key ID together
 * (signed-note: a signature from an unknown key is ignored, never trusted), then verified.
 */
export function checkNoteSignatures(note: SignedNote, signers: readonly NoteKey[], cosigners: readonly NoteKey[]): SignatureCheck[] {
  const message = encoder.encode(note.text);
  return note.signatures.map((signature): SignatureCheck => {
    const signer = signers.find((key) => key.keyName === signature.keyName && noteKeyId(key.keyName, NOTE_ED25519, key.publicKey) === signature.keyId);
    if (signer !== undefined) {
      return verifyEd25519Strict(signature.signature, message, signer.publicKey) ? { status: 'valid', key: signer, timestamp: null } : { status: 'invalid', key: signer };
    }
    const cosigner = cosigners.find((key) => key.keyName === signature.keyName && noteKeyId(key.keyName, NOTE_COSIGNATURE_V1, key.publicKey) === signature.keyId);
    if (cosigner === undefined) return { status: 'unknown-key', keyName: signature.keyName };
    if (signature.signature.length !== 72) return { status: 'invalid', key: cosigner };
    const timestamp = new DataView(signature.signature.buffer, signature.signature.byteOffset, 8).getBigUint64(0, false);
    if (timestamp > MAX_TIMESTAMP || timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return { status: 'invalid', key: cosigner };
    const time = Number(timestamp);
    const valid = verifyEd25519Strict(signature.signature.subarray(8), cosignedMessage(note.text, time), cosigner.publicKey);
    return valid ? { status: 'valid', key: cosigner, timestamp: time } : { status: 'invalid', key: cosigner };
  });
}

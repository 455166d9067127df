// A Rekor checkpoint: a C2SP signed note whose body is the log's origin, tree size and root hash.
// Only a signature by the trusted log's key counts; signatures by other keys (witnesses, or an
// attacker's) are ignored, as the signed-note spec asks, and never make the note trusted.
import { createHash, verify, type KeyObject } from 'node:crypto';
import { concatBytes } from '../../../../shared/encoding/bytes';
import { DomainError } from '../../../../shared/errors/domain-error';
import { parseCheckpoint, type Checkpoint } from '../../../../shared/transparency/checkpoint';
import { NOTE_ED25519, noteKeyId, parseSignedNote, type SignedNote } from '../../../../shared/transparency/signed-note';
import type { TrustedLog } from './keyless-types';

export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; problem: string };

/** Rekor v2 signs RSA checkpoints with this signature type and identifier in the key ID. */
const RSA_NOTE_TYPE = 0xff;
const RSA_NOTE_IDENTIFIER = 'PKIX-RSA-PKCS#1v1.5';

/**
 * Verifies the checkpoint text against the log's key. Rekor v1 names its checkpoints
 * `<host> - <tree ID>` and keys its signatures by the first 4 bytes of SHA-256 over the log's
 * DER public key; Rekor v2 names them by the log's URL without scheme, with C2SP key IDs.
 */
export function verifyRekorCheckpoint(envelope: string, log: TrustedLog, rekorV2: boolean): CheckpointCheck {
  let note: SignedNote;
  let checkpoint: Checkpoint;
  try {
    note = parseSignedNote(new TextEncoder().encode(envelope));
    checkpoint = parseCheckpoint(note.text);
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, problem: `its checkpoint is malformed: ${error.message}` };
    throw error;
  }
  const originProblem = checkOrigin(checkpoint.origin, log.baseUrl, rekorV2);
  if (originProblem !== null) return { ok: false, problem: originProblem };
  const keyId = checkpointKeyId(log.publicKey, checkpoint.origin, rekorV2);
  const byLog = note.signatures.filter((signature) => signature.keyId === keyId);
  if (byLog.length === 0) return { ok: false, problem: `its checkpoint is not signed by the log's key (${log.baseUrl}): no signature carries its key ID` };
  const message = new TextEncoder().encode(note.text);
  for (const signature of byLog) {
    if (!verifyLogSignature(log.publicKey, message, signature.signature)) return { ok: false, problem: `its checkpoint's signature under the log's key (${log.baseUrl}) does not verify` };
  }
  return { ok: true, checkpoint };
}

function checkOrigin(origin: string, baseUrl: string, rekorV2: boolean): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `the trusted root's log URL ${JSON.stringify(baseUrl)} cannot be read, so the checkpoint's origin cannot be checked`;
  }
  const withoutScheme = `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  const fits = rekorV2 ? origin === withoutScheme : origin === url.host || (origin.startsWith(`${url.host} - `) && /^\d+$/.test(origin.slice(url.host.length + 3)));
  return fits ? null : `its checkpoint is for the log ${JSON.stringify(origin)}, not ${JSON.stringify(rekorV2 ? withoutScheme : `${url.host} - <tree ID>`)}`;
}

/** The 4-byte key ID a checkpoint signature by this key carries, as a big-endian number. */
export function checkpointKeyId(key: KeyObject, origin: string, rekorV2: boolean): number {
  const spki = new Uint8Array(key.export({ type: 'spki', format: 'der' }));
  if (rekorV2 && key.asymmetricKeyType === 'ed25519') return noteKeyId(origin, NOTE_ED25519, spki.subarray(spki.length - 32));
  const material =
    rekorV2 && key.asymmetricKeyType === 'rsa'
      ? concatBytes(new TextEncoder().encode(`${origin}\n`), new Uint8Array([RSA_NOTE_TYPE]), new TextEncoder().encode(RSA_NOTE_IDENTIFIER), spki)
      : spki;
  return createHash('sha256').update(material).digest().readUInt32BE(0);
}

/** A log's signature (SET or checkpoint): ECDSA (DER, hash by curve), Ed25519 or RSA PKCS#1 v1.5 with SHA-256. */
export function verifyLogSignature(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (key.asymmetricKeyType) {
      case 'ec':
        return verify(ecdsaHash(key), message, key, signature);
      case 'ed25519':
        return verify(null, message, key, signature);
      case 'rsa':
        return verify('sha256', message, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

function ecdsaHash(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return 'sha384';
  if (curve === 'secp521r1') return 'sha512';
  return 'sha256';
}

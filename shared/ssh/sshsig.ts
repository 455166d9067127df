import { decodeBase64Strict } from '../encoding/base64';
import { concatBytes } from '../encoding/bytes';
import { FormatError } from '../formats/format-error';
import { SSH_SIGNATURE_BEGIN } from '../verify/foreign/detect-format';
import { sshString, sshText, SshWireReader } from './ssh-wire';

const SSH_SIGNATURE_END = '-----END SSH SIGNATURE-----';
const MAGIC = new TextEncoder().encode('SSHSIG');
const VERSION = 1;
/** An armored SSH signature is well under 4 KiB even with a 16384-bit RSA key: 64 KiB is refused unread. */
export const MAX_SSH_SIGNATURE_BYTES = 64 * 1024;
const WHAT = 'SSH signature';

export type SshsigHash = 'sha256' | 'sha512';

/** An SSH signature (OpenSSH PROTOCOL.sshsig), its fields as read; nothing in it is trusted yet. */
export interface SshSignature {
  /** The signer's public key blob, as the signature carries it: a claim until trust names the key. */
  publicKey: Uint8Array;
  namespace: string;
  hashAlgorithm: SshsigHash;
  /** The signature's own algorithm name: ssh-ed25519, ecdsa-sha2-nistp256, rsa-sha2-512, ... */
  signatureAlgorithm: string;
  /** The raw signature blob after the algorithm name (for ECDSA, the mpints r and s). */
  signature: Uint8Array;
}

/** Reads the armored form: the BEGIN line, base64 lines, the END line, nothing else. */
export function parseArmoredSshSignature(bytes: Uint8Array): SshSignature {
  if (bytes.length > MAX_SSH_SIGNATURE_BYTES) throw new FormatError(WHAT, `the file is ${bytes.length} bytes, more than an SSH signature can be (${MAX_SSH_SIGNATURE_BYTES})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FormatError(WHAT, 'the file is not UTF-8 text');
  }
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const begin = lines.findIndex((line) => line !== '');
  if (lines[begin] !== SSH_SIGNATURE_BEGIN) throw new FormatError(WHAT, `expected the first line to be ${SSH_SIGNATURE_BEGIN}`);
  if (lines[lines.length - 1] !== SSH_SIGNATURE_END) throw new FormatError(WHAT, `expected the last line to be ${SSH_SIGNATURE_END}`);
  const body = lines.slice(begin + 1, -1);
  if (body.length === 0) throw new FormatError(WHAT, 'the armor holds no signature');
  const bad = body.findIndex((line) => !/^[A-Za-z0-9+/=]+$/.test(line));
  if (bad !== -1) throw new FormatError(WHAT, `armor line ${begin + bad + 2} is not base64`);
  let blob: Uint8Array;
  try {
    blob = decodeBase64Strict(body.join(''), 'SSH signature armor');
  } catch (error) {
    throw new FormatError(WHAT, `the armor is not valid base64: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseSshSignatureBlob(blob);
}

/** Reads the binary form: MAGIC, version 1, public key, namespace, reserved, hash algorithm, signature. */
export function parseSshSignatureBlob(blob: Uint8Array): SshSignature {
  const reader = new SshWireReader(blob, WHAT);
  const magic = reader.bytesOf(MAGIC.length, 'magic preamble');
  if (!magic.every((byte, i) => byte === MAGIC[i])) throw new FormatError(WHAT, 'the blob does not start with "SSHSIG"');
  const version = reader.uint32('version');
  if (version !== VERSION) throw new FormatError(WHAT, `version ${version} is not supported (only ${VERSION})`);
  const publicKey = reader.string('public key');
  const namespace = reader.text('namespace');
  if (namespace === '') throw new FormatError(WHAT, 'the namespace is empty');
  reader.string('reserved');
  const hashAlgorithm = reader.text('hash algorithm');
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512') throw new FormatError(WHAT, `hash algorithm ${JSON.stringify(hashAlgorithm)} is not allowed (sha256 or sha512)`);
  const signatureField = reader.string('signature');
  reader.end();
  const inner = new SshWireReader(signatureField, WHAT);
  const signatureAlgorithm = inner.text('signature algorithm');
  const signature = inner.string('signature blob');
  inner.end();
  return { publicKey, namespace, hashAlgorithm, signatureAlgorithm, signature };
}

/** What the signer signed: MAGIC, namespace, reserved (empty), hash algorithm, H(message). */
export function sshsigSignedData(namespace: string, hashAlgorithm: SshsigHash, messageDigest: Uint8Array): Uint8Array {
  return concatBytes(MAGIC, sshText(namespace), sshString(new Uint8Array(0)), sshText(hashAlgorithm), sshString(messageDigest));
}

/** An ECDSA signature blob (mpint r, mpint s) as IEEE P1363 (r || s, each `size` bytes). */
export function ecdsaSignatureToP1363(blob: Uint8Array, size: number): Uint8Array {
  const reader = new SshWireReader(blob, WHAT);
  const r = reader.positiveMpint('ECDSA r');
  const s = reader.positiveMpint('ECDSA s');
  reader.end();
  if (r.length > size || s.length > size) throw new FormatError(WHAT, `an ECDSA value is longer than the curve's ${size} bytes`);
  const out = new Uint8Array(2 * size);
  out.set(r, size - r.length);
  out.set(s, 2 * size - s.length);
  return out;
}

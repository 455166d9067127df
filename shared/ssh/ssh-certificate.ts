import { FormatError } from '../formats/format-error';
import { isSshCurve, parseSshPublicKeyBlob, type SshPublicKey } from './ssh-public-key';
import { sshString, sshText, SshWireReader } from './ssh-wire';
import { concatBytes } from '../encoding/bytes';

/** OpenSSH certificate types (PROTOCOL.certkeys): user certificates are 1, host certificates 2. */
export const SSH_CERT_TYPE_USER = 1;

/** An OpenSSH certificate, as read: nothing in it is trusted until its CA key is, and its CA signature verifies. */
export interface SshCertificate {
  type: string;
  /** The certified key, which makes the signatures. */
  key: SshPublicKey;
  /** The certified key's plain blob, for its fingerprint. */
  keyBlob: Uint8Array;
  serial: bigint;
  certType: number;
  keyId: string;
  principals: string[];
  /** Seconds since the epoch; validBefore 2^64-1 means forever. */
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: string[];
  /** The CA's public key blob. */
  signatureKey: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
  /** Every byte the CA signed: the certificate up to its signature field. */
  signedBytes: Uint8Array;
}

const CERT_SUFFIX = '-cert-v01@openssh.com';
const WHAT = 'SSH certificate';

export function isCertificateType(type: string): boolean {
  return type.endsWith(CERT_SUFFIX);
}

/** Reads an OpenSSH certificate blob (ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa certificates). */
export function parseSshCertificate(blob: Uint8Array): SshCertificate {
  const reader = new SshWireReader(blob, WHAT);
  const type = reader.text('certificate type');
  if (!isCertificateType(type)) throw new FormatError(WHAT, `${JSON.stringify(type)} is not an OpenSSH certificate type`);
  const plainType = type.slice(0, -CERT_SUFFIX.length);
  reader.string('nonce');
  let keyBlob: Uint8Array;
  if (plainType === 'ssh-ed25519') {
    keyBlob = concatBytes(sshText(plainType), sshString(reader.string('Ed25519 key')));
  } else if (plainType.startsWith('ecdsa-sha2-') && isSshCurve(plainType.slice('ecdsa-sha2-'.length))) {
    keyBlob = concatBytes(sshText(plainType), sshString(reader.string('curve name')), sshString(reader.string('EC point')));
  } else if (plainType === 'ssh-rsa') {
    keyBlob = concatBytes(sshText(plainType), sshString(reader.string('RSA exponent')), sshString(reader.string('RSA modulus')));
  } else {
    throw new FormatError(WHAT, `unsupported certificate type ${JSON.stringify(type)}`);
  }
  const key = parseSshPublicKeyBlob(keyBlob, 'the certified key');
  const serial = readUint64(reader, 'serial');
  const certType = reader.uint32('certificate kind');
  const keyId = reader.text('key ID', 4096);
  const principals = readStrings(reader.string('valid principals'), 'valid principals');
  const validAfter = readUint64(reader, 'valid after');
  const validBefore = readUint64(reader, 'valid before');
  const criticalOptions = readOptions(reader.string('critical options'), 'critical options');
  readOptions(reader.string('extensions'), 'extensions');
  reader.string('reserved');
  const signatureKey = reader.string('signature key');
  const signedLength = blob.length - reader.remaining;
  const signatureField = reader.string('signature');
  reader.end();
  const inner = new SshWireReader(signatureField, WHAT);
  const signatureAlgorithm = inner.text('CA signature algorithm');
  const signature = inner.string('CA signature blob');
  inner.end();
  return { type, key, keyBlob, serial, certType, keyId, principals, validAfter, validBefore, criticalOptions, signatureKey, signatureAlgorithm, signature, signedBytes: blob.subarray(0, signedLength) };
}

function readUint64(reader: SshWireReader, field: string): bigint {
  return (BigInt(reader.uint32(field)) << 32n) | BigInt(reader.uint32(field));
}

function readStrings(bytes: Uint8Array, field: string): string[] {
  const reader = new SshWireReader(bytes, `${WHAT} ${field}`);
  const out: string[] = [];
  while (reader.remaining > 0) out.push(reader.text('principal', 4096));
  return out;
}

/** Names of options (critical options, extensions): name, then data, each a string. */
function readOptions(bytes: Uint8Array, field: string): string[] {
  const reader = new SshWireReader(bytes, `${WHAT} ${field}`);
  const names: string[] = [];
  while (reader.remaining > 0) {
    names.push(reader.text('option name'));
    reader.string('option data');
  }
  return names;
}

/** Why a CA signature algorithm cannot be accepted for the CA's key, or null when it fits (ssh-rsa, SHA-1, never does). */
export function caSignatureProblem(ca: SshPublicKey, algorithm: string): string | null {
  if (ca.kind === 'rsa') {
    if (algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512') return null;
    return algorithm === 'ssh-rsa' ? 'ssh-rsa CA signatures use SHA-1 and are refused' : `an RSA CA cannot make a ${algorithm} signature`;
  }
  return algorithm === ca.type ? null : `a ${ca.type} CA cannot make a ${algorithm} signature`;
}

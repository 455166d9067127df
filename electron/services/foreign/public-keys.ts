import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { VerifyingKey } from '../../../shared/crypto/ed25519';
import { decodeBase64Strict } from '../../../shared/encoding/base64';
import { FormatError } from '../../../shared/formats/format-error';
import { parseSshPublicKeyBlob, SSH_ECDSA_CURVES, type SshPublicKey } from '../../../shared/ssh/ssh-public-key';
import type { TrustSource } from '../../../shared/verify/report';

export type PublicKeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa';

/**
 * A public key a foreign signature may be checked with, whatever its encoding. Trust is given by
 * whoever made this object (a `--key` flag, a line of allowed signers, a profile's key): never by
 * the signature being checked.
 */
export interface TrustedPublicKey {
  /** `SHA256:` + unpadded base64 of SHA-256 over the DER SubjectPublicKeyInfo (PEM keys), or the OpenSSH fingerprint (OpenSSH keys). */
  keyId: string;
  algorithm: PublicKeyAlgorithm;
  keyObject: KeyObject;
  /** For Ed25519, the key checked once (canonical, not small-order), for strict verification. */
  ed25519: VerifyingKey | null;
  /** Who the key is: the file it came from, a principal, a board member. */
  name: string;
  source: TrustSource;
}

/** Smallest RSA modulus accepted, in bits. */
export const MIN_RSA_BITS = 2048;

const CURVE_OF_NODE_NAME: Record<string, PublicKeyAlgorithm> = { prime256v1: 'ecdsa-p256', secp384r1: 'ecdsa-p384', secp521r1: 'ecdsa-p521' };
const ALGORITHM_OF_SSH_CURVE = { nistp256: 'ecdsa-p256', nistp384: 'ecdsa-p384', nistp521: 'ecdsa-p521' } as const;

/**
 * Reads one public key from the text of a key file: a PEM SubjectPublicKeyInfo (EC P-256/384/521,
 * Ed25519, RSA) or one OpenSSH line (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa).
 * @param what names the file in error messages.
 */
export function parseTrustedPublicKey(text: string, what: string, name: string, source: TrustSource): TrustedPublicKey {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new FormatError(what, 'the file is empty: expected a PEM public key or an OpenSSH public key line');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) throw new FormatError(what, 'this is a private key; give the public key (the .pub file, or `openssl pkey -pubout`)');
  if (trimmed.includes('-----BEGIN CERTIFICATE-----')) throw new FormatError(what, 'this is an X.509 certificate, not a public key: give certificate authorities with --ca');
  if (trimmed.startsWith('-----BEGIN')) return fromPem(trimmed, what, name, source);
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (lines.length !== 1) throw new FormatError(what, `holds ${lines.length} key lines: give one key per --key`);
  return fromOpenSshLine(lines[0]!, what, name, source);
}

function fromPem(text: string, what: string, name: string, source: TrustSource): TrustedPublicKey {
  const blocks = text.match(/-----BEGIN [A-Z ]+-----/g) ?? [];
  if (blocks.length !== 1 || !text.startsWith('-----BEGIN PUBLIC KEY-----') || !text.endsWith('-----END PUBLIC KEY-----')) {
    throw new FormatError(what, 'expected exactly one "-----BEGIN PUBLIC KEY-----" block (PEM SubjectPublicKeyInfo)');
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new FormatError(what, `not a readable public key: ${error instanceof Error ? error.message : String(error)}`);
  }
  const der = keyObject.export({ type: 'spki', format: 'der' });
  const keyId = `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
  return { ...checkedKey(keyObject, what), keyId, name, source };
}

function fromOpenSshLine(line: string, what: string, name: string, source: TrustSource): TrustedPublicKey {
  const [type, body] = line.trim().split(/\s+/);
  if (type === undefined || body === undefined) throw new FormatError(what, 'expected an OpenSSH public key line: "<type> <base64> [comment]"');
  const blob = decodeBase64Strict(body, `${what} key`);
  const key = parseSshPublicKeyBlob(blob, what);
  if (key.type !== type) throw new FormatError(what, `the line says ${JSON.stringify(type)} but the key inside is ${key.type}`);
  return { ...sshKeyObject(key, what), keyId: openSshFingerprint(blob), name, source };
}

/** The OpenSSH SHA-256 fingerprint of a public key blob, as `ssh-keygen -l` prints it. */
export function openSshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A node:crypto key for an SSH public key, checked as parseTrustedPublicKey checks keys. */
export function sshKeyObject(key: SshPublicKey, what: string): Pick<TrustedPublicKey, 'algorithm' | 'keyObject' | 'ed25519'> {
  let keyObject: KeyObject;
  try {
    if (key.kind === 'ed25519') {
      keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64Url(key.key) }, format: 'jwk' });
    } else if (key.kind === 'ecdsa') {
      const size = SSH_ECDSA_CURVES[key.curve].coordinateBytes;
      const x = key.point.subarray(1, 1 + size);
      const y = key.point.subarray(1 + size);
      keyObject = createPublicKey({ key: { kty: 'EC', crv: SSH_ECDSA_CURVES[key.curve].curve, x: base64Url(x), y: base64Url(y) }, format: 'jwk' });
    } else {
      keyObject = createPublicKey({ key: { kty: 'RSA', n: base64Url(key.n), e: base64Url(key.e) }, format: 'jwk' });
    }
  } catch (error) {
    throw new FormatError(what, `not a usable ${key.type} key: ${error instanceof Error ? error.message : String(error)}`);
  }
  const checked = checkedKey(keyObject, what);
  if (key.kind === 'ecdsa' && checked.algorithm !== ALGORITHM_OF_SSH_CURVE[key.curve]) throw new FormatError(what, 'the key is not on the curve it names');
  return checked;
}

function checkedKey(keyObject: KeyObject, what: string): Pick<TrustedPublicKey, 'algorithm' | 'keyObject' | 'ed25519'> {
  const type = keyObject.asymmetricKeyType;
  if (type === 'ed25519') {
    const raw = keyObject.export({ format: 'jwk' }).x;
    const verifying = VerifyingKey.fromBytes(Buffer.from(raw ?? '', 'base64url'));
    if (typeof verifying === 'string') throw new FormatError(what, `unacceptable Ed25519 key: ${verifying}`);
    return { algorithm: 'ed25519', keyObject, ed25519: verifying };
  }
  if (type === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve ?? '';
    const algorithm = CURVE_OF_NODE_NAME[curve];
    if (algorithm === undefined) throw new FormatError(what, `unsupported EC curve ${curve} (P-256, P-384 and P-521 are)`);
    return { algorithm, keyObject, ed25519: null };
  }
  if (type === 'rsa') {
    const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new FormatError(what, `an RSA key of ${bits} bits is too weak (at least ${MIN_RSA_BITS})`);
    return { algorithm: 'rsa', keyObject, ed25519: null };
  }
  throw new FormatError(what, `unsupported key type ${type ?? 'unknown'} (EC P-256/384/521, Ed25519 and RSA are)`);
}

function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

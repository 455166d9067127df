import { FormatError } from '../formats/format-error';
import { SshWireReader } from './ssh-wire';

/** The curves OpenSSH signs with, by their SSH name, with the hash each one's ECDSA uses (RFC 5656 §6.2.1). */
export const SSH_ECDSA_CURVES = {
  nistp256: { curve: 'P-256', hash: 'sha256', coordinateBytes: 32 },
  nistp384: { curve: 'P-384', hash: 'sha384', coordinateBytes: 48 },
  nistp521: { curve: 'P-521', hash: 'sha512', coordinateBytes: 66 },
} as const;
export type SshEcdsaCurve = keyof typeof SSH_ECDSA_CURVES;

export type SshPublicKey =
  | { kind: 'ed25519'; type: 'ssh-ed25519'; key: Uint8Array }
  | { kind: 'ecdsa'; type: `ecdsa-sha2-${SshEcdsaCurve}`; curve: SshEcdsaCurve; point: Uint8Array }
  | { kind: 'rsa'; type: 'ssh-rsa'; e: Uint8Array; n: Uint8Array };

/** Key types of OpenSSH certificates: recognised so that they can be refused by name. */
const CERTIFICATE_TYPE = /-cert-v01@openssh\.com$/;

/** Reads an SSH public key blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709): the whole blob, nothing after it. */
export function parseSshPublicKeyBlob(blob: Uint8Array, what = 'SSH public key'): SshPublicKey {
  const reader = new SshWireReader(blob, what);
  const type = reader.text('key type');
  if (CERTIFICATE_TYPE.test(type)) {
    throw new FormatError(what, `${type} is an OpenSSH certificate, not a plain public key: trust certificates through a cert-authority line of the allowed signers`);
  }
  let key: SshPublicKey;
  if (type === 'ssh-ed25519') {
    const bytes = reader.string('Ed25519 key');
    if (bytes.length !== 32) throw new FormatError(what, `an Ed25519 key is 32 bytes, this one is ${bytes.length}`);
    key = { kind: 'ed25519', type, key: bytes };
  } else if (type.startsWith('ecdsa-sha2-')) {
    const curve = type.slice('ecdsa-sha2-'.length);
    if (!isSshCurve(curve)) throw new FormatError(what, `unsupported ECDSA curve ${JSON.stringify(curve)} (nistp256, nistp384 and nistp521 are)`);
    const named = reader.text('curve name');
    if (named !== curve) throw new FormatError(what, `the key type names ${curve} but the key names ${JSON.stringify(named)}`);
    const point = reader.string('EC point');
    const size = SSH_ECDSA_CURVES[curve].coordinateBytes;
    if (point.length !== 1 + 2 * size || point[0] !== 0x04) throw new FormatError(what, `the ${curve} point is not an uncompressed point of ${1 + 2 * size} bytes`);
    key = { kind: 'ecdsa', type: `ecdsa-sha2-${curve}`, curve, point };
  } else if (type === 'ssh-rsa') {
    const e = reader.positiveMpint('RSA exponent');
    const n = reader.positiveMpint('RSA modulus');
    key = { kind: 'rsa', type, e, n };
  } else {
    throw new FormatError(what, `unsupported key type ${JSON.stringify(type)} (ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa are)`);
  }
  reader.end();
  return key;
}

export function isSshCurve(name: string): name is SshEcdsaCurve {
  return Object.hasOwn(SSH_ECDSA_CURVES, name);
}

import { decodeBase64Strict } from '../../../shared/encoding/base64';

export type KeyFileProtection = 'passphrase' | 'none' | 'unknown';

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
const MAGIC = 'openssh-key-v1\0';

/**
 * Whether an OpenSSH private key file is passphrase-protected, read from its cipher name, so the
 * import form can ask for the file's passphrase or for a new one. 'unknown' when the text is not
 * (yet) such a file; the Node side does the real, strict parse.
 */
export function keyFileProtection(text: string): KeyFileProtection {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) return 'unknown';
  let body: Uint8Array;
  try {
    body = decodeBase64Strict(text.slice(begin + BEGIN.length, end).replace(/\s+/g, ''), 'the private key body');
  } catch {
    return 'unknown';
  }
  if (body.length < MAGIC.length + 4 || new TextDecoder().decode(body.subarray(0, MAGIC.length)) !== MAGIC) return 'unknown';
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const nameLength = view.getUint32(MAGIC.length);
  const nameStart = MAGIC.length + 4;
  if (nameLength > 64 || nameStart + nameLength > body.length) return 'unknown';
  const cipher = new TextDecoder().decode(body.subarray(nameStart, nameStart + nameLength));
  return cipher === 'none' ? 'none' : 'passphrase';
}

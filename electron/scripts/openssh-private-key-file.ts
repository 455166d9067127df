// Writes an Ed25519 key as an unencrypted OpenSSH private key file (`openssh-key-v1`, OpenSSH's
// PROTOCOL.key), the way `ssh-keygen -N ''` does, but deterministically: the check integer comes
// from the key instead of the random generator. For the demo's published, never-trusted keys only.
import { sha256 } from '../../shared/crypto/hash';
import { concatBytes } from '../../shared/encoding/bytes';
import { encodeBase64 } from '../../shared/encoding/base64';

const encoder = new TextEncoder();
const KEY_TYPE = 'ssh-ed25519';
const BLOCK_BYTES = 8;
const LINE_CHARS = 70;

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function sshString(content: Uint8Array | string): Uint8Array {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  return concatBytes(uint32(bytes.length), bytes);
}

export function toOpenSshPrivateKeyFile(seed: Uint8Array, publicKey: Uint8Array, comment: string): string {
  const publicBlob = concatBytes(sshString(KEY_TYPE), sshString(publicKey));
  const checkInt = uint32(new DataView(sha256(concatBytes(encoder.encode('checkint '), publicKey)).buffer).getUint32(0));
  const unpadded = concatBytes(checkInt, checkInt, sshString(KEY_TYPE), sshString(publicKey), sshString(concatBytes(seed, publicKey)), sshString(comment));
  const padding = Uint8Array.from({ length: (BLOCK_BYTES - (unpadded.length % BLOCK_BYTES)) % BLOCK_BYTES }, (_, i) => i + 1);
  const body = concatBytes(
    encoder.encode('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(new Uint8Array(0)),
    uint32(1),
    sshString(publicBlob),
    sshString(concatBytes(unpadded, padding)),
  );
  const base64 = encodeBase64(body);
  const lines: string[] = [];
  for (let offset = 0; offset < base64.length; offset += LINE_CHARS) lines.push(base64.slice(offset, offset + LINE_CHARS));
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

import { describe, expect, it } from 'vitest';
import { concatBytes } from '../encoding/bytes';
import { ecdsaSignatureToP1363, parseSshSignatureBlob } from './sshsig';
import { sshString, sshText, SshWireReader } from './ssh-wire';

const MAGIC = new TextEncoder().encode('SSHSIG');
const uint32 = (value: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
};
const ed25519Key = concatBytes(sshText('ssh-ed25519'), sshString(new Uint8Array(32).fill(7)));

function blob(fields: { version?: number; namespace?: string; hash?: string; signature?: Uint8Array } = {}): Uint8Array {
  return concatBytes(
    MAGIC,
    uint32(fields.version ?? 1),
    sshString(ed25519Key),
    sshText(fields.namespace ?? 'review'),
    sshString(new Uint8Array(0)),
    sshText(fields.hash ?? 'sha512'),
    sshString(fields.signature ?? concatBytes(sshText('ssh-ed25519'), sshString(new Uint8Array(64)))),
  );
}

describe('SSHSIG blobs', () => {
  it('reads every field of a well-formed blob', () => {
    expect(parseSshSignatureBlob(blob())).toMatchObject({ namespace: 'review', hashAlgorithm: 'sha512', signatureAlgorithm: 'ssh-ed25519' });
  });

  it('refuses another version, an empty namespace, a hash other than sha256/sha512, and control bytes in names', () => {
    expect(() => parseSshSignatureBlob(blob({ version: 2 }))).toThrow(/version 2 is not supported/);
    expect(() => parseSshSignatureBlob(blob({ namespace: '' }))).toThrow(/namespace is empty/);
    expect(() => parseSshSignatureBlob(blob({ hash: 'sha1' }))).toThrow(/"sha1" is not allowed/);
    expect(() => parseSshSignatureBlob(blob({ namespace: 'rev\u0000iew' }))).toThrow(/not printable ASCII/);
  });

  it('refuses a truncated blob at every length, naming the field, never reading past the end', () => {
    const whole = blob();
    for (let length = 0; length < whole.length; length++) {
      expect(() => parseSshSignatureBlob(whole.subarray(0, length)), `length ${length}`).toThrow(/SSH signature: (truncated|the blob does not start)/);
    }
  });
});

describe('SSH wire values', () => {
  it('refuses negative mpints and needless leading zeros; pads r and s to the curve size', () => {
    const mpint = (bytes: number[]) => new SshWireReader(sshString(new Uint8Array(bytes)), 'test');
    expect(() => mpint([0x80]).positiveMpint('r')).toThrow(/negative/);
    expect(() => mpint([0x00, 0x01]).positiveMpint('r')).toThrow(/leading zero/);
    expect(mpint([0x00, 0x80]).positiveMpint('r')).toEqual(new Uint8Array([0x80]));
    const rs = concatBytes(sshString(new Uint8Array([1])), sshString(new Uint8Array([0, 0xff])));
    expect(ecdsaSignatureToP1363(rs, 4)).toEqual(new Uint8Array([0, 0, 0, 1, 0, 0, 0, 0xff]));
    const tooLong = concatBytes(sshString(new Uint8Array(5).fill(1)), sshString(new Uint8Array([1])));
    expect(() => ecdsaSignatureToP1363(tooLong, 4)).toThrow(/longer than the curve/);
  });
});

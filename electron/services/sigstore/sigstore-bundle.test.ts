import { describe, expect, it } from 'vitest';
import { readSigstoreBundle } from './sigstore-bundle';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

const CHECKPOINT = 'rekor.example - 1\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 rekor.example AAAAAAE=\n';

function entry(overrides: Record<string, unknown> = {}, proof: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    logIndex: '12',
    logId: { keyId: b64('log id') },
    kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
    integratedTime: '1764633600',
    inclusionPromise: { signedEntryTimestamp: b64('set') },
    inclusionProof: { logIndex: '3', rootHash: b64('r'.repeat(32)), treeSize: '5', hashes: [b64('h'.repeat(32))], checkpoint: { envelope: CHECKPOINT }, ...proof },
    canonicalizedBody: b64('{"kind":"hashedrekord"}'),
    ...overrides,
  };
}

function bundle(material: Record<string, unknown>, mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json'): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ mediaType, verificationMaterial: { publicKey: { hint: 'k' }, ...material }, messageSignature: { signature: b64('sig') } }));
}

describe('Sigstore bundle transparency material', () => {
  it('reads every field of a tlog entry and the RFC 3161 timestamps', () => {
    const parsed = readSigstoreBundle(bundle({ tlogEntries: [entry()], timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: b64('token') }] } }));
    expect(parsed.tlogEntryCount).toBe(1);
    expect(parsed.hasTimestamps).toBe(true);
    expect(parsed.rfc3161Timestamps).toEqual([new Uint8Array(Buffer.from('token'))]);
    const [read] = parsed.tlogEntries;
    expect(read).toMatchObject({ logIndex: 12, kindVersion: { kind: 'hashedrekord', version: '0.0.1' }, integratedTime: 1_764_633_600 });
    expect(Buffer.from(read!.logId).toString()).toBe('log id');
    expect(Buffer.from(read!.signedEntryTimestamp!).toString()).toBe('set');
    expect(read!.inclusionProof).toMatchObject({ logIndex: 3, treeSize: 5, checkpoint: CHECKPOINT });
    expect(read!.inclusionProof!.hashes).toHaveLength(1);
    expect(Buffer.from(read!.canonicalizedBody).toString()).toBe('{"kind":"hashedrekord"}');
  });

  it('takes absent proto3 defaults as zero (a Rekor v2 entry has no integrated time) and null as absent', () => {
    const parsed = readSigstoreBundle(bundle({ tlogEntries: [entry({ integratedTime: undefined, inclusionPromise: null })], timestampVerificationData: null }));
    expect(parsed.tlogEntries[0]).toMatchObject({ integratedTime: 0, signedEntryTimestamp: null });
    expect(parsed.rfc3161Timestamps).toEqual([]);
  });

  const hostile: [string, Record<string, unknown>, RegExp][] = [
    ['tlogEntries that are not an array', { tlogEntries: {} }, /tlogEntries: expected an array/],
    ['an entry without a log ID', { tlogEntries: [entry({ logId: undefined })] }, /tlogEntries\[0\]\.logId: missing/],
    ['an empty log ID', { tlogEntries: [entry({ logId: { keyId: '' } })] }, /logId\.keyId: the log ID is empty/],
    ['an entry without kind and version', { tlogEntries: [entry({ kindVersion: { kind: 'hashedrekord' } })] }, /kindVersion\.version: expected a non-empty string/],
    ['a negative log index', { tlogEntries: [entry({ logIndex: '-1' })] }, /logIndex: expected a non-negative decimal integer/],
    ['a log index with a leading zero', { tlogEntries: [entry({ logIndex: '012' })] }, /logIndex: expected a non-negative decimal integer/],
    ['a proof index outside its tree', { tlogEntries: [entry({}, { logIndex: '5' })] }, /inclusionProof\.logIndex: index 5 is outside a tree of 5 leaves/],
    ['a proof without its checkpoint', { tlogEntries: [entry({}, { checkpoint: undefined })] }, /inclusionProof\.checkpoint: missing/],
    ['a proof with too many hashes', { tlogEntries: [entry({}, { hashes: Array.from({ length: 65 }, () => b64('h')) })] }, /hashes: 65 hashes: at most 64 are read/],
    ['a body that is not base64', { tlogEntries: [entry({ canonicalizedBody: 'not base64!' })] }, /canonicalizedBody/],
    ['an empty body', { tlogEntries: [entry({ canonicalizedBody: '' })] }, /canonicalizedBody: the body is empty/],
    ['a timestamp that is not base64', { timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: '%%' }] } }, /rfc3161Timestamps\[0\]\.signedTimestamp/],
    ['too many entries', { tlogEntries: Array.from({ length: 17 }, () => entry()) }, /17 entries: at most 16 are read/],
  ];
  for (const [name, material, reason] of hostile) {
    it(`refuses ${name}, naming where`, () => {
      expect(() => readSigstoreBundle(bundle(material))).toThrow(reason);
    });
  }
});

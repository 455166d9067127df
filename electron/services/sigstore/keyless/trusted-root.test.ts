import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeTestFulcio } from './test-fulcio';
import { readTrustedRoot } from './trusted-root';

const fulcio = makeTestFulcio(new Date('2025-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function rootWith(change: (root: Record<string, unknown>) => void): Uint8Array {
  const root = structuredClone(fulcio.trustedRoot()) as Record<string, unknown>;
  change(root);
  return encode(root);
}

describe('readTrustedRoot', () => {
  it('reads the certificate authority chain, the ctlogs and their windows (v0.1 and v0.2 media types)', () => {
    for (const mediaType of ['application/vnd.dev.sigstore.trustedroot+json;version=0.1', 'application/vnd.dev.sigstore.trustedroot.v0.2+json']) {
      const root = readTrustedRoot(rootWith((r) => (r['mediaType'] = mediaType)));
      expect(root.certificateAuthorities).toHaveLength(1);
      expect(root.certificateAuthorities[0]!.chain.map((certificate) => certificate.subject)).toEqual(['O=test\nCN=test-fulcio-intermediate', 'O=test\nCN=test-fulcio-root']);
      expect(root.certificateAuthorities[0]!.validFor).toEqual({ start: new Date('2025-01-01T00:00:00Z'), end: null });
      expect(root.ctlogs[0]!.baseUrl).toBe('https://ctfe.example.test/test');
      expect(Buffer.from(root.ctlogs[0]!.logId)).toEqual(createHash('sha256').update(fulcio.ctLog.spki).digest());
      expect(root.tlogs).toEqual([]);
    }
  });

  it('computes a log ID from the key when the root states none, and trusts a log key without a window at any time', () => {
    const root = readTrustedRoot(rootWith((r) => delete (r['ctlogs'] as Record<string, unknown>[])[0]!['logId']));
    expect(Buffer.from(root.ctlogs[0]!.logId)).toEqual(createHash('sha256').update(fulcio.ctLog.spki).digest());
    const open = readTrustedRoot(rootWith((r) => delete (r['ctlogs'] as { publicKey: Record<string, unknown> }[])[0]!.publicKey['validFor']));
    expect(open.ctlogs[0]!.validFor).toEqual({ start: new Date(0), end: null });
  });

  it('names the JSON path of each problem', () => {
    const cases: [(root: Record<string, unknown>) => void, string][] = [
      [(r) => (r['mediaType'] = 'application/vnd.dev.sigstore.bundle+json;version=0.3'), '$.mediaType: not a Sigstore trusted root media type'],
      [(r) => ((r['certificateAuthorities'] as Record<string, unknown>[])[0]!['validFor'] = { start: '2025-13-01T00:00:00Z' }), '$.certificateAuthorities[0].validFor.start'],
      [(r) => ((r['certificateAuthorities'] as Record<string, unknown>[])[0]!['validFor'] = { start: '2026-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' }), '$.certificateAuthorities[0].validFor.end: ends'],
      [(r) => ((r['certificateAuthorities'] as { certChain: { certificates: { rawBytes: string }[] } }[])[0]!.certChain.certificates[1]!.rawBytes = 'AAAA'), '$.certificateAuthorities[0].certChain.certificates[1].rawBytes: not an X.509 certificate'],
      [(r) => ((r['ctlogs'] as { publicKey: { rawBytes: string } }[])[0]!.publicKey.rawBytes = 'AAAA'), '$.ctlogs[0].publicKey.rawBytes: not a DER SubjectPublicKeyInfo'],
      [(r) => delete (r['certificateAuthorities'] as Record<string, unknown>[])[0]!['validFor'], '$.certificateAuthorities[0].validFor: missing'],
      [(r) => ((r['ctlogs'] as { publicKey: Record<string, unknown> }[])[0]!.publicKey['validFor'] = { start: 1 }), '$.ctlogs[0].publicKey.validFor.start: expected an RFC 3339 timestamp string'],
      [(r) => ((r['ctlogs'] as Record<string, unknown>[])[0]!['hashAlgorithm'] = 'SHA1'), '$.ctlogs[0].hashAlgorithm'],
      [(r) => (r['tlogs'] = {}), '$.tlogs: expected an array'],
    ];
    for (const [change, message] of cases) expect(() => readTrustedRoot(rootWith(change)), message).toThrow(message);
  });

  it('refuses duplicate keys and oversized files before reading them', () => {
    expect(() => readTrustedRoot(encode('{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[],"tlogs":[]}'))).toThrow(/duplicate/i);
    expect(() => readTrustedRoot(new Uint8Array(2 * 1024 * 1024).fill(0x20))).toThrow();
  });
});

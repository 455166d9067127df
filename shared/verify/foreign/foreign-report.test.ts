import { describe, expect, it } from 'vitest';
import type { SignatureCheck, SubjectCheck } from '../report';
import { assembleForeignReport, type ForeignFindings } from './foreign-report';

const signature = (index: number, keyId: string | null, status: SignatureCheck['status']): SignatureCheck => ({
  index,
  keyIdHint: '',
  keyId,
  signerName: keyId,
  trustSource: keyId === null ? null : 'flag',
  status,
  reason: status,
});

const base = (overrides: Partial<ForeignFindings>): ForeignFindings => ({
  format: 'dsse',
  target: { path: 'a', container: 'file', fileCount: 1, signaturePath: 'a.sig' },
  signatures: [],
  subjects: [],
  unexpectedFiles: [],
  unexpectedFilesFail: false,
  findings: [],
  trust: { source: 'flags', anchors: ['--key k'], trustedKeyCount: 2, threshold: 1 },
  now: new Date(0),
  ...overrides,
});

describe('assembleForeignReport', () => {
  it('counts distinct keys against the threshold: two valid signatures by one key count once', () => {
    const sameKey = assembleForeignReport(base({ signatures: [signature(0, 'SHA256:a', 'valid'), signature(1, 'SHA256:a', 'valid')], trust: { source: 'flags', anchors: [], trustedKeyCount: 2, threshold: 2 } }));
    expect(sameKey.verdict).toBe('untrusted');
    const twoKeys = assembleForeignReport(base({ signatures: [signature(0, 'SHA256:a', 'valid'), signature(1, 'SHA256:b', 'valid')], trust: { source: 'flags', anchors: [], trustedKeyCount: 2, threshold: 2 } }));
    expect(twoKeys.verdict).toBe('verified');
    expect(twoKeys.trust).toMatchObject({ source: 'flags', threshold: 2 });
  });

  it('puts invalid before tampered before untrusted; a missing file or an unsigned one where that fails is tampered', () => {
    const missing: SubjectCheck = { name: 'w.bin', kind: null, digest: {}, blobPath: null, size: null, status: 'missing', expectedSha256: null, actualSha256: null, reason: 'w.bin is missing' };
    expect(assembleForeignReport(base({ subjects: [missing], findings: [{ severity: 'error', code: 'x', message: 'unreadable', location: null }] })).verdict).toBe('invalid');
    expect(assembleForeignReport(base({ subjects: [missing], signatures: [signature(0, 'SHA256:a', 'valid')] })).verdict).toBe('tampered');
    const extra = assembleForeignReport(base({ signatures: [signature(0, 'SHA256:a', 'valid')], unexpectedFiles: ['extra.bin'], unexpectedFilesFail: true }));
    expect(extra).toMatchObject({ verdict: 'tampered', unexpectedBlobs: ['extra.bin'] });
    expect(assembleForeignReport(base({ signatures: [signature(0, 'SHA256:a', 'valid')], unexpectedFiles: ['extra.bin'] })).verdict).toBe('verified');
    expect(assembleForeignReport(base({ signatures: [signature(0, 'SHA256:a', 'not-allowed')] })).verdict).toBe('untrusted');
  });
});

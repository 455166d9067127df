import { describe, expect, it } from 'vitest';
import { inboxLabel, inboxNote } from './inbox-words';

describe('inbox words', () => {
  it('names a release by name@version, or by its digest when its manifest names none', () => {
    expect(inboxLabel({ name: 'fraud-detector', version: 'm92', manifestDigest: 'a'.repeat(64) })).toBe('fraud-detector@m92');
    expect(inboxLabel({ name: null, version: null, manifestDigest: 'a'.repeat(64) })).toBe(`Release sha256:${'a'.repeat(12)}…`);
  });

  it("says which notice re-opened a release and that the reviewer's earlier decision no longer counts", () => {
    const reopenedBy = [{ issuer: 'Alan Turing', reason: 'deletion request covers Q1', issuedAt: '2026-12-01T10:00:00Z' }];
    expect(inboxNote({ reopenedBy, earlierDecision: { decision: 'approve', reviewedAt: '2026-11-30T09:00:00Z' } })).toBe(
      "Re-opened by Alan Turing's notice (deletion request covers Q1): you approved it on 2026-11-30, before the notice; decide again.",
    );
    expect(inboxNote({ reopenedBy, earlierDecision: null })).toBe("Re-opened by Alan Turing's notice (deletion request covers Q1).");
  });

  it('has nothing to add for a release never decided and not re-opened', () => {
    expect(inboxNote({ reopenedBy: [], earlierDecision: null })).toBeNull();
  });
});

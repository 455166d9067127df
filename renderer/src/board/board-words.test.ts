import { describe, expect, it } from 'vitest';
import type { BoardStatus } from '../../../shared/api/contract';
import { freshnessWords, lastSyncWords, pendingWords, problemSentence, queueWords, readGenesis, type BoardNames } from './board-words';

const MANIFEST = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const ALAN_LOG = 'c'.repeat(64);
const REJECTION = `approvals/${MANIFEST}/${'d'.repeat(64)}.dsse.json`;

const names: BoardNames = {
  releases: [{ manifestDigest: MANIFEST, name: 'fraud-detector', version: 'm92', decisions: 1, reopenedBy: [] }],
  decisions: [{ path: REJECTION, manifestDigest: MANIFEST, reviewer: 'Alan Turing', decision: 'reject', reviewedAt: '2026-11-30T10:00:00Z' }],
  notices: [],
  logs: [{ memberName: 'Alan Turing', fingerprint: ALAN_LOG, size: 3, cosigners: [], lastCosignedAt: null }],
  chain: [{ version: 1, digest: 'e'.repeat(64), endorsedBy: [] }],
  pending: [],
};

const problem = (code: string, path: string | null, message = 'host message') => ({ code, path, message });

describe('board problems in plain words', () => {
  it("names whose decision on which release the remote lost, and that it was restored", () => {
    expect(problemSentence(problem('missing-on-remote', REJECTION), names)).toBe("Alan Turing's rejection of fraud-detector@m92 is missing on the remote; restored from this computer.");
  });

  it("says a refused object of this computer's queue was not published, not that the remote holds it", () => {
    const own = `releases/${OTHER}/manifest.dsse.json`;
    const sentence = problemSentence({ ...problem('unreadable', own), queued: true }, names);
    expect(sentence).toMatch(/queued on this computer would be refused by the board, so it was not published and has left the queue/);
    expect(sentence).not.toContain('on the remote');
  });

  it('says "a decision" on a release it knows when the decision itself is not known here', () => {
    const unknown = `approvals/${MANIFEST}/${'f'.repeat(64)}.dsse.json`;
    expect(problemSentence(problem('changed-on-remote', unknown), names)).toBe(
      'A decision on fraud-detector@m92 was changed on the remote; the copy this computer accepted is kept and written back.',
    );
    const elsewhere = `approvals/${OTHER}/${'f'.repeat(64)}.dsse.json`;
    expect(problemSentence(problem('bad-signature', elsewhere), names)).toContain(`A decision on the release sha256:${OTHER.slice(0, 12)}…`);
  });

  it("names a member's log by the member, not by its fingerprint", () => {
    expect(problemSentence(problem('missing-on-remote', `logs/${ALAN_LOG}/3.checkpoint`), names)).toBe("Alan Turing's log head at size 3 is missing on the remote; restored from this computer.");
  });

  it('has a sentence for every code the board checks produce, and keeps an unknown code as the host wrote it', () => {
    const codes = [
      'genesis-missing',
      'genesis-mismatch',
      'name-mismatch',
      'changed-on-remote',
      'missing-on-remote',
      'unreadable',
      'bad-signature',
      'not-a-member',
      'wrong-board',
      'competing-successors',
      'approval-moved',
      'log-broken',
      'log-rewritten',
      'log-lists-missing',
      'cosignature-invalid',
    ] as const satisfies readonly BoardStatus['problems'][number]['code'][] extends readonly (infer C)[] ? readonly C[] : never;
    for (const code of codes) expect(problemSentence(problem(code, null), names), code).not.toBe('host message');
    expect(problemSentence(problem('a-code-from-a-newer-version', null), names)).toBe('host message');
  });

  it('calls a path outside the layout a file, by its path', () => {
    expect(problemSentence(problem('unreadable', 'README.md'), names)).toBe('The file README.md on the remote cannot be read; it is ignored.');
  });
});

describe('the queue in plain words', () => {
  it('counts approvals, and says the last sync was offline', () => {
    const queue = [1, 2, 3].map((n) => `approvals/${MANIFEST}/${String(n).repeat(64)}.dsse.json`);
    expect(queueWords(queue, { at: '2026-12-01T12:00:00Z', outcome: 'offline', commit: null })).toBe('3 approvals waiting: offline');
  });

  it('counts a release once, whatever lineage files travel with it, and waits for the next sync when not offline', () => {
    const queue = [`releases/${MANIFEST}/manifest.dsse.json`, `releases/${MANIFEST}/lineage.json`, `approvals/${MANIFEST}/${'1'.repeat(64)}.dsse.json`, `policies/0002-${OTHER}.json`];
    expect(queueWords(queue, null)).toBe('1 approval, 1 release and 1 policy proposal waiting: until the next sync');
  });

  it('says when nothing waits', () => {
    expect(queueWords([], null)).toBe('Nothing waiting to be pushed.');
  });
});

describe('sync and proposals in plain words', () => {
  const now = new Date('2026-12-01T12:10:00Z');
  it('says when the last sync was and how it went', () => {
    expect(lastSyncWords(null, now)).toBe('Never synced.');
    expect(lastSyncWords({ at: '2026-12-01T12:05:00Z', outcome: 'synced', commit: 'abc' }, now)).toBe('Synced 5 min ago.');
    expect(lastSyncWords({ at: '2026-12-01T12:05:00Z', outcome: 'offline', commit: null }, now)).toContain('offline');
  });

  it("says when a member's log head was last cosigned, or that nobody has", () => {
    const log = { memberName: 'Ada Byron', fingerprint: ALAN_LOG, size: 4, cosigners: [], lastCosignedAt: null };
    expect(freshnessWords(log, now)).toBe('not cosigned by anyone yet');
    expect(freshnessWords({ ...log, lastCosignedAt: '2026-12-01T09:10:00Z' }, now)).toBe('last cosigned 3 h ago');
  });

  it("counts a proposal's endorsements against the quorum", () => {
    expect(pendingWords({ version: 2, digest: OTHER, endorsedBy: ['Ada Byron'], needed: 2 })).toBe('endorsed by Ada Byron: 1 of the 2 needed');
  });
});

describe('the genesis digest typed to pin a board', () => {
  it('takes sha256:<hex> or bare hex, and nothing for trust on first use', () => {
    expect(readGenesis(`sha256:${'AB'.repeat(32)}`)).toEqual({ digest: 'ab'.repeat(32) });
    expect(readGenesis(` ${'0'.repeat(64)} `)).toEqual({ digest: '0'.repeat(64) });
    expect(readGenesis('')).toEqual({ digest: null });
  });

  it('refuses a digest of the wrong length or alphabet, saying what is expected', () => {
    for (const wrong of ['sha256:abc', 'g'.repeat(64), `sha512:${'0'.repeat(64)}`]) expect(readGenesis(wrong)).toHaveProperty('problem', expect.stringContaining('64 hex digits'));
  });
});

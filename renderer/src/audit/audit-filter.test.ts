import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/api/contract';
import { auditCsv, auditJson, filterAudit, filterChoices, NO_FILTER, NO_KEY } from './audit-filter';

const ADA = 'SHA256:ada';
const GRACE = 'SHA256:grace';
const RELEASE_A = 'a'.repeat(64);
const RELEASE_B = 'b'.repeat(64);

let nextId = 1;
function entry(actor: string | null, action: string, manifestDigest: string | null, detail: Record<string, unknown> = {}): AuditEntry {
  const id = nextId++;
  return { id, at: `2026-12-01T10:00:0${id % 10}Z`, actor, action, manifestDigest, detail, hash: String(id).padStart(64, '0') };
}

const entries = [
  entry(ADA, 'approval.made', RELEASE_A, { decision: 'approve', role: 'risk' }),
  entry(GRACE, 'approval.made', RELEASE_A, { decision: 'reject', role: 'risk' }),
  entry(GRACE, 'approval.imported', RELEASE_B, { decision: 'approve', role: 'privacy' }),
  entry(null, 'board.imported', null, { board: 'demo', version: 1 }),
  entry(ADA, 'key.generated', null, { name: 'laptop' }),
];
const names = new Map([[ADA, 'Ada Byron']]);

describe('filterAudit', () => {
  it('narrows by release, person and action together, and keeps everything without a filter', () => {
    expect(filterAudit(entries, NO_FILTER)).toHaveLength(entries.length);
    expect(filterAudit(entries, { ...NO_FILTER, release: RELEASE_A }).map((e) => e.id)).toEqual([entries[0]!.id, entries[1]!.id]);
    expect(filterAudit(entries, { ...NO_FILTER, person: GRACE }).map((e) => e.action)).toEqual(['approval.made', 'approval.imported']);
    expect(filterAudit(entries, { release: RELEASE_A, person: GRACE, action: 'approval.made' })).toEqual([entries[1]]);
    expect(filterAudit(entries, { ...NO_FILTER, person: NO_KEY })).toEqual([entries[3]]);
    expect(filterAudit(entries, { ...NO_FILTER, release: RELEASE_B, action: 'key.generated' })).toEqual([]);
  });

  it('offers the releases, people and actions that occur, most frequent first, named where known', () => {
    const choices = filterChoices(entries, names);
    expect(choices.releases.map((c) => [c.value, c.count])).toEqual([
      [RELEASE_A, 2],
      [RELEASE_B, 1],
    ]);
    expect(choices.people.map((c) => c.label)).toEqual(['Ada Byron (SHA256:ada…)', GRACE, 'No key (board policy imports)']);
    expect(choices.actions[0]).toEqual({ value: 'approval.made', label: 'Approval signed', count: 2 });
  });
});

describe('auditCsv', () => {
  it('writes one CRLF row per entry under a header, with formula cells defused and controls shown', () => {
    const hostile = entry(GRACE, 'approval.refused', RELEASE_A, { reason: '=HYPERLINK("http://evil","x")', file: 'a\u202Eb\r\nc' });
    const csv = auditCsv([entries[0]!, hostile], names);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,time,key,who,action,what,release,details,hash');
    expect(lines[1]).toContain(',SHA256:ada,Ada Byron,approval.made,Approval signed,');
    expect(lines[1]).toContain('Decision: approve · Role: risk');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    // The details cell starts with "Why: =…", so only the detail value holds the formula; a cell that starts with it is quoted.
    const formulaFirst = auditCsv([entry('=cmd|calc', 'x', null)], new Map());
    expect(formulaFirst.split('\r\n')[1]).toContain(",'=cmd|calc,");
    expect(csv).not.toMatch(/[\u202E]/);
    expect(csv).toContain('<U+202E>');
    expect(csv.split('\r\n')).toHaveLength(4);
  });
});

describe('auditJson', () => {
  it('keeps the entries as stored, with the filter that chose them', () => {
    // eslint-disable-next-line no-restricted-syntax -- our own output
    const parsed = JSON.parse(auditJson(entries.slice(0, 2), { ...NO_FILTER, release: RELEASE_A }, new Date('2026-12-01T12:00:00Z')));
    expect(parsed.exportedAt).toBe('2026-12-01T12:00:00.000Z');
    expect(parsed.filter).toEqual({ release: RELEASE_A, person: null, action: null });
    expect(parsed.entries).toEqual(entries.slice(0, 2));
  });
});

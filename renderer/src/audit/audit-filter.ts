import type { AuditEntry } from '../../../shared/api/contract';
import { csvCell } from '../../../shared/lineage/impact-csv';
import { actionWords, detailText } from './audit-words';

/** What the log is narrowed to; an empty string matches every entry. */
export interface AuditFilter {
  /** A release's manifest digest (sha256 hex). */
  release: string;
  /** A key ID, or NO_KEY for the entries no key made (board policy imports). */
  person: string;
  action: string;
}

export const NO_FILTER: AuditFilter = { release: '', person: '', action: '' };
/** The person choice for entries that no key made. */
export const NO_KEY = 'no-key';

export function isFiltered(filter: AuditFilter): boolean {
  return filter.release !== '' || filter.person !== '' || filter.action !== '';
}

export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  return entries.filter(
    (entry) =>
      (filter.release === '' || entry.manifestDigest === filter.release) &&
      (filter.person === '' || (filter.person === NO_KEY ? entry.actor === null : entry.actor === filter.person)) &&
      (filter.action === '' || entry.action === filter.action),
  );
}

export interface FilterChoice {
  value: string;
  label: string;
  count: number;
}

/** The choices each filter offers: what occurs in the entries, with how often, most frequent first. */
export function filterChoices(entries: readonly AuditEntry[], names: ReadonlyMap<string, string>): { releases: FilterChoice[]; people: FilterChoice[]; actions: FilterChoice[] } {
  const tally = (values: (string | null)[], label: (value: string) => string): FilterChoice[] => {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts]
      .map(([value, count]) => ({ value, label: label(value), count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  };
  return {
    releases: tally(
      entries.map((entry) => entry.manifestDigest),
      (digest) => `${digest.slice(0, 12)}…`,
    ),
    people: tally(
      entries.map((entry) => entry.actor ?? NO_KEY),
      (actor) => (actor === NO_KEY ? 'No key (board policy imports)' : names.has(actor) ? `${names.get(actor)} (${actor.slice(0, 15)}…)` : actor),
    ),
    actions: tally(
      entries.map((entry) => entry.action),
      actionWords,
    ),
  };
}

export const AUDIT_CSV_COLUMNS = ['id', 'time', 'key', 'who', 'action', 'what', 'release', 'details', 'hash'] as const;

/**
 * Entries as CSV (RFC 4180, CRLF line ends), each cell neutralised as the impact CSV's are: a
 * cell a spreadsheet would run as a formula is prefixed with a quote, control and bidi characters
 * are shown, not kept. Names and details come from bundles and other reviewers' files.
 */
export function auditCsv(entries: readonly AuditEntry[], names: ReadonlyMap<string, string>): string {
  const rows = entries.map((entry) => [
    String(entry.id),
    entry.at,
    entry.actor ?? '',
    entry.actor === null ? '' : (names.get(entry.actor) ?? ''),
    entry.action,
    actionWords(entry.action),
    entry.manifestDigest ?? '',
    detailText(entry.detail),
    entry.hash,
  ]);
  return [[...AUDIT_CSV_COLUMNS], ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Entries as JSON, exactly as the log holds them, with the filter that chose them. */
export function auditJson(entries: readonly AuditEntry[], filter: AuditFilter, exportedAt: Date): string {
  return (
    JSON.stringify(
      {
        exportedAt: exportedAt.toISOString(),
        filter: { release: filter.release || null, person: filter.person || null, action: filter.action || null },
        entries,
      },
      null,
      2,
    ) + '\n'
  );
}

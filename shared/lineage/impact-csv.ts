import type { ImpactReport } from '../api/commands/lineage-commands';

export const IMPACT_CSV_COLUMNS = ['id', 'name', 'kind', 'degree', 'subject', 'releases', 'approvals', 'deployments'] as const;

/**
 * The impact report as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a quote,
 * comma or line break, quotes doubled). Lists within a cell are joined with "; ".
 *
 * Node names and ids come from the bundle, so a cell that a spreadsheet would run as a
 * formula (starting with =, +, -, @, or a tab or carriage return that hides one) is prefixed
 * with a single quote, as OWASP advises for CSV injection.
 */
export function impactCsv(report: ImpactReport): string {
  const rows = report.affected.map((node) => [node.id, node.name, node.kind, String(node.degree), node.subject ?? '', node.releases.join('; '), String(node.approvals), node.deployments.join('; ')]);
  return [[...IMPACT_CSV_COLUMNS], ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

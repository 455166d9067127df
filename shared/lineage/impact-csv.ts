import type { ImpactReport } from '../api/commands/lineage-commands';
import { neutraliseField } from '../text/neutralise';

export const IMPACT_CSV_COLUMNS = ['id', 'name', 'kind', 'degree', 'subject', 'releases', 'approvals', 'deployments'] as const;

/**
 * The impact report as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a quote or
 * a comma, quotes doubled). Lists within a cell are joined with "; ".
 *
 * Node names and ids come from the bundle, so a cell that a spreadsheet would run as a
 * formula (starting with =, +, -, @) is prefixed
 * with a single quote, as OWASP advises for CSV injection. Control characters (tab and line
 * breaks included) and bidi controls are shown, not kept (`\x1b`, `<U+202E>`): a cell is one
 * line, and a file viewer or terminal showing the CSV cannot be steered by it.
 */
export function impactCsv(report: ImpactReport): string {
  const rows = report.affected.map((node) => [node.id, node.name, node.kind, String(node.degree), node.subject ?? '', node.releases.join('; '), String(node.approvals), node.deployments.join('; ')]);
  return [[...IMPACT_CSV_COLUMNS], ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(text: string): string {
  const shown = neutraliseField(text);
  const safe = /^[=+\-@]/.test(shown) ? `'${shown}` : shown;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

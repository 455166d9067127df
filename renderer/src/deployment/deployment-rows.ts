import type { DeploymentRow, DeploymentStatus } from '../../../shared/api/contract';

/** How each status is shown: a word, a symbol and an Okabe–Ito colour (deployment.css), never the colour alone. */
export const DEPLOYMENT_STATUS_LOOK: Record<DeploymentStatus, { word: string; icon: string }> = {
  match: { word: 'Match', icon: '✓' },
  'digest-mismatch': { word: 'Digest mismatch', icon: '✗' },
  'mutable-reference': { word: 'Mutable reference', icon: '!' },
  'not-in-manifest': { word: 'Not in manifest', icon: '+' },
  'not-deployed': { word: 'Not deployed', icon: '–' },
};

/** A row is unchanged when the deployment runs exactly what the manifest pins. */
export function isUnchanged(row: DeploymentRow): boolean {
  return row.status === 'match';
}

/** The rows a person asked to see: matching the filter text, and only the changed ones unless they asked for all. */
export function visibleRows(rows: readonly DeploymentRow[], options: { changesOnly: boolean; filter: string }): { shown: DeploymentRow[]; hiddenUnchanged: number } {
  const needle = options.filter.trim().toLowerCase();
  const matching = needle === '' ? rows : rows.filter((row) => searchText(row).includes(needle));
  if (!options.changesOnly) return { shown: [...matching], hiddenUnchanged: 0 };
  const shown = matching.filter((row) => !isUnchanged(row));
  return { shown, hiddenUnchanged: matching.length - shown.length };
}

/** What the table says when it shows no row: why, so an empty table never reads as a failure. */
export function noRowsText(rows: readonly DeploymentRow[], options: { changesOnly: boolean; filter: string }): string {
  if (rows.length === 0) return 'Neither the manifest nor the deployment names an artifact to compare.';
  const needle = options.filter.trim();
  if (needle !== '') return `No row mentions "${needle}"${options.changesOnly ? ' among the changes' : ''}.`;
  return 'Nothing differs: every deployed artifact has the digest the manifest pins.';
}

function searchText(row: DeploymentRow): string {
  const parts = [row.subject, row.status, DEPLOYMENT_STATUS_LOOK[row.status].word, row.kind, row.detail, ...Object.values(row.manifestDigest ?? {})];
  if (row.deployed !== null) parts.push(row.deployed.name, row.deployed.reference, row.deployed.location, ...Object.values(row.deployed.digest ?? {}));
  return parts.filter((part) => part !== null && part !== undefined).join('\n').toLowerCase();
}

/** `sha256:<hex>`, preferring sha256 when a set holds several. */
export function digestText(digest: Record<string, string> | null): string | null {
  if (digest === null) return null;
  const algorithm = Object.hasOwn(digest, 'sha256') ? 'sha256' : Object.keys(digest)[0];
  return algorithm === undefined ? null : `${algorithm}:${digest[algorithm]}`;
}

export interface ElectronegativityIssue {
  id: string;
  file: string;
  severity: { value: number; name: string };
  location: { line: number; column: number };
  description: string;
  shortenedURL: string;
}
export interface AllowListEntry {
  id: string;
  file: string;
  reason: string;
}
export const GATED_CHECK_IDS: readonly string[];
export const UNGATED_FAILING_SEVERITY: number;
export const ALLOW_LIST: readonly AllowListEntry[];
export const CANARY_EXPECTED_IDS: readonly string[];
export function judgeFindings(
  issues: readonly ElectronegativityIssue[],
  options?: { allowList?: readonly AllowListEntry[]; gatedIds?: readonly string[] },
): { failing: ElectronegativityIssue[]; allowed: { issue: ElectronegativityIssue; reason: string }[]; noted: ElectronegativityIssue[]; staleEntries: AllowListEntry[] };
export function canaryBlindSpots(
  canaryIssues: readonly ElectronegativityIssue[],
  options?: { expectedIds?: readonly string[]; gatedIds?: readonly string[] },
): { notReported: string[]; notGated: string[] };
export function scanWithElectronegativity(dir: string, electronVersion: string): Promise<{ issues: ElectronegativityIssue[]; errors: { file: string; message?: string }[] }>;
export const WEB_PREFERENCES_CHECK_ID: string;
export function findInsecureWebPreferences(file: string, text: string): ElectronegativityIssue[];

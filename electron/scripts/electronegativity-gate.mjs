// The decision half of the Electron security gate (electronegativity.mjs runs the scan).
// Kept apart so that a unit test can feed it findings, real or made up.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Checks that fail the gate whatever severity Electronegativity gives them. The tool rates
 * some of the worst settings low: node integration switched on is INFORMATIONAL when the window
 * also states `sandbox`, experimental and Blink features are LOW. A finding of any of these
 * fails unless the allow-list explains it.
 */
export const GATED_CHECK_IDS = Object.freeze([
  // Ours (see findInsecureWebPreferences)
  'COUNTERSIGN_INSECURE_WEB_PREFERENCE',
  // Node in the page
  'NODE_INTEGRATION_JS_CHECK',
  'NODE_INTEGRATION_HTML_CHECK',
  'NODE_INTEGRATION_ATTACH_EVENT_JS_CHECK',
  'HTTP_RESOURCES_WITH_NODE_INTEGRATION_GLOBAL_CHECK',
  // Isolation of the page from the preload and from the OS
  'CONTEXT_ISOLATION_JS_CHECK',
  'SANDBOX_JS_CHECK',
  'PRELOAD_JS_CHECK',
  'REMOTE_MODULE_JS_CHECK',
  // Web security, mixed content, remote code
  'WEB_SECURITY_JS_CHECK',
  'WEB_SECURITY_HTML_CHECK',
  'INSECURE_CONTENT_JS_CHECK',
  'INSECURE_CONTENT_HTML_CHECK',
  'HTTP_RESOURCES_JS_CHECK',
  'HTTP_RESOURCES_HTML_CHECK',
  'CERTIFICATE_ERROR_EVENT_JS_CHECK',
  'CERTIFICATE_VERIFY_PROC_JS_CHECK',
  'CUSTOM_ARGUMENTS_JS_CHECK',
  'CUSTOM_ARGUMENTS_JSON_CHECK',
  'SECURITY_WARNINGS_DISABLED_JS_CHECK',
  'SECURITY_WARNINGS_DISABLED_JSON_CHECK',
  'DANGEROUS_FUNCTIONS_JS_CHECK',
  // Features the page should not get
  'EXPERIMENTAL_FEATURES_JS_CHECK',
  'EXPERIMENTAL_FEATURES_HTML_CHECK',
  'BLINK_FEATURES_JS_CHECK',
  'BLINK_FEATURES_HTML_CHECK',
  // Popups, new windows, navigation, external links
  'ALLOWPOPUPS_HTML_CHECK',
  'AUXCLICK_JS_CHECK',
  'AUXCLICK_HTML_CHECK',
  'LIMIT_NAVIGATION_GLOBAL_CHECK',
  'LIMIT_NAVIGATION_JS_CHECK',
  'OPEN_EXTERNAL_JS_CHECK',
  'PROTOCOL_HANDLER_JS_CHECK',
  // Permissions and content security policy
  'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
  'PERMISSION_REQUEST_HANDLER_JS_CHECK',
  'CSP_GLOBAL_CHECK',
  'CSP_JS_CHECK',
  'CSP_HTML_CHECK',
]);

/** Other checks (upgrade notes, affinity, ...) fail from MEDIUM up, as before. */
export const UNGATED_FAILING_SEVERITY = 2; // INFORMATIONAL 0, LOW 1, MEDIUM 2

/** Findings that were reviewed and do not apply. `file` is relative to electron/ ('N/A' for global checks). */
export const ALLOW_LIST = Object.freeze([
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'N/A',
    reason:
      'The CSP is sent as a response header on every app:// response (main/app-protocol.ts, policy in ' +
      'shared/api/content-security-policy.ts); the tool only recognises CSPs set in onHeadersReceived or in ' +
      'HTML. e2e/electron.spec.ts checks the header the window actually receives.',
  },
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'main/main-window.ts',
    reason:
      'Manual-review finding for any preload. Reviewed: preload/preload.ts exposes only invoke(command, input) ' +
      'and on(event, listener), checks both names against the contract before touching IPC, never exposes ' +
      'ipcRenderer or the IPC event, and the main process checks every sender again.',
  },
]);

/**
 * The check IDs the canary (security-canary/) must trip: each is a deliberately insecure
 * setting there. If a scan of the canary misses one, the gate cannot see that setting either.
 */
export const CANARY_EXPECTED_IDS = Object.freeze([
  'COUNTERSIGN_INSECURE_WEB_PREFERENCE',
  'NODE_INTEGRATION_JS_CHECK',
  'NODE_INTEGRATION_HTML_CHECK',
  'HTTP_RESOURCES_WITH_NODE_INTEGRATION_GLOBAL_CHECK',
  'CONTEXT_ISOLATION_JS_CHECK',
  'SANDBOX_JS_CHECK',
  'PRELOAD_JS_CHECK',
  'REMOTE_MODULE_JS_CHECK',
  'WEB_SECURITY_JS_CHECK',
  'WEB_SECURITY_HTML_CHECK',
  'INSECURE_CONTENT_JS_CHECK',
  'INSECURE_CONTENT_HTML_CHECK',
  'HTTP_RESOURCES_JS_CHECK',
  'HTTP_RESOURCES_HTML_CHECK',
  'CERTIFICATE_ERROR_EVENT_JS_CHECK',
  'CERTIFICATE_VERIFY_PROC_JS_CHECK',
  'CUSTOM_ARGUMENTS_JS_CHECK',
  'SECURITY_WARNINGS_DISABLED_JS_CHECK',
  'EXPERIMENTAL_FEATURES_JS_CHECK',
  'EXPERIMENTAL_FEATURES_HTML_CHECK',
  'BLINK_FEATURES_JS_CHECK',
  'BLINK_FEATURES_HTML_CHECK',
  'ALLOWPOPUPS_HTML_CHECK',
  'AUXCLICK_JS_CHECK',
  'AUXCLICK_HTML_CHECK',
  'LIMIT_NAVIGATION_GLOBAL_CHECK',
  'OPEN_EXTERNAL_JS_CHECK',
  'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
  'CSP_GLOBAL_CHECK',
]);

/**
 * Sorts the findings of the app's scan: `failing` (gated, or ungated at MEDIUM and above, and
 * not allowed), `allowed` (with the entry's reason), `noted` (the rest), and `staleEntries`
 * (allow-list entries that matched nothing).
 */
export function judgeFindings(issues, { allowList = ALLOW_LIST, gatedIds = GATED_CHECK_IDS } = {}) {
  const gated = new Set(gatedIds);
  const failing = [];
  const allowed = [];
  const noted = [];
  for (const issue of issues) {
    const entry = allowList.find((candidate) => candidate.id === issue.id && candidate.file === issue.file);
    if (entry) allowed.push({ issue, reason: entry.reason });
    else if (gated.has(issue.id) || issue.severity.value >= UNGATED_FAILING_SEVERITY) failing.push(issue);
    else noted.push(issue);
  }
  const staleEntries = allowList.filter((entry) => !issues.some((issue) => issue.id === entry.id && issue.file === entry.file));
  return { failing, allowed, noted, staleEntries };
}

/**
 * The expected canary check IDs the scan of the canary did not report, and expected IDs the
 * gate would not fail on (not gated): both mean the gate is blind to that setting.
 */
export function canaryBlindSpots(canaryIssues, { expectedIds = CANARY_EXPECTED_IDS, gatedIds = GATED_CHECK_IDS } = {}) {
  const reported = new Set(canaryIssues.map((issue) => issue.id));
  const gated = new Set(gatedIds);
  return {
    notReported: expectedIds.filter((id) => !reported.has(id)),
    notGated: expectedIds.filter((id) => !gated.has(id)),
  };
}

/**
 * Our own check beside Electronegativity's: a web preference written with its insecure literal
 * value. Electronegativity does not report node integration switched on at all when the same window
 * states `sandbox` (it assumes the sandbox wins), so this catches what it misses.
 */
export const WEB_PREFERENCES_CHECK_ID = 'COUNTERSIGN_INSECURE_WEB_PREFERENCE';
const insecureWebPreferences = [
  /\bnodeIntegration(?:InWorker|InSubFrames)?\s*:\s*(?:true|!0)\b/,
  /\bcontextIsolation\s*:\s*(?:false|!1)\b/,
  /\bsandbox\s*:\s*(?:false|!1)\b/,
  /\bwebSecurity\s*:\s*(?:false|!1)\b/,
  /\ballowRunningInsecureContent\s*:\s*(?:true|!0)\b/,
  /\bexperimentalFeatures\s*:\s*(?:true|!0)\b/,
  /\benableBlinkFeatures\s*:/,
  /\benableRemoteModule\s*:\s*(?:true|!0)\b/,
  /\bwebviewTag\s*:\s*(?:true|!0)\b/,
];

/** Findings of the web-preference check in one source text, shaped like Electronegativity's. */
export function findInsecureWebPreferences(file, text) {
  const found = [];
  text.split('\n').forEach((line, index) => {
    for (const pattern of insecureWebPreferences) {
      const match = pattern.exec(line);
      if (match) {
        found.push({
          id: WEB_PREFERENCES_CHECK_ID,
          file,
          severity: { value: 3, name: 'HIGH' },
          location: { line: index + 1, column: match.index },
          description: `insecure web preference \`${match[0]}\``,
          shortenedURL: 'https://www.electronjs.org/docs/latest/tutorial/security',
        });
      }
    }
  });
  return found;
}

/**
 * Runs Electronegativity and the web-preference check over a directory, skipping tests (which
 * quote insecure settings on purpose); `issues[].file` is relative to `dir`.
 */
export async function scanWithElectronegativity(dir, electronVersion) {
  const run = createRequire(import.meta.url)('@doyensec/electronegativity');
  const result = await run({ input: dir, isRelative: true, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: [], parserPlugins: [] });
  const sources = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => /\.(?:[cm]?[jt]sx?|html?)$/.test(file) && !/\.test\.[cm]?[jt]sx?$/.test(file) && !file.split(path.sep).includes('node_modules'));
  const ours = sources.flatMap((file) => findInsecureWebPreferences(file.split(path.sep).join('/'), fs.readFileSync(path.join(dir, file), 'utf8')));
  return { issues: [...result.issues, ...ours], errors: result.errors };
}

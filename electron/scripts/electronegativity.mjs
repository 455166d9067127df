// The Electron security gate. Runs Electronegativity (Doyensec's Electron security linter) over
// electron/ and fails on
// - any finding of a gated check (GATED_CHECK_IDS in electronegativity-gate.mjs), whatever
//   severity the tool gives it (it rates node integration switched on as INFORMATIONAL in some cases),
// - any other finding from MEDIUM up,
// unless the reviewed allow-list explains it. An allow-list entry that no longer matches
// anything is reported so that the list stays true.
//
// Then it proves that it can see: it scans the canary (security-canary/, deliberately insecure
// window and page definitions kept under a `.canary` suffix that the normal scan skips) and
// fails if any check the canary exercises does not report it.
//
// Usage: node electron/scripts/electronegativity.mjs
// Offline it prints two notes (translations and Electron's release list could not be fetched);
// the checks themselves run locally.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronVersion, repoRoot } from './electron-runtime.mjs';
import { canaryBlindSpots, GATED_CHECK_IDS, judgeFindings, scanWithElectronegativity } from './electronegativity-gate.mjs';

const canaryDir = path.join(repoRoot, 'electron', 'scripts', 'security-canary');
const version = electronVersion();

const { issues, errors } = await scanWithElectronegativity(path.join(repoRoot, 'electron'), version);
const verdict = judgeFindings(issues);
const describe = (issue) => `${issue.severity.name.padEnd(13)} ${issue.id} (${issue.file === 'N/A' ? 'whole app' : `electron/${issue.file}:${issue.location.line}`})`;
for (const { issue, reason } of verdict.allowed) console.log(`${describe(issue)}\n  allowed: ${reason}`);
for (const issue of verdict.noted) console.log(`${describe(issue)}\n  ${issue.description}`);
for (const entry of verdict.staleEntries) {
  console.log(`note: the allow-list entry ${entry.id} (${entry.file}) matched nothing; remove it if the finding is gone for good.`);
}
for (const error of errors) console.log(`note: could not analyse ${error.file}: ${error.message ?? error.error ?? 'parse error'}`);

const blindSpots = canaryBlindSpots(await scanCanary());

let failed = false;
if (verdict.failing.length > 0) {
  failed = true;
  const lines = verdict.failing.map((issue) => `${describe(issue)}\n  ${issue.description}\n  ${issue.shortenedURL}`);
  console.error(`\n${verdict.failing.length} finding(s) of a gated check, or above LOW, without an explanation:\n\n${lines.join('\n\n')}`);
}
if (blindSpots.notReported.length > 0 || blindSpots.notGated.length > 0) {
  failed = true;
  console.error(
    '\nThe gate is blind: the deliberately insecure canary (electron/scripts/security-canary/) was not flagged by' +
      (blindSpots.notReported.length > 0 ? `\n  checks that reported nothing: ${blindSpots.notReported.join(', ')}` : '') +
      (blindSpots.notGated.length > 0 ? `\n  checks the gate does not fail on: ${blindSpots.notGated.join(', ')}` : ''),
  );
}
if (failed) process.exitCode = 1;
else {
  console.log(`\nElectronegativity: ${issues.length} finding(s) in electron/, none left unexplained; ${GATED_CHECK_IDS.length} checks gated at any severity.`);
  console.log('Canary: every check it exercises flagged it.');
}

/** Scans a temporary copy of the canary, each file without its `.canary` suffix. */
async function scanCanary() {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-security-canary-'));
  try {
    for (const name of fs.readdirSync(canaryDir).filter((file) => file.endsWith('.canary'))) {
      fs.copyFileSync(path.join(canaryDir, name), path.join(copy, name.slice(0, -'.canary'.length)));
    }
    const result = await scanWithElectronegativity(copy, version);
    return result.issues;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

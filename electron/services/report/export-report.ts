import { posix } from 'node:path';
import { sha256Hex } from '../../../shared/crypto/hash';
import type { ReportFormat, ReportPaper } from '../../../shared/api/commands/report-commands';
import { buildReleaseReport } from '../../../shared/report/build-report';
import { renderPdf } from '../../../shared/report/pdf/render-pdf';
import type { ReleaseReport } from '../../../shared/report/report-document';
import { renderHtml } from '../../../shared/report/render-html';
import { renderMarkdown } from '../../../shared/report/render-markdown';
import { jsonText } from '../../../shared/text/neutralise';
import { MANIFEST_FILE } from '../../../shared/verify/check-manifest';
import { writeZip, type ZipEntry } from '../archive/write-zip';
import type { DeploymentInput } from '../deployment/diff-bundle-deployment';
import type { JobControl } from '../jobs/job-registry';
import type { Profile } from '../profile/profile';
import type { ReviewSession } from '../session/review-session';
import { gatherReport, type GatheredReport } from './gather-report';

export interface ReportRequest {
  format: ReportFormat;
  paper: ReportPaper;
  deployment: DeploymentInput | null;
  evidence: boolean;
}

export interface MadeFile {
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface ExportedReport {
  report: ReleaseReport;
  manifestDigest: string | null;
  document: MadeFile;
  evidence: MadeFile | null;
}

const MEDIA_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  pdf: 'application/pdf',
};

/** Makes the record in the format asked, and the evidence zip when asked; writes nothing. */
export async function exportReport(session: ReviewSession, profile: Profile, request: ReportRequest, job: JobControl, now: Date): Promise<ExportedReport> {
  const gathered = await gatherReport(session, profile, request.deployment, job, now);
  const report = buildReleaseReport(gathered.sources);
  const manifestDigest = gathered.sources.verification.manifest?.digest ?? null;
  const base = `${safeFileName(report.release)}-record`;
  const document: MadeFile = { fileName: `${base}.${request.format}`, mediaType: MEDIA_TYPES[request.format], bytes: render(report, request) };
  const evidence = request.evidence ? { fileName: `${base}-evidence.zip`, mediaType: 'application/zip', bytes: await evidenceZip(session, profile, gathered, document) } : null;
  return { report, manifestDigest, document, evidence };
}

function render(report: ReleaseReport, request: ReportRequest): Uint8Array {
  switch (request.format) {
    case 'md':
      return new TextEncoder().encode(renderMarkdown(report));
    case 'html':
      return new TextEncoder().encode(renderHtml(report));
    case 'pdf':
      return renderPdf(report, request.paper);
  }
}

/** A name for the saved file: letters, digits, dots, dashes and underscores only. */
export function safeFileName(text: string): string {
  const safe = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return safe === '' ? 'release' : safe;
}

const EVIDENCE_README = `Evidence of a release decision, made by Countersign.

This folder is a bundle without its artifacts: manifest.dsse.json (the signed release manifest),
approvals/ (every approval judged), board.json (the board policy judged under), keys/ (the public
keys the bundle offered). verification-report.json and approval-status.json are the reports as
they stood when the record was made; the record itself is the report file.

Re-check offline, after unpacking:
  countersign verify <folder> --board <folder>/board.json
  countersign status <folder> --board <folder>/board.json

The signatures, the manifest digest and the board's answer are checked again from these files.
The artifacts' own bytes are not here: the verification report records whether each matched.
`;

/**
 * The evidence: everything needed to re-check the decision offline, laid out as a bundle (so
 * `countersign verify` and `status` read it as one), plus the reports as JSON. Names come from
 * the bundle and are reduced to their last segment, so nothing can point outside the archive.
 */
async function evidenceZip(session: ReviewSession, profile: Profile, gathered: GatheredReport, document: MadeFile): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const entries: ZipEntry[] = [{ name: 'README.txt', bytes: encoder.encode(EVIDENCE_README) }, { name: `record${posix.extname(document.fileName)}`, bytes: document.bytes }];
  const envelope = session.manifestEnvelope();
  if (envelope !== null) entries.push({ name: MANIFEST_FILE, bytes: envelope });

  const taken = new Set<string>();
  const uniqueName = (folder: string, name: string, suffix: string) => {
    const stem = safeFileName(posix.basename(name).replace(/\.dsse\.json$|\.pub$/, ''));
    let candidate = `${folder}/${stem}${suffix}`;
    for (let n = 2; taken.has(candidate); n++) candidate = `${folder}/${stem}-${n}${suffix}`;
    taken.add(candidate);
    return candidate;
  };
  // An approval held both in the bundle and in the profile is one approval: kept once.
  const approvalsHeld = new Set<string>();
  const addApproval = (name: string, bytes: Uint8Array) => {
    const digest = sha256Hex(bytes);
    if (approvalsHeld.has(digest)) return;
    approvalsHeld.add(digest);
    entries.push({ name: uniqueName('approvals', name, '.dsse.json'), bytes });
  };
  for (const approval of await session.bundleApprovals()) addApproval(approval.file, approval.bytes);
  const manifestDigest = gathered.sources.verification.manifest?.digest ?? null;
  if (manifestDigest !== null && profile.approvals !== null) {
    for (const approval of profile.approvals.forManifest(manifestDigest)) addApproval(approval.fileName, approval.envelope);
  }
  for (const { offered } of session.offeredKeys()) {
    if (offered.publicKey !== null) entries.push({ name: uniqueName('keys', offered.file, '.pub'), bytes: encoder.encode(offered.publicKey + '\n') });
  }
  const board = profile.board();
  if (board !== null) entries.push({ name: 'board.json', bytes: board.bytes });
  entries.push({ name: 'verification-report.json', bytes: encoder.encode(jsonText(gathered.sources.verification) + '\n') });
  if (gathered.status !== null) entries.push({ name: 'approval-status.json', bytes: encoder.encode(jsonText(gathered.status) + '\n') });
  return writeZip(entries);
}

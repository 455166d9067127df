import type { ApprovalStatus } from '../../../shared/api/commands/approvals-commands';
import type { AuditEntry } from '../../../shared/api/commands/audit-commands';
import { DomainError } from '../../../shared/errors/domain-error';
import type { ReportSources } from '../../../shared/report/build-report';
import type { TrustContext } from '../../../shared/verify/trust';
import { evaluateApprovals } from '../approvals/approval-service';
import type { AuditLog } from '../audit/audit-log';
import { approvalOutcomeOf } from '../deployment/approval-gate';
import { diffableManifest, diffReleaseDeployment, type DeploymentInput } from '../deployment/diff-bundle-deployment';
import type { JobControl } from '../jobs/job-registry';
import type { Profile } from '../profile/profile';
import type { ReviewSession } from '../session/review-session';

const AUDIT_PAGE = 1000;

export interface GatheredReport {
  sources: ReportSources;
  /** The approvals judgement the record states, for the evidence; null without a board policy. */
  status: ApprovalStatus | null;
}

/**
 * Everything the record says, from the session's snapshot and the profile: each answer the app
 * gives on its own screen (verification, approvals, deployment, lineage, audit), all about the
 * one manifest digest. A part that cannot be had is recorded with the reason; only a deployment
 * file the caller names and that cannot be read is an error.
 */
export async function gatherReport(session: ReviewSession, profile: Profile, deployment: DeploymentInput | null, job: JobControl, now: Date): Promise<GatheredReport> {
  const trust = profile.trust();
  const verification = await session.report(trust, job);
  const board = profile.board();
  let status: ApprovalStatus | null = null;
  let approvals: ReportSources['approvals'] = {
    available: false,
    reason: 'No board policy is imported here, so the board has given no answer: import the board policy (Trust in the app) or give --board <board.json>.',
  };
  if (board !== null) {
    try {
      status = await evaluateApprovals(session, { board, trust, profileApprovals: profile.approvals, job });
      approvals = { available: true, status };
    } catch (error) {
      // A release whose manifest does not verify has no approvals to judge: the record says so, integrity first.
      if (!(error instanceof DomainError) || error.code === 'internal' || error.code === 'cancelled') throw error;
      approvals = { available: false, reason: error.message };
    }
  }

  const sources: ReportSources = {
    verification,
    approvals,
    deployment: await deploymentPart(session, trust, deployment, status, job),
    lineage: await lineagePart(session),
    audit: auditPart(profile, verification.manifest?.digest ?? null),
    generatedAt: now.toISOString(),
  };
  return { sources, status };
}

async function deploymentPart(
  session: ReviewSession,
  trust: TrustContext,
  input: DeploymentInput | null,
  status: ApprovalStatus | null,
  job: JobControl,
): Promise<ReportSources['deployment']> {
  const manifest = session.manifestCheck(trust);
  try {
    diffableManifest(manifest);
  } catch (error) {
    if (error instanceof DomainError) return { available: false, reason: `No deployment diff: ${error.message}` };
    throw error;
  }
  const approval = status && approvalOutcomeOf(status);
  const integrity = status?.verdict ?? null;
  if (input !== null) return { available: true, diff: { ...(await diffReleaseDeployment({ manifest, bundleDeployment: () => session.bundleDeployment() }, input, approval, job)), integrity } };
  try {
    return { available: true, diff: { ...(await diffReleaseDeployment({ manifest, bundleDeployment: () => session.bundleDeployment() }, { from: 'bundle' }, approval, job)), integrity } };
  } catch (error) {
    // The bundle's own deployment is optional: its absence, or a file of it that cannot be read, is said in the record.
    if (error instanceof DomainError) return { available: false, reason: error.code === 'not-found' ? 'This bundle has no deployment file, and none was given.' : `The bundle's deployment file could not be read: ${error.message}` };
    throw error;
  }
}

async function lineagePart(session: ReviewSession): Promise<ReportSources['lineage']> {
  if (!session.hasLineage) return { available: false, reason: 'The bundle carries no lineage file.' };
  try {
    const { lineage } = await session.lineage();
    return { available: true, graph: { nodes: lineage.graph.nodes, edges: lineage.graph.edges, sourceFiles: lineage.sourceFiles, findings: lineage.findings } };
  } catch (error) {
    if (error instanceof DomainError) return { available: false, reason: `The lineage could not be read: ${error.message}` };
    throw error;
  }
}

function auditPart(profile: Profile, manifestDigest: string | null): ReportSources['audit'] {
  if (profile.kind !== 'store') {
    return { available: false, reason: "Judged under a board policy file alone (--board): this profile's audit trail was not read." };
  }
  const audit = profile.store().audit;
  const entries = manifestDigest === null ? [] : entriesFor(audit, manifestDigest);
  return { available: true, entries, chain: audit.verify() };
}

/** The entries about one release, oldest first, read page by page from the newest. */
function entriesFor(audit: AuditLog, manifestDigest: string): AuditEntry[] {
  const found: AuditEntry[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = audit.list({ limit: AUDIT_PAGE, ...(beforeId !== undefined ? { beforeId } : {}) });
    for (const entry of page) {
      if (entry.manifestDigest === manifestDigest) found.push({ id: entry.id, at: entry.at, actor: entry.actor, action: entry.action, manifestDigest: entry.manifestDigest, detail: entry.detail, hash: entry.hash });
    }
    if (page.length < AUDIT_PAGE) break;
    beforeId = page[page.length - 1]!.id;
  }
  return found.reverse();
}

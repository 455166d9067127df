import type { AuditEntry, AuditVerification } from '../api/commands/audit-commands';
import type { LineageGraphResult } from '../api/commands/lineage-commands';
import type { DeploymentDiff } from '../deployment/deployment-report';
import type { SubjectCheck, VerificationReport } from '../verify/report';
import { boardAnswerOf, type ApprovalsSource } from './board-answer';
import { lineageFigureOf, MAX_FIGURE_NODES } from './lineage-figure';
import { digestText, plainValue, releaseSummary, reproducibilityRows } from './release-facts';
import type { ReleaseReport, ReportBlock } from './report-document';

export type { ApprovalsSource } from './board-answer';

/** A part of the record that could not be had, and why (no deployment file, no lineage, no profile). */
export type Unavailable = { available: false; reason: string };

/** Everything the record is made from: the session's answers, each present or absent with a reason. */
export interface ReportSources {
  verification: VerificationReport;
  approvals: ApprovalsSource;
  deployment: { available: true; diff: DeploymentDiff } | Unavailable;
  lineage: { available: true; graph: LineageGraphResult } | Unavailable;
  /** The profile's audit entries for this manifest digest, oldest first, and the whole chain's status. */
  audit: { available: true; entries: AuditEntry[]; chain: AuditVerification } | Unavailable;
  generatedAt: string;
}

const TRUST_SOURCES: Record<string, string> = {
  member: 'board member',
  producer: 'producer',
  pinned: 'pinned key',
};

/** The record of the release, in the order the minutes read it. */
export function buildReleaseReport(sources: ReportSources): ReleaseReport {
  const { verification } = sources;
  const manifest = verification.manifest;
  const deployment = sources.deployment.available ? sources.deployment.diff : null;
  const answer = boardAnswerOf(verification, sources.approvals, deployment);
  const authorMember = sources.approvals.available ? (sources.approvals.status.evaluation.author?.member ?? null) : null;
  const blocks: ReportBlock[] = [
    { kind: 'heading', level: 2, text: 'Release summary' },
    { kind: 'facts', rows: releaseSummary(verification, authorMember) },
    ...signatureBlocks(verification),
    ...subjectsNeedingAttention(verification, deployment),
    { kind: 'heading', level: 2, text: 'Reproducibility record' },
    { kind: 'facts', rows: reproducibilityRows(verification) },
    ...lineageBlocks(sources.lineage),
    ...deploymentBlocks(sources.deployment),
    ...boardBlocks(sources.approvals),
    ...auditBlocks(sources.audit),
    { kind: 'heading', level: 2, text: 'Appendix: every subject' },
    subjectTable(failuresFirst(verification.subjects), 'The manifest pins no subject.'),
  ];
  return {
    release: manifest?.releaseName ? `${manifest.releaseName} ${manifest.releaseVersion ?? ''}`.trim() : 'Unnamed release',
    manifestDigest: manifest?.digest ?? 'unreadable',
    generatedAt: sources.generatedAt,
    answer,
    blocks,
  };
}

function signatureBlocks(verification: VerificationReport): ReportBlock[] {
  const { trust } = verification;
  const origin =
    trust.source === 'board-file'
      ? `Trust came from the board policy file${trust.boardName ? ` of "${trust.boardName}"` : ''} alone: ${trust.trustedKeyCount} trusted keys.`
      : `Trust came from this profile: ${trust.boardName ? `the imported board policy of "${trust.boardName}" and ` : 'no board policy, '}the keys pinned here, ${trust.trustedKeyCount} trusted keys in all.`;
  return [
    { kind: 'heading', level: 2, text: 'Signatures and trust' },
    { kind: 'paragraph', text: `Integrity: ${verification.verdict}. Checked at ${verification.verifiedAt}.` },
    { kind: 'paragraph', text: origin },
    {
      kind: 'table',
      columns: [
        { title: 'Signer', weight: 2 },
        { title: 'Key', weight: 3, mono: true },
        { title: 'Trusted as', weight: 1.4 },
        { title: 'Status', weight: 1.2 },
        { title: 'Reason', weight: 3 },
      ],
      rows: verification.signatures.map((signature) => [
        signature.signerName ?? 'unknown',
        signature.keyId ?? signature.keyIdHint,
        signature.trustSource === null ? 'not trusted' : (TRUST_SOURCES[signature.trustSource] ?? signature.trustSource),
        signature.status,
        signature.reason,
      ]),
      empty: 'The manifest carries no signature.',
    },
  ];
}

const STATUS_ORDER: Record<SubjectCheck['status'], number> = { mismatch: 0, missing: 1, 'not-checked': 2, ok: 3 };

function failuresFirst(subjects: SubjectCheck[]): SubjectCheck[] {
  return [...subjects].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function subjectTable(subjects: SubjectCheck[], empty: string): ReportBlock {
  return {
    kind: 'table',
    columns: [
      { title: 'Subject', weight: 3 },
      { title: 'Kind', weight: 1 },
      { title: 'Status', weight: 1.1 },
      { title: 'Digest', weight: 4, mono: true },
      { title: 'Note', weight: 2.5 },
    ],
    rows: subjects.map((subject) => [subject.name, subject.kind ?? 'unknown', subject.status, digestText(subject.digest), subject.status === 'ok' ? '' : subject.reason]),
    empty,
  };
}

/** Failures and changes first: subjects that do not match or were not checked, blobs no subject names, and deployment rows that are not a match. */
function subjectsNeedingAttention(verification: VerificationReport, deployment: DeploymentDiff | null): ReportBlock[] {
  const failing = failuresFirst(verification.subjects.filter((subject) => subject.status !== 'ok'));
  const blocks: ReportBlock[] = [
    { kind: 'heading', level: 2, text: 'Subjects needing attention' },
    subjectTable(failing, `All ${verification.subjects.length} subjects match their pinned digests (full table in the appendix).`),
  ];
  if (verification.unexpectedBlobs.length > 0) {
    blocks.push({ kind: 'paragraph', text: 'Files in the bundle that no subject names:' }, { kind: 'list', items: verification.unexpectedBlobs });
  }
  const changed = deployment?.rows.filter((row) => row.status !== 'match' && row.status !== 'not-deployed') ?? [];
  if (changed.length > 0) {
    blocks.push({ kind: 'paragraph', text: `${changed.length} deployed artifact(s) differ from the manifest (see the deployment diff below).` });
  }
  return blocks;
}

function lineageBlocks(lineage: ReportSources['lineage']): ReportBlock[] {
  const blocks: ReportBlock[] = [{ kind: 'heading', level: 2, text: 'Lineage' }];
  if (!lineage.available) return [...blocks, { kind: 'paragraph', text: lineage.reason }];
  const { graph } = lineage;
  blocks.push({ kind: 'paragraph', text: `${graph.nodes.length} nodes and ${graph.edges.length} edges, read from ${graph.sourceFiles.join(', ') || 'no file'}.` });
  const figure = lineageFigureOf(graph);
  if (figure === null) {
    blocks.push({ kind: 'paragraph', text: graph.nodes.length === 0 ? 'The lineage is empty.' : 'The lineage has a cycle and cannot be drawn in layers; its edges follow.' });
  } else {
    blocks.push({ kind: 'lineage', figure });
    if (graph.nodes.length > MAX_FIGURE_NODES) blocks.push({ kind: 'paragraph', text: `The picture shows the first ${MAX_FIGURE_NODES} nodes; ${graph.nodes.length - MAX_FIGURE_NODES} more are in the edge list.` });
  }
  const names = new Map(graph.nodes.map((node) => [node.id, node.version === null ? node.name : `${node.name} ${node.version}`]));
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'From', weight: 1 },
      { title: 'To', weight: 1 },
    ],
    rows: graph.edges.map((edge) => [names.get(edge.from) ?? edge.from, names.get(edge.to) ?? edge.to]),
    empty: 'No edges.',
  });
  if (graph.findings.length > 0) blocks.push({ kind: 'list', items: graph.findings.map((finding) => `${finding.severity}: ${finding.message}`) });
  return blocks;
}

function deploymentBlocks(deployment: ReportSources['deployment']): ReportBlock[] {
  const blocks: ReportBlock[] = [{ kind: 'heading', level: 2, text: 'Deployment diff' }];
  if (!deployment.available) return [...blocks, { kind: 'paragraph', text: deployment.reason }];
  const { diff } = deployment;
  blocks.push({
    kind: 'paragraph',
    text: `${diff.verdict === 'deployable' ? 'Deployable' : 'Blocked'}: ${diff.source.file} (${diff.source.format}${diff.source.environment ? `, environment ${diff.source.environment}` : ''}).`,
  });
  if (diff.reasons.length > 0) blocks.push({ kind: 'list', items: diff.reasons });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Status', weight: 1.4 },
      { title: 'Subject', weight: 2.4 },
      { title: 'Deployed as', weight: 3 },
      { title: 'Detail', weight: 3 },
    ],
    rows: diff.rows.map((row) => [row.status, row.subject ?? 'not in the manifest', row.deployed ? (row.deployed.reference ?? row.deployed.name) : 'not deployed', row.detail]),
    empty: 'The deployment deploys nothing.',
  });
  return blocks;
}

function boardBlocks(approvals: ApprovalsSource): ReportBlock[] {
  const blocks: ReportBlock[] = [{ kind: 'heading', level: 2, text: 'Board rules and decisions' }];
  if (!approvals.available) return [...blocks, { kind: 'paragraph', text: approvals.reason }];
  const { status } = approvals;
  const { evaluation } = status;
  blocks.push(
    { kind: 'paragraph', text: `Board "${status.policy.board}", policy version ${status.policy.version} (sha256:${status.policy.digest}), evaluated at ${evaluation.evaluatedAt}.` },
    {
      kind: 'table',
      columns: [
        { title: 'Rule', weight: 1.6 },
        { title: 'Met', weight: 0.6 },
        { title: 'Summary', weight: 3 },
        { title: 'Details', weight: 3 },
      ],
      rows: evaluation.rules.map((rule) => [rule.id, rule.met ? 'yes' : 'NO', rule.summary, rule.details.join(' ')]),
      empty: 'No rules.',
    },
    { kind: 'heading', level: 3, text: 'Seats' },
    {
      kind: 'table',
      columns: [
        { title: 'Role', weight: 1.2 },
        { title: 'Seat', weight: 0.5 },
        { title: 'Filled by', weight: 1.6 },
        { title: 'Key', weight: 3, mono: true },
      ],
      rows: evaluation.seats.map((seat) => [seat.role, String(seat.seat), seat.filledBy ?? 'empty', seat.keyId ?? '']),
      empty: 'The board requires no role.',
    },
    { kind: 'heading', level: 3, text: 'Decisions' },
    {
      kind: 'table',
      columns: [
        { title: 'Reviewer', weight: 1.5 },
        { title: 'Role', weight: 1 },
        { title: 'Decision', weight: 0.9 },
        { title: 'Time', weight: 1.6 },
        { title: 'Counts?', weight: 1.8 },
        { title: 'Comment', weight: 2 },
        { title: 'Conditions', weight: 1.6 },
      ],
      rows: evaluation.approvals.map((approval) => [
        approval.reviewerName ?? approval.reviewerKeyId ?? 'unknown',
        approval.role ?? '',
        approval.decision ?? '',
        approval.reviewedAt ?? '',
        `${approval.outcome}: ${approval.reason}`,
        approval.comment ?? '',
        approval.conditions.join('; '),
      ]),
      empty: 'No decision has been recorded for this release.',
    },
  );
  return blocks;
}

function auditBlocks(audit: ReportSources['audit']): ReportBlock[] {
  const blocks: ReportBlock[] = [{ kind: 'heading', level: 2, text: 'Audit trail' }];
  if (!audit.available) return [...blocks, { kind: 'paragraph', text: audit.reason }];
  const chain = audit.chain.ok
    ? `The audit chain holds: ${audit.chain.entries} entries, head ${audit.chain.head ?? 'none'}.`
    : `The audit chain is BROKEN at entry ${audit.chain.firstBrokenId} of ${audit.chain.entries}: ${audit.chain.reason}.`;
  blocks.push(
    { kind: 'paragraph', text: chain },
    {
      kind: 'table',
      columns: [
        { title: 'Entry', weight: 0.6 },
        { title: 'Time', weight: 1.6 },
        { title: 'Action', weight: 1.4 },
        { title: 'Actor', weight: 2.6, mono: true },
        { title: 'Detail', weight: 3 },
      ],
      rows: audit.entries.map((entry) => [String(entry.id), entry.at, entry.action, entry.actor ?? 'none', plainValue(entry.detail)]),
      empty: 'This profile has recorded nothing about this release.',
    },
  );
  return blocks;
}

// Fixtures for the report's tests: the sources of a record, made here, with a hostile string in
// every field a bundle, an approval, a lineage file or a deployment can fill.
import type { ApprovalStatus } from '../api/commands/approvals-commands';
import type { BoardEvaluation, EvaluatedApproval } from '../approvals/evaluation';
import type { SubjectCheck, VerificationReport } from '../verify/report';
import type { ReportSources } from './build-report';

/**
 * Everything a renderer must neutralise: PDF string syntax, Markdown table and code syntax, HTML
 * markup and an outside reference, a bidi override, a terminal escape, a line break starting a
 * fake line, and characters WinAnsi cannot show.
 */
export const HOSTILE =
  'Eve) Tj ET BT /F1 40 Tf (PWNED\\ | `code` <script>alert(1)</script><img src="https://evil.example/x.png"> \u202Egnp.exe \u001b[2J\r\nFAKE LINE \u4e2d\u6587 [link](https://evil.example/)';

export const DIGEST = 'ab'.repeat(32);
const KEY = 'SHA256:' + 'K'.repeat(43);

export function subject(name: string, status: SubjectCheck['status'] = 'ok'): SubjectCheck {
  return {
    name,
    kind: 'dataset',
    digest: { sha256: 'cd'.repeat(32) },
    blobPath: `artifacts/${name}`,
    size: 10,
    status,
    expectedSha256: 'cd'.repeat(32),
    actualSha256: status === 'mismatch' ? 'ef'.repeat(32) : 'cd'.repeat(32),
    reason: status === 'ok' ? 'matches' : `${HOSTILE} does not match`,
  };
}

export function verification(options: { verdict?: VerificationReport['verdict']; subjects?: SubjectCheck[]; release?: string } = {}): VerificationReport {
  const subjects = options.subjects ?? [subject(`model-${HOSTILE}`), subject('data/tampered.parquet', 'mismatch')];
  return {
    bundle: { path: '/bundles/x', format: 'countersign', container: 'directory', fileCount: subjects.length + 1 },
    manifest: {
      digest: DIGEST,
      releaseName: options.release ?? `fraud ${HOSTILE}`,
      releaseVersion: 'm92',
      predicateType: 'https://countersign.dev/release/v1',
      understood: true,
      createdBy: KEY,
      createdAt: '2026-11-01T12:00:00Z',
      unknownFields: ['$.predicate.extra'],
      statement: {
        predicate: {
          environment: { seed: 42, hardware: { gpu: HOSTILE } },
          tolerance: { metric: 'AUC', maxDelta: 0.01 },
          metrics: { auc: 0.93 },
          extra: { note: HOSTILE },
        },
      },
    },
    verdict: options.verdict ?? 'verified',
    reasons: [`Signed by ${HOSTILE}.`],
    findings: [],
    signatures: [{ index: 0, keyIdHint: KEY, keyId: KEY, signerName: HOSTILE, trustSource: 'producer', status: 'valid', reason: `Valid signature by ${HOSTILE}` }],
    subjects,
    unexpectedBlobs: [`artifacts/${HOSTILE}`],
    counts: { subjects: subjects.length, checked: subjects.length, ok: subjects.length - 1, mismatched: 1, notChecked: 0, bytesHashed: 20 },
    trust: { source: 'board-file', boardName: HOSTILE, trustedKeyCount: 3 },
    verifiedAt: '2026-12-01T10:00:00Z',
  };
}

export function decision(reviewerName: string, decisionMade: 'approve' | 'reject', role: string, outcome: EvaluatedApproval['outcome'] = 'counted'): EvaluatedApproval {
  return {
    file: `approvals/${reviewerName}.dsse.json`,
    reviewerKeyId: KEY,
    reviewerName,
    role,
    decision: decisionMade,
    reviewedAt: '2026-12-01T09:00:00Z',
    expiresAt: null,
    comment: `comment ${HOSTILE}`,
    conditions: [`condition ${HOSTILE}`],
    signatureStatus: 'valid',
    unknownFields: [],
    outcome,
    reason: 'counts',
  };
}

export function approvalStatus(evaluation: Partial<BoardEvaluation> = {}): ApprovalStatus {
  const full: BoardEvaluation = {
    approved: false,
    manifestDigest: DIGEST,
    policyDigest: 'ee'.repeat(32),
    board: HOSTILE,
    author: { keyId: KEY, member: null },
    rules: [
      { id: 'approvals-required', met: false, summary: '1 of 2 required approvals by distinct members.', details: [HOSTILE] },
      { id: 'roles-required', met: false, summary: '1 of 2 role seats filled.', details: [] },
      { id: 'no-blocking-rejection', met: true, summary: 'No member rejects this release.', details: [] },
    ],
    seats: [
      { role: 'risk', seat: 1, filledBy: 'Ada Byron', keyId: KEY },
      { role: 'privacy', seat: 1, filledBy: null, keyId: null },
    ],
    counted: [{ member: 'Ada Byron', keyId: KEY, role: 'risk' }],
    approvals: [decision('Ada Byron', 'approve', 'risk'), decision(HOSTILE, 'approve', 'ml-lead', 'non-member')],
    evaluatedAt: '2026-12-01T10:00:00Z',
    ...evaluation,
  };
  return {
    bundle: { path: '/bundles/x', format: 'directory' },
    verdict: 'verified',
    manifest: { digest: DIGEST, releaseName: 'fraud', releaseVersion: 'm92', createdBy: KEY },
    policy: { board: HOSTILE, version: 3, digest: 'ee'.repeat(32) },
    files: [],
    evaluation: full,
  };
}

export function sources(overrides: Partial<ReportSources> = {}): ReportSources {
  return {
    verification: verification(),
    approvals: { available: true, status: approvalStatus() },
    deployment: {
      available: true,
      diff: {
        release: 'fraud@m92',
        manifestDigest: DIGEST,
        source: { origin: 'bundle', file: 'deployment.json', format: 'native', environment: HOSTILE },
        integrity: 'verified',
        rows: [
          { status: 'mutable-reference', subject: 'serve', kind: 'container', manifestDigest: null, deployed: { name: 'serve', reference: `serve:${HOSTILE}`, digest: null, location: 'x' }, detail: HOSTILE },
        ],
        verdict: 'blocked',
        reasons: [`deployed by a tag ${HOSTILE}`],
        findings: [],
        approved: false,
      },
    },
    lineage: {
      available: true,
      graph: {
        nodes: [
          { id: 'a', kind: 'dataset', name: HOSTILE, version: null, subject: null },
          { id: 'b', kind: 'model', name: 'model', version: 'm92', subject: null },
        ],
        edges: [{ from: 'a', to: 'b' }],
        sourceFiles: ['lineage.json'],
        findings: [],
      },
    },
    audit: {
      available: true,
      entries: [{ id: 7, at: '2026-12-01T09:00:00Z', actor: KEY, action: 'approval.made', manifestDigest: DIGEST, detail: { comment: HOSTILE }, hash: 'ff'.repeat(32) }],
      chain: { ok: true, entries: 7, head: 'ff'.repeat(32) },
    },
    generatedAt: '2026-12-01T10:00:00Z',
    ...overrides,
  };
}

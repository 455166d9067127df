import { rfc3339ToEpochMillis } from '../../../shared/formats/rfc3339';
import path from 'node:path';
import type { ApprovalStatus } from '../../../shared/api/commands/approvals-commands';
import type { AuditAction } from '../../../shared/api/commands/audit-commands';
import { buildApprovalStatement, type Decision } from '../../../shared/approvals/approval-statement';
import { indexBoardKeys } from '../../../shared/approvals/board-keys';
import { checkApprovalEnvelope, checkApprovalEnvelopeConcurrently, MAX_APPROVAL_BYTES, type CheckedApproval } from '../../../shared/approvals/check-approval';
import { evaluateBoard } from '../../../shared/approvals/evaluate-board';
import { pae, serializeEnvelope } from '../../../shared/crypto/dsse';
import { sha256Hex } from '../../../shared/crypto/hash';
import type { JsonObject } from '../../../shared/json/strict-json';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../shared/verify/check-manifest';
import type { VerificationReport } from '../../../shared/verify/report';
import { buildTrustContext, type TrustContext } from '../../../shared/verify/trust';
import type { JobControl } from '../jobs/job-registry';
import type { ReviewSession } from '../session/review-session';
import type { LoadedBoardPolicy } from '../trust/board-file';
import type { AuditedFileWrites } from '../audit/audited-file-writes';
import { ApprovalError } from './approval-error';
import type { ApprovalFileBytes } from './bundle-approvals';
import type { ProfileApprovals } from './profile-approvals';
import { approvalFileName, bundleApprovalsFolder, writeFileAtomically } from './write-approval-file';

/** Appends to the audit trail; the profile's AuditLog in the app and the CLI. */
export interface AuditSink {
  append(entry: { actor: string | null; action: AuditAction; manifestDigest: string | null; detail: JsonObject }): unknown;
}

/** Records a file written under an audited action: intent before the write, entry after (services/audit/audited-file-writes). */
export type FileWriteRecorder = Pick<AuditedFileWrites, 'begin' | 'complete' | 'abandon'>;

/**
 * Signs with a key held on this machine (the profile's key store, or an ssh-agent, where a
 * hardware token may wait for a touch); the private key stays behind this interface.
 */
export interface ApprovalSigner {
  /** The key's name, or null when no such key is held here. */
  nameOf(keyId: string): string | null;
  isUnlocked(keyId: string): boolean;
  sign(keyId: string, message: Uint8Array): Promise<Uint8Array>;
}

export interface ApprovalContext {
  /** The board policy approvals are judged under and made under (its digest goes into each approval). */
  board: LoadedBoardPolicy;
  /** The trust the release must verify under: the board file alone, or the profile's board and pinned keys. */
  trust: TrustContext;
  /** Approvals kept in the profile; null when the profile is not to be read (`status --board`). */
  profileApprovals: ProfileApprovals | null;
  /** Progress and cancel for the hashing, when the session has not hashed its blobs yet. */
  job?: JobControl;
  /** Decisions published to the board's repository for this manifest (`--board-repo`). */
  boardApprovals?: readonly ApprovalFileBytes[];
  /**
   * A notice on the board re-opened the release: decisions made before `at` no longer count, and
   * say `why`; members decide again with the notice on the board.
   */
  reopened?: { at: string; why: string };
  now?: () => Date;
}

/** Where a new approval goes: the bundle's approvals/ (directory bundles), a folder of exports, or a named file. */
export type ApprovalDestination = { kind: 'bundle' } | { kind: 'folder'; folder: string } | { kind: 'file'; path: string };

export interface ApprovalRequest {
  keyId: string;
  decision: Decision;
  role: string;
  comment?: string;
  conditions?: string[];
  expiresAt?: string;
  destination: ApprovalDestination;
}

export interface MadeApproval {
  file: string;
  fileName: string;
  savedToBundle: boolean;
  text: string;
  status: ApprovalStatus;
}

/** Judges the session's approvals (and the profile's for the same manifest) under the board policy. */
export async function evaluateApprovals(session: ReviewSession, context: ApprovalContext): Promise<ApprovalStatus> {
  // The bundle's approvals are checked while its blobs hash: their checks need the board's keys, not the report.
  const trust = boardTrust(context);
  const checking = session.bundleApprovals().then((files) => checkApprovals(files, trust));
  const [{ report, inBundle }, checkedInBundle] = await Promise.all([verified(session, context), checking]);
  return await judge(report, inBundle, context, { trust, checkedInBundle });
}

/** Each approval checked, their signatures verified concurrently (OpenSSL on the thread pool) while this thread reads the next. */
function checkApprovals(approvals: readonly ApprovalFileBytes[], trust: TrustContext): Promise<CheckedApproval[]> {
  return Promise.all(approvals.map((approval) => checkApprovalEnvelopeConcurrently(approval.file, approval.bytes, trust)));
}

/**
 * Signs an approval with an unlocked key held here and writes it where the request says. Refused,
 * with nothing written: a locked or unknown key, a key that is not a board member's, a role the
 * member does not hold, an archive as destination, and a decision to approve a release that does
 * not verify (a rejection or abstention of one is allowed). Refusals about the release are audited.
 */
export async function makeApproval(
  session: ReviewSession,
  request: ApprovalRequest,
  context: ApprovalContext & { signer: ApprovalSigner; audit: AuditSink; fileWrites: FileWriteRecorder },
): Promise<MadeApproval> {
  const { signer, audit, board } = context;
  const keyName = signer.nameOf(request.keyId);
  if (keyName === null) throw new ApprovalError('not-found', `No key ${request.keyId} is held on this machine.`);
  if (!signer.isUnlocked(request.keyId)) throw new ApprovalError('conflict', `Unlock key ${keyName} (${request.keyId}) first.`);
  checkSeat(board, request);

  const { report, inBundle } = await verified(session, context);
  {
    const manifest = report.manifest;
    const refuse = (code: ApprovalError['code'], reason: string): never => {
      audit.append({ actor: request.keyId, action: 'approval.refused', manifestDigest: manifest?.digest ?? null, detail: { decision: request.decision, role: request.role, reason } });
      throw new ApprovalError(code, reason);
    };
    if (manifest === null || manifest.releaseName === null || manifest.releaseVersion === null || !manifest.understood) {
      return refuse('invalid-format', `The bundle's manifest cannot be read as a release manifest, so it cannot be approved or rejected: ${report.reasons.join(' ')}`);
    }
    const release = `${manifest.releaseName}@${manifest.releaseVersion}`;
    if (request.decision === 'approve' && report.verdict !== 'verified') {
      return refuse('refused', `Refused to approve ${release}: it does not verify (${report.verdict}). ${report.reasons.join(' ')} A rejection is still possible.`);
    }
    const bundleFolder = session.folder;
    if (request.destination.kind === 'bundle' && bundleFolder === null) {
      throw new ApprovalError('conflict', `${session.sourcePath} is an archive: an approval cannot be saved into it. Export the approval as a file instead.`);
    }
    // What is signed is what was verified: a bundle folder edited since is refused.
    await session.assertUnchanged();

    const now = (context.now ?? (() => new Date()))();
    const reviewedAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const statement = buildApprovalStatement({
      releaseName: manifest.releaseName,
      releaseVersion: manifest.releaseVersion,
      manifestDigest: manifest.digest,
      decision: request.decision,
      role: request.role,
      reviewer: request.keyId,
      comment: request.comment ?? null,
      conditions: request.conditions ?? [],
      policyDigest: board.digest,
      reviewedAt,
      expiresAt: request.expiresAt ?? null,
    });
    const payload = new TextEncoder().encode(JSON.stringify(statement));
    const signature = await signer.sign(request.keyId, pae(IN_TOTO_PAYLOAD_TYPE, payload));
    const text = serializeEnvelope({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload, signatures: [{ keyid: request.keyId, sig: signature }] }) + '\n';
    const envelope = new TextEncoder().encode(text);

    const savedToBundle = request.destination.kind === 'bundle';
    const location = await approvalLocation(request.destination, bundleFolder, approvalFileName(request.keyId, reviewedAt));
    // Recorded before the file is written, completed after: a crash in between is settled when the profile next opens.
    const pending = context.fileWrites.begin({
      entry: { actor: request.keyId, action: 'approval.made', manifestDigest: manifest.digest, detail: { decision: request.decision, role: request.role, release, policyDigest: board.digest } },
      directory: location.directory,
      fileName: location.fileName,
      bytes: envelope,
      // An exported approval is kept in the profile too, so that it counts here as it will for the next reviewer.
      profileCopy: savedToBundle || context.profileApprovals === null ? null : { manifestDigest: manifest.digest, reviewer: request.keyId },
    });
    let target: string;
    try {
      target = await writeApproval(location, text);
    } catch (error) {
      context.fileWrites.abandon(pending, `the file could not be written: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    context.fileWrites.complete(pending, target, envelope);
    const fileName = path.basename(target);
    const written: ApprovalFileBytes[] = savedToBundle ? [{ file: `approvals/${fileName}`, bytes: envelope, origin: 'bundle', storedAt: null }] : [];
    for (const approval of written) await session.recordWrittenApproval(approval);
    const status = await judge(report, [...inBundle, ...written], context);
    return { file: target, fileName, savedToBundle, text, status };
  }
}

/**
 * Keeps another reviewer's approval file in the profile for this bundle's manifest. Refused (and
 * audited as approval.refused) unless it is a validly signed approval of exactly this manifest by
 * a board member's unrevoked key.
 */
export async function importApproval(
  session: ReviewSession,
  file: { fileName: string; bytes: Uint8Array },
  context: ApprovalContext & { profileApprovals: ProfileApprovals; audit: AuditSink },
): Promise<{ fileName: string; status: ApprovalStatus }> {
  const { audit } = context;
  const fileName = safeFileName(file.fileName);
  const { report, inBundle } = await verified(session, context);
  {
    const manifest = report.manifest;
    const refuse = (code: ApprovalError['code'], actor: string | null, reason: string): never => {
      audit.append({ actor, action: 'approval.refused', manifestDigest: manifest?.digest ?? null, detail: { file: fileName, reason } });
      throw new ApprovalError(code, reason);
    };
    if (manifest === null) return refuse('invalid-format', null, `The bundle's manifest cannot be read, so no approval can be matched to it: ${report.reasons.join(' ')}`);
    if (file.bytes.length > MAX_APPROVAL_BYTES) return refuse('hostile-input', null, `${fileName} is ${file.bytes.length} bytes, more than the ${MAX_APPROVAL_BYTES}-byte cap for an approval.`);

    const checked = checkApprovalEnvelope(fileName, file.bytes, boardTrust(context));
    const reviewer = checked.signerKeyId ?? checked.statement?.predicate.reviewer ?? null;
    if (checked.signatureStatus === 'malformed' || checked.statement === null) return refuse('invalid-format', reviewer, checked.problem ?? `${fileName} is not an approval.`);
    if (checked.problem !== null || checked.signerKeyId === null) return refuse('refused', reviewer, checked.problem ?? `${fileName} carries no valid signature by a board member.`);
    const signer = checked.signerKeyId;
    if (!isMemberKey(context, signer)) return refuse('refused', signer, `${fileName} is signed by ${signer}, which is not a board member's key: only members' approvals count.`);
    if (checked.statement.manifestDigest !== manifest.digest) {
      return refuse(
        'refused',
        signer,
        `${fileName} approves another manifest (sha256 ${checked.statement.manifestDigest}), not this release's (sha256 ${manifest.digest}): it was made for a different or changed release.`,
      );
    }

    const kept = context.profileApprovals.add({ manifestDigest: manifest.digest, fileName, envelope: file.bytes, reviewer: signer, origin: 'imported' }, (context.now ?? (() => new Date()))());
    if (kept.added) {
      const { decision, role } = checked.statement.predicate;
      audit.append({ actor: signer, action: 'approval.imported', manifestDigest: manifest.digest, detail: { decision, role, file: fileName, keptAs: kept.fileName } });
    }
    return { fileName: kept.fileName, status: await judge(report, inBundle, context) };
  }
}

/** The session's report under the context's trust, and the approvals/ files of the same snapshot. */
async function verified(session: ReviewSession, context: ApprovalContext): Promise<{ report: VerificationReport; inBundle: ApprovalFileBytes[] }> {
  // The approval files are read while the blobs hash: the reads wait on the disk, the hashing on the workers.
  const [report, inBundle] = await Promise.all([session.report(context.trust, context.job ?? {}), session.bundleApprovals()]);
  return { report, inBundle };
}

/** The profile's approvals of this manifest, less any envelope the bundle already holds byte for byte. */
function profileFiles(context: ApprovalContext, manifestDigest: string, inBundle: readonly ApprovalFileBytes[]): ApprovalFileBytes[] {
  if (context.profileApprovals === null) return [];
  const bundleDigests = new Set(inBundle.map((approval) => sha256Hex(approval.bytes)));
  return context.profileApprovals
    .forManifest(manifestDigest)
    .filter((approval) => !bundleDigests.has(sha256Hex(approval.envelope)))
    .map((approval) => ({ file: approval.fileName, bytes: approval.envelope, origin: 'profile', storedAt: approval.storedAt }));
}

/** The board's decisions for this manifest, less any envelope already read from the bundle or the profile. */
function boardFiles(context: ApprovalContext, known: readonly ApprovalFileBytes[]): ApprovalFileBytes[] {
  const fromBoard = context.boardApprovals ?? [];
  // Without a shared board there is nothing to compare: the known envelopes are not hashed for nothing.
  if (fromBoard.length === 0) return [];
  const digests = new Set(known.map((approval) => sha256Hex(approval.bytes)));
  return fromBoard.filter((approval) => !digests.has(sha256Hex(approval.bytes)));
}

/** Decisions made before a notice re-opened the release, or in its second (times are to the second), no longer count; they say why. */
function reopen(context: ApprovalContext, checked: CheckedApproval[]): CheckedApproval[] {
  const reopened = context.reopened;
  if (reopened === undefined) return checked;
  const at = rfc3339ToEpochMillis(reopened.at);
  return checked.map((approval) =>
    approval.statement !== null && approval.problem === null && rfc3339ToEpochMillis(approval.statement.predicate.reviewedAt) <= at ? { ...approval, problem: reopened.why } : approval,
  );
}

/** Judges the bundle's approvals, joined by the profile's for the same manifest, under the board policy. */
async function judge(
  report: VerificationReport,
  inBundle: readonly ApprovalFileBytes[],
  context: ApprovalContext,
  done: { trust: TrustContext; checkedInBundle: readonly CheckedApproval[] } | null = null,
): Promise<ApprovalStatus> {
  const manifest = report.manifest;
  if (manifest === null) throw new ApprovalError('invalid-format', `The bundle's manifest cannot be read, so its approvals cannot be judged: ${report.reasons.join(' ')}`);
  const fromProfile = profileFiles(context, manifest.digest, inBundle);
  const fromBoard = boardFiles(context, [...inBundle, ...fromProfile]);
  const approvals = [...inBundle, ...fromProfile, ...fromBoard];
  // The board's trust is built once per evaluation: its keys are prepared for verification once.
  const trust = done?.trust ?? boardTrust(context);
  const checked = reopen(context, [...(done?.checkedInBundle ?? (await checkApprovals(inBundle, trust))), ...(await checkApprovals([...fromProfile, ...fromBoard], trust))]);
  // Signatures and files are judged apart: a tampered blob fails the release-intact rule and
  // leaves the manifest's valid signatures valid, so each panel tells the same story.
  const signerKeyIds = report.signatures.filter((signature) => signature.status === 'valid' && signature.keyId !== null).map((signature) => signature.keyId!);
  const mismatched = report.subjects.filter((subject) => subject.status === 'mismatch');
  const contentProblem = mismatched.length === 0 ? null : `${mismatched.map((subject) => subject.name).join(', ')} ${mismatched.length === 1 ? 'differs' : 'differ'} from the digest the manifest pins.`;
  const evaluation = evaluateBoard({
    policy: context.board.policy,
    policyDigest: context.board.digest,
    manifest: { digest: manifest.digest, releaseName: manifest.releaseName, releaseVersion: manifest.releaseVersion, createdBy: manifest.createdBy, signerKeyIds, contentProblem },
    approvals: checked,
    now: (context.now ?? (() => new Date()))(),
  });
  return {
    bundle: { path: report.bundle.path, format: report.bundle.container },
    verdict: report.verdict,
    manifest: { digest: manifest.digest, releaseName: manifest.releaseName, releaseVersion: manifest.releaseVersion, createdBy: manifest.createdBy },
    policy: { board: context.board.policy.board, version: context.board.policy.version, digest: context.board.digest },
    files: approvals.map(({ file, origin, storedAt }) => ({ file, origin, storedAt })),
    evaluation,
  };
}

/** Approvals count only under the board's own keys: never pinned keys, never keys a bundle offers. */
function boardTrust(context: ApprovalContext): TrustContext {
  const trust = buildTrustContext({ source: context.trust.source, board: context.board.policy });
  // A key revoked beyond the policy's own list (its holder revoked it on the shared board) stays revoked.
  return { ...trust, revokedKeyIds: new Set([...trust.revokedKeyIds, ...context.trust.revokedKeyIds]) };
}

function isMemberKey(context: ApprovalContext, keyId: string): boolean {
  return (indexBoardKeys(context.board.policy).get(keyId)?.members.length ?? 0) > 0;
}

/** The approving key must be a member's unrevoked key, and that member must hold the role: otherwise the approval could never count. */
function checkSeat(board: LoadedBoardPolicy, request: ApprovalRequest): void {
  const { policy } = board;
  const members = indexBoardKeys(policy).get(request.keyId)?.members ?? [];
  if (members.length === 0) throw new ApprovalError('refused', `Key ${request.keyId} belongs to no member of ${policy.board}: an approval signed with it would not count.`);
  if (policy.revokedKeys.includes(request.keyId)) throw new ApprovalError('refused', `${policy.board} has revoked key ${request.keyId}: an approval signed with it would not count.`);
  if (!members.some((member) => member.roles.includes(request.role))) {
    const held = [...new Set(members.flatMap((member) => member.roles))].join(', ') || 'none';
    throw new ApprovalError('refused', `${members.map((member) => member.name).join(' and ')} does not hold the role "${request.role}" in ${policy.board} (roles held: ${held}).`);
  }
}

/** Where a new approval goes: the folder (the bundle's approvals/, made if missing, or the exports) and the first-choice name. */
async function approvalLocation(destination: ApprovalDestination, bundleFolder: string | null, fileName: string): Promise<{ directory: string; fileName: string; exact: boolean }> {
  if (destination.kind === 'file') {
    const target = path.resolve(destination.path);
    return { directory: path.dirname(target), fileName: path.basename(target), exact: true };
  }
  const directory = destination.kind === 'bundle' ? await bundleApprovalsFolder(bundleFolder!) : destination.folder;
  return { directory, fileName, exact: false };
}

/**
 * Writes the approval as a new file and returns its path. In a folder (the bundle's approvals/ or
 * the exports), a name already taken gets `-2`, `-3`… added; a file the person named is never replaced.
 */
async function writeApproval(location: { directory: string; fileName: string; exact: boolean }, text: string): Promise<string> {
  if (location.exact) {
    const target = path.join(location.directory, location.fileName);
    await writeFileAtomically(target, text);
    return target;
  }
  const stem = location.fileName.replace(/\.dsse\.json$/, '');
  for (let attempt = 1; ; attempt++) {
    const target = path.join(location.directory, attempt === 1 ? location.fileName : `${stem}-${attempt}.dsse.json`);
    try {
      await writeFileAtomically(target, text);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}

/** The name a file handed over is kept under: its last path part, with only portable characters. */
function safeFileName(name: string): string {
  const base = path.basename(name.replaceAll('\\', '/')).replace(/[^A-Za-z0-9._-]/g, '_');
  const stem = base.replace(/\.dsse\.json$/i, '').replace(/^\.+/, '') || 'approval';
  return `${stem.slice(0, 200)}.dsse.json`;
}

import type { BoardStatus, BoardVerification } from '../../../shared/api/contract';
import type { boardCommands } from '../../../shared/api/commands/board-commands';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { releasesReopenedBy } from '../../../shared/board-repo/reopened';
import { MAX_APPROVAL_BYTES } from '../../../shared/approvals/check-approval';
import { parseApprovalStatement } from '../../../shared/approvals/approval-statement';
import { readEnvelope } from '../../../shared/crypto/dsse';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { evaluateApprovals, makeApproval } from '../../services/approvals/approval-service';
import { summariseBoard } from '../../../shared/board/board-summary';
import { bundleOrExports, keyStoreSigner } from './approvals-handlers';
import type { VerifiedBoard } from '../../../shared/board-repo/verify-board';
import { BoardError } from '../../services/board/board-error';
import { BoardService, type MemberSigner } from '../../services/board/board-service';
import type { BoardSettings } from '../../services/board/board-home';
import { verifyRemoteBoard } from '../../services/board/verify-remote';
import { boardInbox } from '../../services/board/board-inbox';
import type { HandlerServices, HandlersFor } from './handler-kit';
import { judgeUnderBoard } from './board-judgement';

export function createBoardHandlers({ profile, sessions, jobs, dataDir }: HandlerServices): HandlersFor<typeof boardCommands> {
  const store = () => profile.store();
  const service = () =>
    new BoardService({
      dataDir,
      auditHead: () => {
        try {
          const head = store().audit.exportHead();
          return head.headHash === null ? null : { hash: head.headHash, count: head.entries };
        } catch {
          return null;
        }
      },
    });

  /** The member key held here, unlocked: it signs board objects; its private bytes stay in the key store. */
  const signerFor = (keyId: string): MemberSigner => {
    const keys = store().keys;
    if (!keys.list().some((key) => key.keyId === keyId)) throw new BoardError('not-found', `No key ${keyId} is held on this machine.`);
    if (!keys.isUnlocked(keyId)) throw new BoardError('conflict', `Unlock key ${keyId} first: board objects are signed with it.`);
    return { keyId, publicKey: parsePublicKey(keys.exportPublic(keyId)).publicKey, sign: async (message) => keys.sign(keyId, message) };
  };
  const memberSigner = async (): Promise<MemberSigner> => {
    const { memberKeyId } = await service().home.settings();
    if (memberKeyId === null) throw new BoardError('refused', 'No member key of this board is held on this machine: this machine only reads the board.');
    return signerFor(memberKeyId);
  };
  const statusOf = async (board: BoardService) => {
    const { settings, board: verified, queue } = await board.status();
    return boardStatusOf(settings, verified, queue);
  };

  return {
    'board.init': async ({ remote, boardText, keyId }) => {
      const board = service();
      const outcome = await board.init(remote, new TextEncoder().encode(boardText), signerFor(keyId));
      return { ...outcomeOf(outcome), status: await statusOf(board) };
    },
    'board.clone': async ({ remote, genesis }) => {
      const board = service();
      const imported = store().boardPolicy.current();
      await board.clone(remote, { genesis, importedPolicyDigest: imported?.digest ?? null }, store().keys.list().map((key) => key.keyId));
      return statusOf(board);
    },
    'board.sync': async () => {
      const board = service();
      const { memberKeyId } = await board.home.settings();
      const signer = memberKeyId !== null && store().keys.isUnlocked(memberKeyId) ? signerFor(memberKeyId) : null;
      const outcome = await board.sync(signer);
      return { ...outcomeOf(outcome), status: await statusOf(board) };
    },
    'board.status': async () => statusOf(service()),
    'board.inbox': async () => boardInbox(service()),
    'board.policyInForce': async () => {
      const { board } = await service().status();
      const inForce = board.chain[board.chain.length - 1];
      if (inForce === undefined) throw new BoardError('conflict', 'The board accepted here does not verify: run `countersign board sync` and read its problems.');
      return { version: inForce.policy.version, digest: inForce.digest, text: new TextDecoder().decode(inForce.bytes), summary: summariseBoard(inForce.policy, inForce.digest, null) };
    },
    'board.approve': async ({ sessionId, keyId, decision, role, comment, conditions, expiresAt, saveToBundle, jobId }) => {
      const board = service();
      const session = sessions.get(sessionId);
      const { context } = await judgeUnderBoard(board, session);
      const destination = await bundleOrExports(dataDir, saveToBundle);
      const request = {
        keyId,
        decision,
        role,
        ...(comment !== undefined && comment.trim() !== '' ? { comment } : {}),
        ...(conditions !== undefined ? { conditions } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        destination,
      };
      const made = await jobs.run(jobId, (job) =>
        makeApproval(session, request, { ...context, job, signer: keyStoreSigner(store().keys), audit: store().audit, fileWrites: store().fileWrites }),
      );
      const bytes = new TextEncoder().encode(made.text);
      return { made, queued: [await board.queueApproval(made.status.manifest.digest, bytes)] };
    },
    'board.queueApproval': async ({ text }) => {
      const bytes = new TextEncoder().encode(text);
      const envelope = readEnvelope(bytes, MAX_APPROVAL_BYTES);
      const statement = parseApprovalStatement(parseStrictJson(envelope.payload, { maxBytes: MAX_APPROVAL_BYTES }));
      return { queued: [await service().queueApproval(statement.manifestDigest, bytes)] };
    },
    'board.evaluate': async ({ sessionId, jobId, maxAgeSeconds }) => {
      const session = sessions.getForBundleQuestion(sessionId);
      const { settings, board, notices, context } = await judgeUnderBoard(service(), session);
      const status = await jobs.run(jobId, (job) => evaluateApprovals(sessions.getForBundleQuestion(sessionId), { ...context, job }));
      const nowSeconds = Date.now() / 1000;
      const staleLogs =
        maxAgeSeconds === null
          ? []
          : [...board.logs.values()].filter((log) => !log.cosignatures.some((c) => nowSeconds - c.timestamp <= maxAgeSeconds)).map((log) => log.memberName);
      const lastSync = settings.lastSync?.at ?? null;
      const stale = maxAgeSeconds !== null && (lastSync === null || nowSeconds - Date.parse(lastSync) / 1000 > maxAgeSeconds);
      return {
        status,
        notices: notices.map((n) => ({ digest: n.digest, issuer: n.issuerName, target: 'node' in n.target ? `lineage node ${n.target.node}` : `subject sha256:${n.target.subject}`, reason: n.reason, issuedAt: n.issuedAt })),
        lastSync,
        staleLogs,
        stale,
      };
    },
    'board.publish': async ({ sessionId }) => {
      const session = sessions.getForBundleQuestion(sessionId);
      const manifest = session.manifestEnvelope();
      const lineage = await session.lineageFiles();
      const digest = session.manifestDigest(profile.trust());
      if (manifest === null || digest === null) throw new BoardError('invalid-format', 'This bundle has no readable release manifest to publish.');
      return { queued: await service().queueRelease(digest, manifest, lineage) };
    },
    'board.propose': async ({ boardText }) => ({ queued: await service().propose(await memberSigner(), new TextEncoder().encode(boardText)) }),
    'board.endorse': async ({ digest }) => ({ queued: [await service().endorse(await memberSigner(), digest)] }),
    'board.revokeSelf': async ({ reason }) => ({ queued: [await service().revokeSelf(await memberSigner(), reason)] }),
    'board.notice': async ({ target, reason }) => ({ queued: [await service().notice(await memberSigner(), target, reason)] }),
    'board.verify': async (input): Promise<BoardVerification> => verifyRemoteBoard(input),
  };
}

function outcomeOf(outcome: Awaited<ReturnType<BoardService['sync']>>) {
  return { outcome: outcome.outcome, attempts: outcome.attempts, published: outcome.published, cosigned: outcome.cosigned, restored: outcome.restored, problems: outcome.problems, detail: outcome.detail };
}

export function boardStatusOf(settings: BoardSettings, board: VerifiedBoard, queue: string[]): BoardStatus {
  const inForce = board.chain[board.chain.length - 1];
  const policy = inForce?.policy ?? null;
  const memberName = settings.memberKeyId === null || policy === null ? null : (policy.members.find((member) => member.keys.some((text) => keyIdOrNull(text) === settings.memberKeyId))?.name ?? null);
  const reopenedBy = new Map<string, string[]>();
  const notices = board.notices.map((notice) => {
    const reopens = releasesReopenedBy(notice, board.releases.values());
    for (const digest of reopens) reopenedBy.set(digest, [...(reopenedBy.get(digest) ?? []), notice.digest]);
    return { digest: notice.digest, issuer: notice.issuerName, target: 'node' in notice.target ? `lineage node ${notice.target.node}` : `subject sha256:${notice.target.subject}`, reason: notice.reason, issuedAt: notice.issuedAt, reopens };
  });
  return {
    remote: settings.remote,
    genesis: settings.genesis,
    pinnedBy: settings.pinnedBy,
    memberKeyId: settings.memberKeyId,
    memberName,
    lastSync: settings.lastSync,
    board: policy?.board ?? '',
    chain: board.chain.map((link) => ({ version: link.version, digest: link.digest, endorsedBy: link.endorsedBy })),
    pending: board.pending,
    members: (policy?.members ?? []).map((member) => ({ name: member.name, roles: member.roles, keyIds: member.keys.map((text) => keyIdOrNull(text) ?? '') })),
    logs: [...board.logs.values()].map((log) => {
      const times = log.cosignatures.map((c) => c.timestamp);
      return {
        memberName: log.memberName,
        fingerprint: log.fingerprintHex,
        size: log.size,
        cosigners: log.cosignatures.map((c) => ({ name: c.witnessName, at: new Date(c.timestamp * 1000).toISOString() })),
        lastCosignedAt: times.length === 0 ? null : new Date(Math.max(...times) * 1000).toISOString(),
      };
    }),
    releases: [...board.releases.values()].map((release) => ({
      manifestDigest: release.manifestDigest,
      name: release.name,
      version: release.version,
      decisions: board.approvals.get(release.manifestDigest)?.length ?? 0,
      reopenedBy: reopenedBy.get(release.manifestDigest) ?? [],
    })),
    notices,
    revoked: [...board.revocations.values()].map((r) => ({ keyId: r.key, revokedAt: r.revokedAt, reason: r.reason })),
    queue,
    problems: board.problems,
    decisions: [...board.approvals.values()].flat().flatMap((approval) => {
      const decision = decisionOf(approval.bytes);
      if (decision === null) return [];
      const reviewer = policy?.members.find((member) => member.keys.some((text) => keyIdOrNull(text) === approval.reviewerKeyId))?.name ?? approval.reviewerKeyId;
      return [{ path: approval.path, manifestDigest: decision.manifestDigest, reviewer, decision: decision.decision, reviewedAt: approval.reviewedAt }];
    }),
  };
}

/** The decision an approval accepted from the board records (its signature was checked when it was accepted). */
function decisionOf(bytes: Uint8Array): { manifestDigest: string; decision: 'approve' | 'reject' | 'abstain' } | null {
  try {
    const statement = parseApprovalStatement(parseStrictJson(readEnvelope(bytes, MAX_APPROVAL_BYTES).payload, { maxBytes: MAX_APPROVAL_BYTES }));
    return { manifestDigest: statement.manifestDigest, decision: statement.predicate.decision };
  } catch {
    return null;
  }
}

function keyIdOrNull(text: string): string | null {
  try {
    return parsePublicKey(text).keyId;
  } catch {
    return null;
  }
}

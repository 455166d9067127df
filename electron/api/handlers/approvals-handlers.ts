import fs from 'node:fs/promises';
import path from 'node:path';
import type { approvalsCommands } from '../../../shared/api/commands/approvals-commands';
import { HandlerError } from '../api-error';
import { evaluateApprovals, importApproval, makeApproval, type ApprovalContext, type ApprovalSigner } from '../../services/approvals/approval-service';
import { ProfileApprovals } from '../../services/approvals/profile-approvals';
import { parseBoardPolicyBytes, type LoadedBoardPolicy } from '../../services/trust/board-file';
import { trustFromStore } from '../../services/trust/trust-sources';
import { withKeyErrors } from './key-errors';
import type { HandlerServices, HandlersFor } from './handler-kit';

/**
 * Approvals are judged under the board policy imported into this profile, and made under it.
 * Approving needs the key unlocked (keys.unlock) beforehand: no passphrase travels here.
 */
export function createApprovalsHandlers({ store, hashPool, dataDir, hooks }: HandlerServices): HandlersFor<typeof approvalsCommands> {
  const profileApprovals = new ProfileApprovals(store.db);
  const jobs = new Map<string, AbortController>();
  const signer: ApprovalSigner = {
    nameOf: (keyId) => store.keys.list().find((key) => key.keyId === keyId)?.name ?? null,
    isUnlocked: (keyId) => store.keys.isUnlocked(keyId),
    sign: (keyId, message) => store.keys.sign(keyId, message),
  };

  const storedBoard = (): LoadedBoardPolicy => {
    const stored = store.boardPolicy.current();
    if (stored === null) throw new HandlerError('conflict', 'No board policy is imported: import the board policy in Trust first. Approvals are judged, and made, under it.');
    return parseBoardPolicyBytes(stored.content, 'the stored board policy');
  };

  /** Runs `work` under a fresh approval context; with a job ID, its hashing reports progress and can be cancelled. */
  const withContext = async <T>(jobId: string | undefined, work: (context: ApprovalContext) => Promise<T>): Promise<T> => {
    const board = storedBoard();
    if (jobId !== undefined && jobs.has(jobId)) throw new HandlerError('conflict', `A job with ID ${jobId} is already running.`);
    const controller = new AbortController();
    if (jobId !== undefined) jobs.set(jobId, controller);
    try {
      return await withKeyErrors(() =>
        work({
          board,
          trust: trustFromStore(store),
          hashPool,
          hashCache: store.hashCache,
          profileApprovals,
          signal: controller.signal,
          ...(jobId !== undefined ? { onProgress: (progress) => hooks.emit('hash.progress', { jobId, ...progress }) } : {}),
        }),
      );
    } finally {
      if (jobId !== undefined) jobs.delete(jobId);
    }
  };

  return {
    'approvals.evaluate': async ({ path: bundlePath, jobId }) => withContext(jobId, (context) => evaluateApprovals(bundlePath, context)),

    'approvals.approve': async ({ path: bundlePath, keyId, decision, role, comment, conditions, expiresAt, saveToBundle, jobId }) => {
      const exportsFolder = path.join(dataDir, 'exports');
      if (!saveToBundle) await fs.mkdir(exportsFolder, { recursive: true, mode: 0o700 });
      return withContext(jobId, (context) =>
        makeApproval(
          bundlePath,
          {
            keyId,
            decision,
            role,
            ...(comment !== undefined && comment.trim() !== '' ? { comment } : {}),
            ...(conditions !== undefined ? { conditions } : {}),
            ...(expiresAt !== undefined ? { expiresAt } : {}),
            destination: saveToBundle ? { kind: 'bundle' } : { kind: 'folder', folder: exportsFolder },
          },
          { ...context, signer, audit: store.audit, fileWrites: store.fileWrites },
        ),
      );
    },

    'approvals.import': async ({ path: bundlePath, fileName, text, jobId }) =>
      withContext(jobId, (context) => importApproval(bundlePath, { fileName, bytes: new TextEncoder().encode(text) }, { ...context, profileApprovals, audit: store.audit })),

    'approvals.cancel': async ({ jobId }) => {
      const job = jobs.get(jobId);
      job?.abort();
      return { cancelled: job !== undefined };
    },
  };
}

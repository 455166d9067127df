import fs from 'node:fs/promises';
import path from 'node:path';
import type { approvalsCommands } from '../../../shared/api/commands/approvals-commands';
import { evaluateApprovals, importApproval, makeApproval, type ApprovalContext, type ApprovalDestination, type ApprovalSigner } from '../../services/approvals/approval-service';
import type { JobControl } from '../../services/jobs/job-registry';
import { requireBoard } from '../../services/profile/profile';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

/**
 * Approvals are judged under the profile's board policy (or the `--board` file), on the session's
 * snapshot, and made under it. Approving needs the key unlocked (keys.unlock) beforehand: no
 * passphrase travels here.
 */
export function createApprovalsHandlers({ profile, sessions, jobs, dataDir, hooks }: HandlerServices): HandlersFor<typeof approvalsCommands> {
  const context = (job: JobControl): ApprovalContext => ({ board: requireBoard(profile), trust: profile.trust(), profileApprovals: profile.approvals, job });
  const signer = (): ApprovalSigner => {
    const { keys } = profile.store();
    return {
      nameOf: (keyId) => keys.list().find((key) => key.keyId === keyId)?.name ?? null,
      isUnlocked: (keyId) => keys.isUnlocked(keyId),
      sign: (keyId, message) => keys.sign(keyId, message),
    };
  };

  const destinationOf = async (saveToBundle: boolean, outFile: string | undefined): Promise<ApprovalDestination> => {
    if (outFile !== undefined) {
      // Only a person at a terminal names a file to write; the page never chooses a path on this machine.
      if (hooks.host !== 'cli') throw new HandlerError('unsupported', 'Only the command line writes an approval to a file it names.');
      return { kind: 'file', path: outFile };
    }
    if (saveToBundle) return { kind: 'bundle' };
    const folder = path.join(dataDir, 'exports');
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    return { kind: 'folder', folder };
  };

  return {
    'approvals.evaluate': async ({ sessionId, jobId }) => jobs.run(jobId, (job) => evaluateApprovals(sessions.get(sessionId), context(job))),

    'approvals.approve': async ({ sessionId, keyId, decision, role, comment, conditions, expiresAt, saveToBundle, outFile, jobId }) => {
      const session = sessions.get(sessionId);
      const destination = await destinationOf(saveToBundle, outFile);
      return jobs.run(jobId, (job) =>
        makeApproval(
          session,
          {
            keyId,
            decision,
            role,
            ...(comment !== undefined && comment.trim() !== '' ? { comment } : {}),
            ...(conditions !== undefined ? { conditions } : {}),
            ...(expiresAt !== undefined ? { expiresAt } : {}),
            destination,
          },
          { ...context(job), signer: signer(), audit: profile.store().audit, fileWrites: profile.store().fileWrites },
        ),
      );
    },

    'approvals.import': async ({ sessionId, fileName, text, jobId }) => {
      const profileApprovals = profile.approvals;
      if (profileApprovals === null) throw new HandlerError('unsupported', 'With --board alone, approvals are not kept in the profile: nothing can be imported.');
      return jobs.run(jobId, (job) =>
        importApproval(sessions.get(sessionId), { fileName, bytes: new TextEncoder().encode(text) }, { ...context(job), profileApprovals, audit: profile.store().audit }),
      );
    },
  };
}

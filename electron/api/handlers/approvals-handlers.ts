import fs from 'node:fs/promises';
import path from 'node:path';
import type { approvalsCommands } from '../../../shared/api/commands/approvals-commands';
import { evaluateApprovals, importApproval, makeApproval, type ApprovalContext, type ApprovalDestination, type ApprovalSigner } from '../../services/approvals/approval-service';
import type { JobControl } from '../../services/jobs/job-registry';
import type { KeyStore } from '../../services/keys/key-store';
import { sshAgentSigner } from '../../services/keys/ssh-agent';
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
  const signer = async (keyId: string, sshAgent: boolean): Promise<ApprovalSigner> => {
    if (sshAgent) {
      // The key stays in the agent (SSH_AUTH_SOCK of this process): nothing to unlock here.
      const agent = await sshAgentSigner(keyId);
      return { nameOf: (id) => (id === keyId ? 'ssh-agent key' : null), isUnlocked: (id) => id === keyId, sign: (_id, message) => agent.sign(message) };
    }
    return keyStoreSigner(profile.store().keys);
  };

  const destinationOf = async (saveToBundle: boolean, outFile: string | undefined): Promise<ApprovalDestination> => {
    if (outFile !== undefined) {
      // Only a person at a terminal names a file to write; the page never chooses a path on this machine.
      if (hooks.host !== 'cli') throw new HandlerError('unsupported', 'Only the command line writes an approval to a file it names.');
      return { kind: 'file', path: outFile };
    }
    return bundleOrExports(dataDir, saveToBundle);
  };

  return {
    'approvals.evaluate': async ({ sessionId, jobId }) => jobs.run(jobId, (job) => evaluateApprovals(sessions.getForBundleQuestion(sessionId), context(job))),

    'approvals.approve': async ({ sessionId, keyId, sshAgent, decision, role, comment, conditions, expiresAt, saveToBundle, outFile, jobId }) => {
      const session = sessions.getForBundleQuestion(sessionId);
      const destination = await destinationOf(saveToBundle, outFile);
      const approvalSigner = await signer(keyId, sshAgent === true);
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
          { ...context(job), signer: approvalSigner, audit: profile.store().audit, fileWrites: profile.store().fileWrites },
        ),
      );
    },

    'approvals.import': async ({ sessionId, fileName, text, jobId }) => {
      const profileApprovals = profile.approvals;
      if (profileApprovals === null) throw new HandlerError('unsupported', 'With --board alone, approvals are not kept in the profile: nothing can be imported.');
      return jobs.run(jobId, (job) =>
        importApproval(sessions.getForBundleQuestion(sessionId), { fileName, bytes: new TextEncoder().encode(text) }, { ...context(job), profileApprovals, audit: profile.store().audit }),
      );
    },
  };
}

/** Signs with this profile's key store: the private key bytes stay there, unlocked by `keys.unlock`. */
export function keyStoreSigner(keys: KeyStore): ApprovalSigner {
  return {
    nameOf: (id) => keys.list().find((key) => key.keyId === id)?.name ?? null,
    isUnlocked: (id) => keys.isUnlocked(id),
    sign: async (id, message) => keys.sign(id, message),
  };
}

/** Into the bundle's approvals/, or kept in the profile's exports/ folder (an archive, or when asked). */
export async function bundleOrExports(dataDir: string, saveToBundle: boolean): Promise<ApprovalDestination> {
  if (saveToBundle) return { kind: 'bundle' };
  const folder = path.join(dataDir, 'exports');
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  return { kind: 'folder', folder };
}

import type { sessionCommands } from '../../../shared/api/commands/session-commands';
import type { ForeignFormat } from '../../../shared/verify/foreign/detect-format';
import type { VerificationReport } from '../../../shared/verify/report';
import type { ReviewSession } from '../../services/session/review-session';
import type { HandlerServices, HandlersFor } from './handler-kit';

/** Opening a bundle is the one place it is read and hashed; every later answer comes from the session. */
export function createSessionHandlers({ profile, sessions, jobs }: HandlerServices): HandlersFor<typeof sessionCommands> {
  const remember = (session: ReviewSession, report: VerificationReport) => {
    if (profile.kind !== 'store') return;
    const release = report.manifest?.releaseName ? `${report.manifest.releaseName}@${report.manifest.releaseVersion ?? ''}` : null;
    profile.store().recentBundles.record(session.sourcePath, report.verdict, release);
  };

  return {
    'session.open': async ({ path, jobId, verify, maxCompressionRatio, acceptForeign, signature }) =>
      jobs.run(jobId, async (job) => {
        const session = await sessions.open(path, job, maxCompressionRatio !== undefined ? { maxCompressionRatio } : {}, {
          ...(acceptForeign !== undefined ? { acceptForeign } : {}),
          ...(signature !== undefined ? { signature } : {}),
        });
        const kind = session.kind;
        const foreign = foreignFieldsOf(session);
        if (kind === 'lineage-file' || verify === false) return { sessionId: session.id, path, kind, ...foreign, report: null };
        try {
          const report = await session.report(profile.trust(), job);
          remember(session, report);
          return { sessionId: session.id, path, kind, ...foreign, report };
        } catch (error) {
          // A cancelled or failed first verification leaves nothing open behind it.
          await sessions.close(session.id);
          throw error;
        }
      }),

    'session.report': async ({ sessionId, jobId }) =>
      jobs.run(jobId, async (job) => {
        const session = sessions.get(sessionId);
        const report = await session.report(profile.trust(), job);
        remember(session, report);
        return report;
      }),

    'session.close': async ({ sessionId }) => ({ closed: await sessions.close(sessionId) }),

    'jobs.cancel': async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
}

function foreignFieldsOf(session: ReviewSession): { signatureFormat?: ForeignFormat; signaturePath?: string } {
  const format = session.signatureFormat;
  const signaturePath = session.signaturePath;
  return format === null || signaturePath === null ? {} : { signatureFormat: format, signaturePath };
}

import path from 'node:path';
import type { releaseCosignCommands } from '../../../shared/api/commands/release-cosign-commands';
import { judgeReproduction, type ReproducibleRelease } from '../../../shared/compare/reproduce-release';
import type { JsonValue } from '../../../shared/json/strict-json';
import type { TrustContext } from '../../../shared/verify/trust';
import type { JobControl } from '../../services/jobs/job-registry';
import { cosignManifest } from '../../services/release/cosign-manifest';
import { openCosigner } from '../../services/release/cosigners';
import type { ReviewSession } from '../../services/session/review-session';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';
import { comparableRelease } from './release-handlers';

/** Co-signing a bundle's manifest, and judging a rebuilt release against its original; both verify the sessions first. */
export function createReleaseCosignHandlers({ profile, sessions, jobs, hooks }: HandlerServices): HandlersFor<typeof releaseCosignCommands> {
  return {
    'release.sign': async ({ sessionId, signer: request, jobId }) => {
      if (request.kind === 'key-file') {
        // Only a person at a terminal names a file on this machine to read a key from.
        if (hooks.host !== 'cli') throw new HandlerError('unsupported', 'Only the command line signs with a key file it names.');
        if (!path.isAbsolute(request.path)) throw new HandlerError('invalid-input', `give the key file's full path, not ${JSON.stringify(request.path)}`);
      }
      const session = sessions.getForBundleQuestion(sessionId);
      const signer = await openCosigner(request, () => profile.store().keys);
      try {
        return await jobs.run(jobId, (job) => cosignManifest(session, signer, { trust: profile.trust(), job }));
      } finally {
        signer.dispose();
      }
    },

    'release.reproduce': async ({ originalSessionId, rebuiltSessionId, jobId }) => {
      const trust = profile.trust();
      const original = sessions.getForBundleQuestion(originalSessionId);
      const rebuilt = sessions.getForBundleQuestion(rebuiltSessionId);
      return jobs.run(jobId, async (job) => {
        const [before, after] = await Promise.all([reproducible(original, trust, 'old', job), reproducible(rebuilt, trust, 'new', job)]);
        return judgeReproduction(before, after);
      });
    },
  };
}

/** The session's release verified (its blobs hashed) under `trust`, with its evaluation record. */
async function reproducible(session: ReviewSession, trust: TrustContext, side: 'old' | 'new', job: JobControl): Promise<ReproducibleRelease> {
  const comparable = await comparableRelease(session, trust, side);
  const report = await session.report(trust, job);
  const statement = session.manifestCheck(trust).manifest?.statement ?? null;
  return { ...comparable, verdict: report.verdict, evaluation: evaluationOf(statement) };
}

/** `predicate.evaluation` as written (Countersign's extension of FORMATS §4), read from the verified statement. */
function evaluationOf(statement: JsonValue | null): JsonValue | null {
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) return null;
  const predicate = statement.predicate;
  if (predicate === undefined || predicate === null || typeof predicate !== 'object' || Array.isArray(predicate)) return null;
  return predicate.evaluation ?? null;
}

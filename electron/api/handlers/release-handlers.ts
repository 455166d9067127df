import type { releaseCommands } from '../../../shared/api/commands/release-commands';
import { compareReleases, type ComparableRelease } from '../../../shared/compare/compare-releases';
import type { TrustContext } from '../../../shared/verify/trust';
import type { ReviewSession } from '../../services/session/review-session';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

/** Comparing two releases reads each session's manifest and lineage; nothing is hashed. */
export function createReleaseHandlers({ profile, sessions }: HandlerServices): HandlersFor<typeof releaseCommands> {
  return {
    'release.compare': async ({ oldSessionId, newSessionId }) => {
      const trust = profile.trust();
      const [previous, next] = await Promise.all([comparableRelease(sessions.get(oldSessionId), trust, 'old'), comparableRelease(sessions.get(newSessionId), trust, 'new')]);
      return compareReleases(previous, next);
    },
  };
}

/** One session's release as `release.compare` and `release.reproduce` read it. */
export async function comparableRelease(session: ReviewSession, trust: TrustContext, side: 'old' | 'new'): Promise<ComparableRelease> {
  const check = session.manifestCheck(trust);
  const manifest = check.manifest;
  if (manifest === null || check.summary === null) {
    const why = check.findings.find((finding) => finding.severity === 'error')?.message ?? 'it has no manifest.dsse.json';
    throw new HandlerError('invalid-format', `The ${side} release ${session.sourcePath} cannot be compared: ${why}`);
  }
  const lineage = session.hasLineage ? (await session.lineage()).lineage.graph : null;
  return {
    manifestDigest: check.summary.digest,
    release: manifest.release ? `${manifest.release.name}@${manifest.release.version}` : null,
    signedByTrustedKey: check.signatures.some((signature) => signature.status === 'valid'),
    subjects: manifest.subjects,
    environment: manifest.environment,
    tolerance: manifest.tolerance,
    lineage,
  };
}

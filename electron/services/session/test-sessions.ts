// Test helpers: one question asked of a freshly opened review session, the session closed after.
import type { VerificationReport } from '../../../shared/verify/report';
import type { TrustContext } from '../../../shared/verify/trust';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import type { JobControl } from '../jobs/job-registry';
import { ReviewSession, type SessionServices } from './review-session';

let sequence = 0;

/** Opens `path` as a session, runs `use`, and closes the session however `use` settles. */
export async function withSession<T>(path: string, services: Partial<SessionServices>, use: (session: ReviewSession) => Promise<T>, job: JobControl = {}): Promise<T> {
  let ownPool: HashPool | null = null;
  const hashPool = services.hashPool ?? (ownPool = createHashPool({ workers: 1 }));
  try {
    const session = await ReviewSession.open(`test-${++sequence}`, path, { ...services, hashPool }, job);
    try {
      return await use(session);
    } finally {
      await session.close();
    }
  } finally {
    await ownPool?.close();
  }
}

/** What `countersign verify` does short of printing: open, verify under `trust`, close. */
export function verifyPath(path: string, trust: TrustContext, services: Partial<SessionServices>, job: JobControl = {}): Promise<VerificationReport> {
  return withSession(path, services, (session) => session.report(trust, job), job);
}

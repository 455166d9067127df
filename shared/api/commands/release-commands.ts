import { z } from 'zod';
import { releaseComparisonSchema } from '../../compare/release-comparison';
import { sessionIdSchema, type CommandDefinitions } from './command-kit';

export { releaseComparisonSchema, type ReleaseComparison } from '../../compare/release-comparison';

export const releaseCommands = {
  /**
   * How the new session's release differs from the old one's: the pins the two manifests make
   * (subjects, kinds, environment, tolerance) and their lineage, with what that means for review.
   * Nothing is hashed: the comparison reads what each manifest says.
   */
  'release.compare': {
    input: z.object({ oldSessionId: sessionIdSchema, newSessionId: sessionIdSchema }).strict(),
    output: releaseComparisonSchema,
  },
} as const satisfies CommandDefinitions;

import type { ArtifactKind } from '../verify/report';

/**
 * What a change means for review, in plain words: one row per subject kind (FORMATS §4), plus
 * the environment, the tolerance and the lineage. The roles named are the seats a board
 * conventionally gives each concern (the demo board's risk, privacy and ml-lead); a board with
 * other roles reads them as advice. Kept to this one table so that the advice is easy to
 * review and to change.
 */
export interface ReviewRule {
  /** What changed, as a sentence begins: "the training data changed". */
  what: string;
  /** The roles whose seats must look again. */
  roles: readonly string[];
}

export const REVIEW_RULES_BY_KIND: Readonly<Record<ArtifactKind, ReviewRule>> = {
  model: { what: 'the model changed', roles: ['ml-lead', 'risk'] },
  dataset: { what: 'the training data changed', roles: ['privacy'] },
  features: { what: 'the feature set changed', roles: ['privacy', 'ml-lead'] },
  code: { what: 'the code commit changed', roles: ['ml-lead'] },
  lockfile: { what: 'the locked dependencies changed', roles: ['ml-lead'] },
  container: { what: 'the container image changed', roles: ['ml-lead', 'risk'] },
  config: { what: 'the configuration changed', roles: ['ml-lead'] },
  report: { what: 'an evaluation report changed', roles: ['risk'] },
  other: { what: 'a subject of kind other changed', roles: [] },
};

/** A subject whose kind the manifest does not say (a predicate not understood). */
export const REVIEW_RULE_NO_KIND: ReviewRule = { what: 'a subject of no declared kind changed', roles: [] };
export const REVIEW_RULE_ENVIRONMENT: ReviewRule = { what: 'the training environment changed (seed, hardware)', roles: ['ml-lead'] };
export const REVIEW_RULE_TOLERANCE: ReviewRule = { what: 'the accepted tolerance changed', roles: ['risk'] };
export const REVIEW_RULE_LINEAGE: ReviewRule = { what: 'the lineage changed', roles: ['ml-lead'] };

/** Subject kinds that pin the environment a model was built and served in, shown beside predicate.environment. */
export const ENVIRONMENT_KINDS: ReadonlySet<ArtifactKind> = new Set(['lockfile', 'container', 'code']);

/** "the privacy seat must re-review" / "the ml-lead and risk seats must re-review" / every seat. */
export function seatsSentence(roles: readonly string[]): string {
  if (roles.length === 0) return 'every seat should look again';
  if (roles.length === 1) return `the ${roles[0]!} seat must re-review`;
  return `the ${roles.slice(0, -1).join(', ')} and ${roles[roles.length - 1]!} seats must re-review`;
}

/** What the app knows about releases, to say which of them an affected node touches. */
export interface ReleaseKnowledge {
  releases: readonly KnownRelease[];
  deployments: readonly KnownDeployment[];
}

export interface KnownRelease {
  /** `name@version`. */
  release: string;
  /** Names of the subjects its manifest pins. */
  subjects: ReadonlySet<string>;
  /** Approval documents that come with it. */
  approvals: number;
}

export interface KnownDeployment {
  environment: string;
  /** Names of the artifacts it deploys (manifest subject names). */
  artifacts: ReadonlySet<string>;
}

export const NO_RELEASE_KNOWLEDGE: ReleaseKnowledge = { releases: [], deployments: [] };

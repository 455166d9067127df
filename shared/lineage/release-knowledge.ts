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
  /** Its approvals: the files that come with it as read, the ones that count under the board once judged. */
  approvals: number;
}

export interface KnownDeployment {
  environment: string;
  /** Names of the artifacts it deploys (manifest subject names). */
  artifacts: ReadonlySet<string>;
}

export const NO_RELEASE_KNOWLEDGE: ReleaseKnowledge = { releases: [], deployments: [] };

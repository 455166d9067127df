import type { ArtifactKind } from '../../../../shared/verify/report';
import type { JsonObject } from '../../../../shared/json/strict-json';

/** A file on disk that becomes a subject and a blob under `artifacts/<name>`. */
export interface ShippedFile {
  /** Absolute path of the file to read (already checked to lie inside the source's directory). */
  path: string;
  /** Subject name, relative, `/`-separated. */
  name: string;
  kind: ArtifactKind;
  mediaType?: string;
}

/** A subject pinned by digest only: no blob is shipped (a commit, a container image, a remote dataset). */
export interface PinnedSubject {
  name: string;
  kind: ArtifactKind;
  digest: Record<string, string>;
}

/** A lineage file shipped at the bundle's top level (FORMATS §7: `lineage.json`, `*.openlineage.json(l)`, `dvc.lock`). */
export interface LineageFile {
  fileName: string;
  bytes: Uint8Array;
}

/**
 * What one source (a git work tree, an MLflow run or model, a DVC repository, the hardware probe)
 * adds to a release. `release create` merges the contributions; a subject name given twice is an error.
 */
export interface SourceContribution {
  files: ShippedFile[];
  pinned: PinnedSubject[];
  lineage: LineageFile[];
  /** Merged into `predicate.environment` (seed, hardware, git dirtiness, MLflow identifiers...). */
  environment: JsonObject;
  /** Evaluation metrics by name, merged into the predicate's evaluation record. */
  metrics: Record<string, number>;
}

export function emptyContribution(): SourceContribution {
  return { files: [], pinned: [], lineage: [], environment: {}, metrics: {} };
}

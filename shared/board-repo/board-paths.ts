/**
 * The board repository's layout: every path says what the file is and, for content, which digest
 * its bytes must have. Names carry digests, so two pushes never write one path with different
 * bytes and git never has to merge. Anything else in the repository is junk: ignored, never deleted.
 */

export type BoardPath =
  | { kind: 'policy'; version: number; digest: string }
  | { kind: 'endorsement'; policyDigest: string; digest: string }
  | { kind: 'release'; manifestDigest: string }
  | { kind: 'release-lineage'; manifestDigest: string; fileName: string }
  | { kind: 'approval'; manifestDigest: string; digest: string }
  | { kind: 'notice'; digest: string }
  | { kind: 'revocation'; digest: string }
  | { kind: 'log-leaves'; member: string; end: number }
  | { kind: 'log-checkpoint'; member: string; end: number }
  | { kind: 'log-cosignature'; member: string; end: number; witness: string };

const HEX64 = '[0-9a-f]{64}';
/** `releases/` and `approvals/` may be sharded by the digest's first two hex digits once they grow. */
const SHARD = '(?:[0-9a-f]{2}/)?';
const END = '(0|[1-9][0-9]{0,15})';

const RULES: [RegExp, (m: string[]) => BoardPath | null][] = [
  [new RegExp(`^policies/([0-9]{4})-(${HEX64})\\.json$`), (m) => ({ kind: 'policy', version: Number(m[1]), digest: m[2]! })],
  [new RegExp(`^endorsements/(${HEX64})/(${HEX64})\\.dsse\\.json$`), (m) => ({ kind: 'endorsement', policyDigest: m[1]!, digest: m[2]! })],
  [new RegExp(`^releases/${SHARD}(${HEX64})/manifest\\.dsse\\.json$`), (m) => ({ kind: 'release', manifestDigest: m[1]! })],
  [
    new RegExp(`^releases/${SHARD}(${HEX64})/(lineage\\.json|dvc\\.lock|[A-Za-z0-9._-]{1,100}\\.openlineage\\.jsonl?)$`),
    (m) => ({ kind: 'release-lineage', manifestDigest: m[1]!, fileName: m[2]! }),
  ],
  [new RegExp(`^approvals/${SHARD}(${HEX64})/(${HEX64})\\.dsse\\.json$`), (m) => ({ kind: 'approval', manifestDigest: m[1]!, digest: m[2]! })],
  [new RegExp(`^notices/(${HEX64})\\.dsse\\.json$`), (m) => ({ kind: 'notice', digest: m[1]! })],
  [new RegExp(`^revocations/(${HEX64})\\.dsse\\.json$`), (m) => ({ kind: 'revocation', digest: m[1]! })],
  [new RegExp(`^logs/(${HEX64})/${END}\\.leaves$`), (m) => ({ kind: 'log-leaves', member: m[1]!, end: Number(m[2]) })],
  [new RegExp(`^logs/(${HEX64})/${END}\\.checkpoint$`), (m) => ({ kind: 'log-checkpoint', member: m[1]!, end: Number(m[2]) })],
  [new RegExp(`^logs/(${HEX64})/${END}\\.cosig-(${HEX64})$`), (m) => ({ kind: 'log-cosignature', member: m[1]!, end: Number(m[2]), witness: m[3]! })],
];

/** What a repository path is, or null for junk. */
export function classifyBoardPath(path: string): BoardPath | null {
  for (const [pattern, make] of RULES) {
    const match = pattern.exec(path);
    if (match !== null) {
      const parsed = make(match);
      if (parsed !== null && (!('end' in parsed) || Number.isSafeInteger(parsed.end))) return parsed;
    }
  }
  return null;
}

/** The digest a file's bytes must hash to, for content-named files (null: logs and release files are checked otherwise). */
export function contentDigestOf(path: BoardPath): string | null {
  switch (path.kind) {
    case 'policy':
    case 'endorsement':
    case 'approval':
    case 'notice':
    case 'revocation':
      return path.digest;
    default:
      return null;
  }
}

export const boardPaths = {
  policy: (version: number, digest: string) => `policies/${String(version).padStart(4, '0')}-${digest}.json`,
  endorsement: (policyDigest: string, digest: string) => `endorsements/${policyDigest}/${digest}.dsse.json`,
  release: (manifestDigest: string) => `releases/${manifestDigest}/manifest.dsse.json`,
  releaseLineage: (manifestDigest: string, fileName: string) => `releases/${manifestDigest}/${fileName}`,
  approval: (manifestDigest: string, digest: string) => `approvals/${manifestDigest}/${digest}.dsse.json`,
  notice: (digest: string) => `notices/${digest}.dsse.json`,
  revocation: (digest: string) => `revocations/${digest}.dsse.json`,
  logLeaves: (member: string, end: number) => `logs/${member}/${end}.leaves`,
  logCheckpoint: (member: string, end: number) => `logs/${member}/${end}.checkpoint`,
  logCosignature: (member: string, end: number, witness: string) => `logs/${member}/${end}.cosig-${witness}`,
};

import { describe, expect, it } from 'vitest';
import { compareReleases, type ComparableRelease } from './compare-releases';

const hex = (char: string) => char.repeat(64);

function release(overrides: Partial<ComparableRelease> = {}): ComparableRelease {
  return {
    manifestDigest: hex('a'),
    release: 'fraud-detector@m92',
    signedByTrustedKey: true,
    subjects: [
      { name: 'model/fraud.onnx', kind: 'model', digest: { sha256: hex('1') } },
      { name: 'data/q1.parquet', kind: 'dataset', digest: { sha256: hex('2') } },
      { name: 'requirements.lock', kind: 'lockfile', digest: { sha256: hex('3') } },
    ],
    environment: { seed: 42, hardware: { gpu: 'A100' } },
    tolerance: { metric: 'AUC', maxDelta: 0.01 },
    lineage: {
      nodes: [
        { id: 'q1', kind: 'source', name: 'raw Q1', version: null, subject: 'data/q1.parquet' },
        { id: 'm92', kind: 'model', name: 'model m92', version: null, subject: 'model/fraud.onnx' },
      ],
      edges: [{ from: 'q1', to: 'm92' }],
    },
    ...overrides,
  };
}

describe('compareReleases', () => {
  it('finds nothing between a release and itself', () => {
    const comparison = compareReleases(release(), release());
    expect(comparison.identical).toBe(true);
    expect(comparison.reviewHints).toEqual([]);
  });

  it('calls a new manifest with the same pins identical, yet says its approvals start afresh', () => {
    const comparison = compareReleases(release(), release({ manifestDigest: hex('c'), release: 'fraud-detector@m92.1' }));
    expect(comparison.identical).toBe(true);
    expect(comparison.reviewHints).toEqual([{ message: 'The manifest digest differs: approvals of the old release do not count for the new one.', roles: [] }]);
  });

  it('names a re-pinned dataset with both digests and asks the privacy seat to re-review', () => {
    const next = release({ manifestDigest: hex('b'), subjects: release().subjects.map((s) => (s.kind === 'dataset' ? { ...s, digest: { sha256: hex('9') } } : s)) });
    const comparison = compareReleases(release(), next);
    expect(comparison.identical).toBe(false);
    expect(comparison.subjects.changed).toEqual([{ name: 'data/q1.parquet', kind: 'dataset', oldDigest: { sha256: hex('2') }, newDigest: { sha256: hex('9') } }]);
    expect(comparison.reviewHints.map((hint) => hint.message)).toEqual([
      'The training data changed (data/q1.parquet): the privacy seat must re-review.',
      'The manifest digest differs: approvals of the old release do not count for the new one.',
    ]);
  });

  it('reports subjects added and removed, and kind changes', () => {
    const next = release({
      subjects: [
        { name: 'model/fraud.onnx', kind: 'report', digest: { sha256: hex('1') } },
        { name: 'data/q1.parquet', kind: 'dataset', digest: { sha256: hex('2') } },
        { name: 'registry/serve', kind: 'container', digest: { sha256: hex('4') } },
      ],
    });
    const { subjects, reviewHints } = compareReleases(release(), next);
    expect(subjects.added.map((s) => s.name)).toEqual(['registry/serve']);
    expect(subjects.removed.map((s) => s.name)).toEqual(['requirements.lock']);
    expect(subjects.changed).toEqual([]);
    expect(subjects.kindChanged).toEqual([{ name: 'model/fraud.onnx', oldKind: 'model', newKind: 'report' }]);
    expect(reviewHints.map((hint) => hint.message)).toContain('The container image changed (registry/serve added): the ml-lead and risk seats must re-review.');
    expect(reviewHints.map((hint) => hint.message)).toContain('The locked dependencies changed (requirements.lock removed): the ml-lead seat must re-review.');
  });

  it('counts a digest set given another algorithm as re-pinned, whatever the key order', () => {
    const reordered = release({ subjects: [{ name: 'x', kind: 'code', digest: { sha256: hex('1'), gitCommit: 'c'.repeat(40) } }] });
    const same = release({ subjects: [{ name: 'x', kind: 'code', digest: { gitCommit: 'c'.repeat(40), sha256: hex('1') } }] });
    expect(compareReleases(reordered, same).subjects.changed).toEqual([]);
    const fewer = release({ subjects: [{ name: 'x', kind: 'code', digest: { sha256: hex('1') } }] });
    expect(compareReleases(reordered, fewer).subjects.changed).toHaveLength(1);
  });

  it('lists each environment and tolerance field that differs, with old and new JSON', () => {
    const next = release({ environment: { seed: 7, hardware: { gpu: 'A100', 'cpu arch': 'arm64' } }, tolerance: null });
    const { environment, reviewHints } = compareReleases(release(), next);
    expect(environment).toEqual([
      { field: 'environment.hardware["cpu arch"]', old: null, new: '"arm64"' },
      { field: 'environment.seed', old: '42', new: '7' },
      { field: 'tolerance', old: '{"metric":"AUC","maxDelta":0.01}', new: null },
    ]);
    expect(reviewHints.map((hint) => hint.roles)).toEqual([['ml-lead'], ['risk']]);
  });

  it('reports lineage nodes and edges added, removed and changed; a missing lineage is an empty graph', () => {
    const next = release({
      lineage: {
        nodes: [
          { id: 'q2', kind: 'source', name: 'raw Q2', version: null, subject: null },
          { id: 'm92', kind: 'model', name: 'model m93', version: null, subject: 'model/fraud.onnx' },
        ],
        edges: [{ from: 'q2', to: 'm92' }],
      },
    });
    const { lineage } = compareReleases(release(), next);
    expect(lineage.nodesAdded).toEqual([{ id: 'q2', kind: 'source', name: 'raw Q2' }]);
    expect(lineage.nodesRemoved).toEqual([{ id: 'q1', kind: 'source', name: 'raw Q1' }]);
    expect(lineage.nodesChanged).toEqual([{ id: 'm92', changes: ['name "model m92" → "model m93"'] }]);
    expect(lineage.edgesAdded).toEqual([{ from: 'q2', to: 'm92' }]);
    expect(lineage.edgesRemoved).toEqual([{ from: 'q1', to: 'm92' }]);

    const withoutLineage = compareReleases(release(), release({ lineage: null }));
    expect(withoutLineage.new.hasLineage).toBe(false);
    expect(withoutLineage.lineage.nodesRemoved).toHaveLength(2);
    expect(withoutLineage.identical).toBe(false);
  });
});

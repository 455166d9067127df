import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../../shared/verify/report';
import { testGraph, testLineage } from './explorer-test-graph';
import { nodeDetails } from './node-details';

const MODEL_SHA = 'c'.repeat(64);

/** The fields of a report the details read; the rest of a report does not matter here. */
function reportOf(verdict: VerificationReport['verdict']): VerificationReport {
  return {
    verdict,
    manifest: { releaseName: 'fraud-detector', releaseVersion: 'm92' },
    subjects: [{ name: 'model/m.onnx', status: 'ok', expectedSha256: MODEL_SHA, digest: { sha256: MODEL_SHA } }],
  } as unknown as VerificationReport;
}

describe('nodeDetails', () => {
  it('gives kind, version, subject with digest and status, releases, and upstream and downstream counts', () => {
    // n4 (model 4): n3 directly upstream, n0, n1, n2, n3, n6 in all; n5 downstream.
    const details = nodeDetails(testGraph.nodes[4]!, 4, testLineage, reportOf('verified'));
    expect(details).toEqual({
      name: 'model 4',
      id: 'n4',
      kind: 'model',
      version: '2.3',
      subject: { name: 'model/m.onnx', digest: `sha256:${MODEL_SHA}`, status: 'subject verified' },
      releases: ['fraud-detector@m92'],
      upstream: { direct: 1, all: 5 },
      downstream: { direct: 1, all: 1 },
    });
  });

  it('says a matching digest is not verified under a tampered release, and what it cannot know yet', () => {
    expect(nodeDetails(testGraph.nodes[4]!, 4, testLineage, reportOf('tampered')).subject?.status).toBe('subject digest matches, release not verified');
    const pending = nodeDetails(testGraph.nodes[4]!, 4, testLineage, null);
    expect(pending.subject).toEqual({ name: 'model/m.onnx', digest: null, status: 'subject not verified yet' });
    expect(pending.releases).toEqual([]);
  });

  it('counts a node without a subject, at the start of the graph', () => {
    const source = nodeDetails(testGraph.nodes[0]!, 0, testLineage, reportOf('verified'));
    expect(source.subject).toBeNull();
    expect(source.releases).toEqual([]);
    expect(source.upstream).toEqual({ direct: 0, all: 0 });
    expect(source.downstream).toEqual({ direct: 1, all: 5 });
  });
});

import { describe, it, expect } from 'vitest';
import type { JsonValue } from '../json/strict-json';
import { judgeReproduction, toleranceRules, type ReproducibleRelease } from './reproduce-release';

const hex = (digit: string) => digit.repeat(64);

function release(overrides: Partial<ReproducibleRelease> = {}, metrics: Record<string, number> = { AUC: 0.92, loss: 0.3 }): ReproducibleRelease {
  return {
    manifestDigest: hex('a'),
    release: 'fraud@m92',
    signedByTrustedKey: true,
    verdict: 'verified',
    subjects: [
      { name: 'model/fraud.onnx', kind: 'model', digest: { sha256: hex('1') } },
      { name: 'data/train.parquet', kind: 'dataset', digest: { sha256: hex('2') } },
      { name: 'git+https://git.example.com/fraud.git', kind: 'code', digest: { gitCommit: '3'.repeat(40) } },
      { name: 'registry.example.com/fraud/serve', kind: 'container', digest: { sha256: hex('4') } },
      { name: 'requirements.lock', kind: 'lockfile', digest: { sha256: hex('5') } },
    ],
    environment: { seed: 42, hardware: { cpu: 'x86_64', gpu: 'NVIDIA A100' }, git: { commit: '3'.repeat(40), dirty: false } },
    tolerance: { metric: 'AUC', maxDelta: 0.01 },
    lineage: null,
    evaluation: { metrics },
    ...overrides,
  };
}

const withSubject = (base: ReproducibleRelease, name: string, digest: Record<string, string>): ReproducibleRelease['subjects'] =>
  base.subjects.map((subject) => (subject.name === name ? { ...subject, digest } : subject));

describe('judgeReproduction', () => {
  it('is equivalent when every required pin matches, the model differs, the hardware differs and AUC moves within the tolerance', () => {
    const original = release();
    const rebuilt = release(
      {
        manifestDigest: hex('b'),
        subjects: withSubject(original, 'model/fraud.onnx', { sha256: hex('9') }),
        environment: { seed: 42, hardware: { cpu: 'arm64', gpu: 'NVIDIA H100' }, git: { commit: '3'.repeat(40), dirty: false } },
      },
      { AUC: 0.93, loss: 0.5 },
    );
    const result = judgeReproduction(original, rebuilt);
    expect(result.reasons).toEqual([]);
    expect(result.equivalent).toBe(true);
    expect(result.pins).toEqual([{ name: 'model/fraud.onnx', kind: 'model', change: 'changed', required: false, original: { sha256: hex('1') }, rebuilt: { sha256: hex('9') } }]);
    expect(result.hardware.map((field) => field.field)).toEqual(['environment.hardware.cpu', 'environment.hardware.gpu']);
    // 0.93 - 0.92 is 0.010000000000000009 in binary: still within 0.01.
    expect(result.metrics.find((metric) => metric.metric === 'AUC')).toMatchObject({ within: true, maxDelta: 0.01 });
    expect(result.metrics.find((metric) => metric.metric === 'loss')).toMatchObject({ within: null, maxDelta: null, delta: 0.2 });
  });

  it('lists every reason a rerun is not equivalent', () => {
    const original = release();
    let subjects = withSubject(original, 'data/train.parquet', { sha256: hex('6') });
    subjects = subjects.filter((subject) => subject.kind !== 'container');
    subjects = [...subjects, { name: 'extra.lock', kind: 'lockfile', digest: { sha256: hex('7') } }];
    const rebuilt = release({ subjects, environment: { seed: 7, hardware: { cpu: 'x86_64', gpu: 'NVIDIA A100' }, git: { commit: '3'.repeat(40), dirty: true } } }, { AUC: 0.85 });
    const result = judgeReproduction(original, rebuilt);
    expect(result.equivalent).toBe(false);
    expect(result.reasons).toEqual([
      `dataset data/train.parquet differs: sha256:${hex('2')} in the original, sha256:${hex('6')} in the rebuild.`,
      'container registry.example.com/fraud/serve of the original is missing from the rebuild.',
      'lockfile extra.lock is in the rebuild but not in the original.',
      'The seed differs: 42 in the original, 7 in the rebuild.',
      'The rebuilt release was built from a dirty work tree: its code is not what the commit pins.',
      'Metric AUC moved by -0.07 (0.92 → 0.85); the tolerance allows 0.01.',
    ]);
  });

  it('refuses equivalence for a release that does not verify, and for a toleranced metric missing from the rebuild', () => {
    const result = judgeReproduction(release(), release({ verdict: 'tampered' }, { loss: 0.3 }));
    expect(result.reasons).toEqual(['The rebuilt release does not verify (tampered).', "Metric AUC, which the tolerance names, is missing from the rebuilt release's evaluation."]);
  });

  it('without a tolerance, requires the metrics both releases record to be identical', () => {
    const original = release({ tolerance: null });
    expect(judgeReproduction(original, release({ tolerance: null })).equivalent).toBe(true);
    const result = judgeReproduction(original, release({ tolerance: null }, { AUC: 0.921, loss: 0.3 }));
    expect(result.reasons).toEqual(['Metric AUC moved by +0.001 (0.92 → 0.921); the original sets no tolerance, so it must be identical.']);
  });

  it('judges by the original tolerance, not the rebuilt one', () => {
    const loose = release({ tolerance: { metric: 'AUC', maxDelta: 0.5 } }, { AUC: 0.5 });
    expect(judgeReproduction(release(), loose).equivalent).toBe(false);
  });

  it('refuses a tolerance or evaluation that is not as documented', () => {
    expect(() => toleranceRules({ metric: 'AUC', maxDelta: -1 } as JsonValue)).toThrow(/maxDelta: expected a number of 0 or more/);
    expect(() => toleranceRules('AUC<0.01')).toThrow(/expected \{"metric"/);
    expect(toleranceRules([{ metric: 'AUC', maxDelta: 0.01 }, { metric: 'F1', maxDelta: 0.02 }])).toEqual([
      { metric: 'AUC', maxDelta: 0.01 },
      { metric: 'F1', maxDelta: 0.02 },
    ]);
    expect(() => judgeReproduction(release(), release({ evaluation: { metrics: { AUC: 'high' } } }))).toThrow(/metrics\.AUC: expected a number/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseReleaseStatement } from '../formats/manifest';
import type { JsonValue } from '../json/strict-json';
import type { ManifestSummary, SubjectCheck } from '../verify/report';
import { MAX_VALUE_CHARS, summariseRelease } from './release-summary';

const hex = (char: string) => char.repeat(64);
const AUTHOR = 'SHA256:Z1e4nI7NOW2vS1s2ZSwqMpbQGmHAymwnOV4nfgdFuNE';

function statement(predicateExtras: Record<string, JsonValue> = {}, environment: Record<string, JsonValue> = {}): JsonValue {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      { name: 'model/fraud.onnx', digest: { sha256: hex('1') } },
      { name: 'data/q1.parquet', digest: { sha256: hex('2') } },
      { name: 'requirements.lock', digest: { sha256: hex('3') } },
      { name: 'git+https://git.example.com/fraud.git', digest: { gitCommit: 'c'.repeat(40) } },
      { name: 'registry.example.com/fraud/serve', digest: { sha256: hex('4') } },
    ],
    predicateType: 'https://countersign.dev/release/v1',
    predicate: {
      release: { name: 'fraud-detector', version: 'm93' },
      artifacts: {
        'model/fraud.onnx': { kind: 'model' },
        'data/q1.parquet': { kind: 'dataset' },
        'requirements.lock': { kind: 'lockfile' },
        'git+https://git.example.com/fraud.git': { kind: 'code' },
        'registry.example.com/fraud/serve': { kind: 'container' },
      },
      environment: { seed: 42, hardware: { cpu: 'x86_64', gpu: 'NVIDIA A100' }, ...environment },
      tolerance: { metric: 'AUC', maxDelta: 0.01 },
      createdBy: AUTHOR,
      createdAt: '2026-11-01T12:00:00Z',
      ...predicateExtras,
    },
  };
}

/** The summary the verifier would report for this statement: parsed by the real manifest parser. */
function manifestOf(value: JsonValue): ManifestSummary {
  const parsed = parseReleaseStatement(value);
  return {
    digest: hex('a'),
    releaseName: parsed.release?.name ?? null,
    releaseVersion: parsed.release?.version ?? null,
    predicateType: parsed.predicateType,
    understood: parsed.understood,
    createdBy: parsed.createdBy,
    createdAt: parsed.createdAt,
    unknownFields: parsed.unknownFields,
    statement: parsed.statement,
  };
}

function subjectsOf(value: JsonValue): SubjectCheck[] {
  return parseReleaseStatement(value).subjects.map((subject, index) => ({
    name: subject.name,
    kind: subject.kind,
    digest: subject.digest,
    blobPath: null,
    size: null,
    status: subject.kind === 'code' || subject.kind === 'container' ? 'not-checked' : index === 0 ? 'mismatch' : 'ok',
    expectedSha256: null,
    actualSha256: null,
    reason: '',
  }));
}

describe('summariseRelease', () => {
  it('shows who made the release, what it pins, how it was trained and how its subjects checked', () => {
    const value = statement();
    const summary = summariseRelease(manifestOf(value), subjectsOf(value), 'training CI');
    expect(summary).toMatchObject({
      name: 'fraud-detector',
      version: 'm93',
      author: { keyId: AUTHOR, name: 'training CI' },
      createdAt: '2026-11-01T12:00:00Z',
      codeCommits: [{ name: 'git+https://git.example.com/fraud.git', commit: 'c'.repeat(40) }],
      gitDirty: null,
      containers: [{ name: 'registry.example.com/fraud/serve', digest: `sha256:${hex('4')}` }],
      lockFiles: [{ name: 'requirements.lock', digest: `sha256:${hex('3')}` }],
      seed: '42',
      hardware: [
        { name: 'cpu', value: 'x86_64' },
        { name: 'gpu', value: 'NVIDIA A100' },
      ],
      tolerance: [
        { name: 'metric', value: 'AUC' },
        { name: 'maxDelta', value: '0.01' },
      ],
      metrics: [],
      otherFields: [],
    });
    expect(summary.subjectCounts.byKind).toEqual([
      { kind: 'model', count: 1 },
      { kind: 'dataset', count: 1 },
      { kind: 'lockfile', count: 1 },
      { kind: 'code', count: 1 },
      { kind: 'container', count: 1 },
    ]);
    expect(summary.subjectCounts.byStatus).toEqual([
      { status: 'mismatch', count: 1 },
      { status: 'ok', count: 2 },
      { status: 'not-checked', count: 2 },
    ]);
  });

  it('reads the dirty flag and metrics, and lists every other field, marking those this version does not interpret', () => {
    const value = statement(
      { evaluation: { metrics: { auc: 0.931, recall: 0.88 }, dataset: 'holdout-q2' }, ticket: 'RISK-118' },
      { git: { commit: 'c'.repeat(40), dirty: true, branch: 'main' }, python: '3.12' },
    );
    const summary = summariseRelease(manifestOf(value), subjectsOf(value), null);
    expect(summary.gitDirty).toBe(true);
    expect(summary.codeCommits).toHaveLength(1);
    expect(summary.metrics).toEqual([
      { name: 'auc', value: '0.931' },
      { name: 'recall', value: '0.88' },
    ]);
    expect(summary.otherFields).toEqual([
      { path: '$.predicate.environment.git.branch', value: 'main', unknown: false },
      { path: '$.predicate.environment.python', value: '3.12', unknown: false },
      { path: '$.predicate.evaluation.dataset', value: 'holdout-q2', unknown: false },
      { path: '$.predicate.ticket', value: 'RISK-118', unknown: true },
    ]);
  });

  it('lists unknown fields outside the predicate, and cuts a huge value with its length said', () => {
    const value = { ...(statement({ notes: 'x'.repeat(MAX_VALUE_CHARS + 50) }) as Record<string, JsonValue>), signedOff: 'someone' };
    const summary = summariseRelease(manifestOf(value), subjectsOf(value), null);
    const notes = summary.otherFields.find((field) => field.path === '$.predicate.notes');
    expect(notes?.value).toBe(`${'x'.repeat(MAX_VALUE_CHARS)}… (${MAX_VALUE_CHARS + 50} characters)`);
    expect(summary.otherFields).toContainEqual({ path: '$.signedOff', value: 'someone', unknown: true });
  });

  it('takes a commit named only by environment.git as the code commit', () => {
    const value = statement({}, { git: { commit: 'd'.repeat(40), dirty: false } });
    const summary = summariseRelease(manifestOf(value), subjectsOf(value), null);
    expect(summary.codeCommits.map((entry) => entry.commit)).toEqual(['c'.repeat(40), 'd'.repeat(40)]);
    expect(summary.gitDirty).toBe(false);
  });
});

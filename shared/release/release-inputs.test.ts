import { describe, it, expect } from 'vitest';
import { parseStrictJson } from '../json/strict-json';
import { parseReleaseStatement } from '../formats/manifest';
import { compileGlob } from './glob';
import { kindFromName, kindOfFile, parseKindOverride } from './artifact-kind';
import { createdAtNow, parseCreatedAt, parseMetric, parsePinnedSubject, parseSeed, parseTolerance } from './release-flags';
import { releaseStatementPayload, type ReleaseStatementInput } from './release-statement';

const KEY_ID = 'SHA256:' + 'A'.repeat(43);
const HEX = 'ab'.repeat(32);

describe('globs', () => {
  it('match a file name at any depth without "/", the whole name with it, and "**" across folders', () => {
    expect(compileGlob('*.tmp').matches('data/deep/x.tmp')).toBe(true);
    expect(compileGlob('*.tmp').matches('data/x.tmpl')).toBe(false);
    expect(compileGlob('data/*.csv').matches('data/a.csv')).toBe(true);
    expect(compileGlob('data/*.csv').matches('data/sub/a.csv')).toBe(false);
    expect(compileGlob('data/**/*.csv').matches('data/a.csv')).toBe(true);
    expect(compileGlob('data/**/*.csv').matches('data/sub/deeper/a.csv')).toBe(true);
    expect(compileGlob('model/v?.onnx').matches('model/v1.onnx')).toBe(true);
    expect(compileGlob('a+b.(c)').matches('a+b.(c)')).toBe(true);
    expect(() => compileGlob('')).toThrow(/empty/);
  });
});

describe('kinds', () => {
  it('come from the extension or the lock file name, and a later --kind wins', () => {
    expect(kindFromName('model/m.safetensors')).toEqual({ kind: 'model' });
    expect(kindFromName('model/m.ONNX')).toEqual({ kind: 'model', mediaType: 'application/onnx' });
    expect(kindFromName('data/t.parquet').kind).toBe('dataset');
    expect(kindFromName('uv.lock').kind).toBe('lockfile');
    expect(kindFromName('env/requirements.txt').kind).toBe('lockfile');
    expect(kindFromName('conf/train.yaml').kind).toBe('config');
    expect(kindFromName('README').kind).toBe('other');
    const overrides = [parseKindOverride('features/*.json=features'), parseKindOverride('features/old.json=other')];
    expect(kindOfFile('features/v47.json', overrides)).toEqual({ kind: 'features', mediaType: 'application/json' });
    expect(kindOfFile('features/old.json', overrides).kind).toBe('other');
    expect(() => parseKindOverride('*.json=weights')).toThrow(/one of model, dataset/);
    expect(() => parseKindOverride('model')).toThrow(/<glob>=<kind>/);
  });
});

describe('flags', () => {
  it('--subject pins by sha256, a code commit by gitCommit, and refuses anything else', () => {
    expect(parsePinnedSubject(`dataset:s3://bucket/q1.parquet=sha256:${HEX}`)).toEqual({ kind: 'dataset', name: 's3://bucket/q1.parquet', digest: { sha256: HEX } });
    expect(parsePinnedSubject(`code:git+https://x/y.git=gitCommit:${'a'.repeat(40)}`)).toEqual({ kind: 'code', name: 'git+https://x/y.git', digest: { gitCommit: 'a'.repeat(40) } });
    expect(() => parsePinnedSubject(`model:m=sha256:${HEX.toUpperCase()}`)).toThrow(/64 lowercase hex/);
    expect(() => parsePinnedSubject(`model:m=md5:${'a'.repeat(32)}`)).toThrow(/must be sha256/);
    expect(() => parsePinnedSubject(`code:repo=sha256:${HEX}`)).toThrow(/gitCommit/);
    expect(() => parsePinnedSubject(`weights:m=sha256:${HEX}`)).toThrow(/kind must be one of/);
    expect(() => parsePinnedSubject(`model:=sha256:${HEX}`)).toThrow(/name is empty/);
  });

  it('numbers are decimal and finite; seeds whole; times RFC 3339 UTC', () => {
    expect(parseTolerance('AUC=0.01')).toEqual({ metric: 'AUC', maxDelta: 0.01 });
    expect(() => parseTolerance('AUC=-1')).toThrow(/negative/);
    expect(parseMetric('f1 score=0.5e-1')).toEqual({ name: 'f1 score', value: 0.05 });
    for (const bad of ['AUC=', 'AUC=Infinity', 'AUC=0x10', '=1', 'AUC=1e400']) expect(() => parseMetric(bad), bad).toThrow(/--metric/);
    expect(parseSeed('42')).toBe(42);
    for (const bad of ['-1', '4.2', '9007199254740992', '']) expect(() => parseSeed(bad), bad).toThrow(/--seed/);
    expect(parseCreatedAt('2026-11-01T12:00:00Z')).toBe('2026-11-01T12:00:00Z');
    expect(() => parseCreatedAt('2026-02-30T12:00:00Z')).toThrow(/--created-at: day 30 does not exist/);
    expect(() => parseCreatedAt('2026-11-01 12:00')).toThrow(/--created-at/);
    expect(createdAtNow(new Date(Date.UTC(2026, 10, 1, 12, 0, 0, 789)))).toBe('2026-11-01T12:00:00Z');
  });
});

describe('the manifest payload', () => {
  const input: ReleaseStatementInput = {
    release: { name: 'fraud-detector', version: 'm93' },
    subjects: [
      { name: 'registry.example.com/serve', digest: { sha256: HEX }, kind: 'container' },
      { name: 'model/m.onnx', digest: { sha256: HEX }, kind: 'model', size: 10, mediaType: 'application/onnx' },
    ],
    environment: { seed: 42 },
    tolerance: { metric: 'AUC', maxDelta: 0.01 },
    evaluation: { metrics: { recall: 0.8, AUC: 0.91 } },
    createdBy: KEY_ID,
    createdAt: '2026-11-01T12:00:00Z',
  };

  it('lists subjects and artifacts by name, reads back as a release manifest, and is the same bytes whatever the order given', () => {
    const payload = releaseStatementPayload(input);
    const manifest = parseReleaseStatement(parseStrictJson(payload));
    expect(manifest.subjects.map((subject) => [subject.name, subject.kind, subject.size])).toEqual([
      ['model/m.onnx', 'model', 10],
      ['registry.example.com/serve', 'container', null],
    ]);
    expect(manifest.unknownFields).toEqual([]);
    expect(manifest.evaluation).toEqual({ metrics: { AUC: 0.91, recall: 0.8 } });
    expect(manifest.environment).toEqual({ seed: 42 });
    const reordered = releaseStatementPayload({ ...input, subjects: [...input.subjects].reverse(), evaluation: { metrics: { AUC: 0.91, recall: 0.8 } } });
    expect(Buffer.from(reordered).equals(Buffer.from(payload))).toBe(true);
  });

  it('leaves out an empty environment, no tolerance and no evaluation, and refuses duplicate or no subjects', () => {
    const text = new TextDecoder().decode(releaseStatementPayload({ ...input, environment: {}, tolerance: null, evaluation: null }));
    expect(text).not.toMatch(/environment|tolerance|evaluation/);
    expect(() => releaseStatementPayload({ ...input, subjects: [input.subjects[1]!, input.subjects[1]!] })).toThrow(/two subjects are named "model\/m.onnx"/);
    expect(() => releaseStatementPayload({ ...input, subjects: [] })).toThrow(/at least one subject/);
  });
});

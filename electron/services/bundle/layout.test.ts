import { describe, expect, it } from 'vitest';
import { classifyBundle } from './layout';

describe('classifyBundle', () => {
  const layout = classifyBundle([
    'manifest.dsse.json',
    'approvals/alice.dsse.json',
    'approvals/bob.dsse.json',
    'approvals/notes.txt',
    'approvals/nested/carol.dsse.json',
    'lineage.json',
    'run-1829.openlineage.json',
    'events.openlineage.jsonl',
    'dvc.lock',
    'deployment.json',
    'deployment.yaml',
    'serve.k8s.yaml',
    'artifacts/model/fraud-m92.onnx',
    'artifacts/registry.example.com/fraud/serve:1.4',
    'artifacts/features/schema-v47.json',
    'keys/alice.pub',
    'keys/alice.key',
    'README.md',
    'nested/manifest.dsse.json',
    'docs/lineage.json',
  ]);

  it('finds the manifest at the root only', () => {
    expect(layout.manifest).toBe('manifest.dsse.json');
    expect(classifyBundle(['nested/manifest.dsse.json']).manifest).toBeNull();
  });

  it('takes approvals/*.dsse.json and nothing else from approvals/', () => {
    expect(layout.approvals).toEqual(['approvals/alice.dsse.json', 'approvals/bob.dsse.json']);
  });

  it('recognises every lineage form at the root', () => {
    expect(layout.lineage).toEqual(['dvc.lock', 'events.openlineage.jsonl', 'lineage.json', 'run-1829.openlineage.json']);
  });

  it('recognises every deployment form at the root', () => {
    expect(layout.deployment).toEqual(['deployment.json', 'deployment.yaml', 'serve.k8s.yaml']);
  });

  it('maps subject names, with their slashes and colons, to relPaths', () => {
    expect([...layout.artifacts]).toEqual([
      ['features/schema-v47.json', 'artifacts/features/schema-v47.json'],
      ['model/fraud-m92.onnx', 'artifacts/model/fraud-m92.onnx'],
      ['registry.example.com/fraud/serve:1.4', 'artifacts/registry.example.com/fraud/serve:1.4'],
    ]);
  });

  it('offers keys/*.pub only', () => {
    expect(layout.keys).toEqual(['keys/alice.pub']);
  });

  it('puts everything else in other', () => {
    expect(layout.other).toEqual([
      'README.md',
      'approvals/nested/carol.dsse.json',
      'approvals/notes.txt',
      'docs/lineage.json',
      'keys/alice.key',
      'nested/manifest.dsse.json',
    ]);
  });

  it('does not take a bare suffix for a file', () => {
    const bare = classifyBundle(['approvals/.dsse.json', '.k8s.yaml', 'keys/.pub', '.openlineage.json']);
    expect(bare.approvals).toEqual([]);
    expect(bare.deployment).toEqual([]);
    expect(bare.keys).toEqual([]);
    expect(bare.lineage).toEqual([]);
    expect(bare.other).toHaveLength(4);
  });

  it('gives an empty layout for an empty bundle', () => {
    const empty = classifyBundle([]);
    expect(empty.manifest).toBeNull();
    expect(empty.artifacts.size).toBe(0);
    expect(empty.other).toEqual([]);
  });
});

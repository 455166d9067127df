import { describe, it, expect } from 'vitest';
import { LineageError } from './lineage-error';
import { mergeLineage } from './merge-lineage';
import { lineageOf } from './test-graphs';

describe('merging lineage sources', () => {
  it('makes one node of the same id in two sources and keeps one copy of a repeated edge', () => {
    const { graph, sourceFiles } = mergeLineage([lineageOf('lineage.json', ['a>b', 'b>c']), lineageOf('run.openlineage.json', ['b>c', 'c>d'])]);
    expect(graph.nodes.map((node) => node.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(graph.edges).toEqual([
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'd' },
    ]);
    expect(sourceFiles).toEqual(['lineage.json', 'run.openlineage.json']);
  });

  it('refuses an edge naming an unknown node, with the place of the edge', () => {
    const source = lineageOf('lineage.json', ['a>b']);
    source.edges.push({ from: 'b', to: 'ghost', location: 'lineage.json $.edges[1]' });
    expect(() => mergeLineage([source])).toThrow(new LineageError('lineage.json $.edges[1].to', 'the edge names node id "ghost", which no node has'));
  });

  it('refuses a cycle and names its nodes in order', () => {
    const merge = () => mergeLineage([lineageOf('lineage.json', ['start>a', 'a>b', 'b>c', 'c>a', 'c>end'])]);
    expect(merge).toThrow(LineageError);
    expect(merge).toThrow('the lineage has a cycle: "a" → "b" → "c" → "a"');
  });

  it('refuses a cycle that runs across two sources', () => {
    expect(() => mergeLineage([lineageOf('lineage.json', ['x>y']), lineageOf('dvc.lock', ['y>x'])])).toThrow(/lineage\.json, dvc\.lock: the lineage has a cycle: "(x" → "y" → "x|y" → "x" → "y)"/);
  });

  it('refuses an edge from a node to itself', () => {
    expect(() => mergeLineage([lineageOf('lineage.json', ['a>a'])])).toThrow('lineage.json $.edges[0]: cycle: the edge runs from "a" to itself');
  });

  it('reports a node given two different kinds and keeps the first', () => {
    const { graph, findings } = mergeLineage([lineageOf('lineage.json', ['a>b'], { b: 'model' }), lineageOf('other.json', ['b>c'], { b: 'features' })]);
    expect(graph.nodes.find((node) => node.id === 'b')!.kind).toBe('model');
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'lineage-kind-conflict', location: 'other.json $.nodes[0]' })]);
    expect(findings[0]!.message).toContain('is a model in lineage.json $.nodes[1] and a features in other.json $.nodes[0]');
  });

  it('lets a declared kind win over one an importer chose, without a finding', () => {
    const imported = lineageOf('dvc.lock', ['path:model.pkl>stage:eval']);
    imported.nodes[0]!.kindDeclared = false;
    const { graph, findings } = mergeLineage([imported, lineageOf('lineage.json', ['path:model.pkl>deploy'], { 'path:model.pkl': 'model' })]);
    expect(graph.nodes[0]!.kind).toBe('model');
    expect(findings).toEqual([]);
  });

  it('warns when a node names a subject the manifest does not pin', () => {
    const { findings } = mergeLineage([lineageOf('lineage.json', ['a>b'], {}, { a: 'data/a.parquet', b: 'model/gone.onnx' })], { subjectNames: new Set(['data/a.parquet']) });
    expect(findings.map((finding) => [finding.code, finding.location])).toEqual([['lineage-subject-unknown', 'lineage.json $.nodes[1]']]);
  });
});

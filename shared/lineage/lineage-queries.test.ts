import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importNativeLineage } from './import-native';
import { syntheticLineage } from './layout/synthetic-lineage';
import { impactOf, pathsBetween, UnknownLineageNodeError } from './lineage-queries';
import { MAX_LINEAGE_PATHS, MAX_LINEAGE_PATH_EDGES } from './lineage-paths';
import { mergeLineage } from './merge-lineage';
import { NO_RELEASE_KNOWLEDGE, type ReleaseKnowledge } from './release-knowledge';
import { lineageOf } from './test-graphs';

const demo = mergeLineage([importNativeLineage('lineage.json', readFileSync(fileURLToPath(new URL('../../assets/demo/bundle/lineage.json', import.meta.url))), 1 << 20)]);
const demoKnowledge: ReleaseKnowledge = {
  releases: [{ release: 'fraud-detector@m92', subjects: new Set(['data/transactions-q1.parquet', 'features/schema-v47.json', 'model/fraud-m92.onnx']), approvals: 2 }],
  deployments: [{ environment: 'production', artifacts: new Set(['model/fraud-m92.onnx']) }],
};

//   a → b → d → e
//   a → c → d       f (alone)
//   c → e
const diamond = mergeLineage([lineageOf('g', ['a>b', 'a>c', 'b>d', 'c>d', 'd>e', 'c>e'], { f: 'other' })]);

describe('impact', () => {
  it('reaches the model at degree 4 and its deployment at 5 from the demo\'s raw transactions', () => {
    const report = impactOf(demo, 'transactions_q1', 'downstream', demoKnowledge);
    expect(report.affected.map((node) => [node.id, node.degree])).toEqual([
      ['fraud_signal_v2.3', 1],
      ['features_v47', 2],
      ['training_j1829', 3],
      ['model_m92', 4],
      ['deploy_production', 5],
    ]);
    expect(report.affected[3]).toEqual({
      id: 'model_m92',
      name: 'model m92',
      kind: 'model',
      degree: 4,
      subject: 'model/fraud-m92.onnx',
      releases: ['fraud-detector@m92'],
      approvals: 2,
      deployments: ['production'],
    });
    expect(report.affected[2]).toMatchObject({ subject: null, releases: [], approvals: 0, deployments: [] });
  });

  it('goes upstream on request and never lists the root', () => {
    const report = impactOf(demo, 'model_m92', 'upstream', NO_RELEASE_KNOWLEDGE);
    expect(report.affected.map((node) => `${node.id}@${node.degree}`)).toEqual(['training_j1829@1', 'features_v47@2', 'fraud_signal_v2.3@3', 'transactions_q1@4']);
    expect(report).toMatchObject({ root: 'model_m92', direction: 'upstream' });
  });

  it('gives each node its shortest distance when several paths reach it', () => {
    const report = impactOf(diamond, 'a', 'downstream', NO_RELEASE_KNOWLEDGE);
    expect(Object.fromEntries(report.affected.map((node) => [node.id, node.degree]))).toEqual({ b: 1, c: 1, d: 2, e: 2 });
    expect(impactOf(diamond, 'e', 'upstream', NO_RELEASE_KNOWLEDGE).affected.map((node) => `${node.id}@${node.degree}`)).toEqual(['c@1', 'd@1', 'a@2', 'b@2']);
    expect(impactOf(diamond, 'f', 'downstream', NO_RELEASE_KNOWLEDGE).affected).toEqual([]);
  });

  it('refuses an unknown node and points to the id when a name was given', () => {
    expect(() => impactOf(demo, 'nope', 'downstream', NO_RELEASE_KNOWLEDGE)).toThrow(UnknownLineageNodeError);
    expect(() => impactOf(demo, 'model m92', 'downstream', NO_RELEASE_KNOWLEDGE)).toThrow('The lineage has no node with id "model m92" ("model_m92" is named so: give the id).');
  });

  it('agrees with a plain breadth-first search over Maps on a 3,000-node generated pipeline', () => {
    const graph = syntheticLineage(3000, { edgesPerNode: 1.5 });
    const lineage = mergeLineage([{ file: 'g', nodes: graph.nodes.map((node) => ({ ...node, kindDeclared: true, linkSubjectByName: false, location: node.id })), edges: graph.edges.map((edge) => ({ ...edge, location: 'g' })), findings: [] }]);
    const next = new Map<string, string[]>(graph.nodes.map((node) => [node.id, []]));
    for (const edge of graph.edges) next.get(edge.from)!.push(edge.to);
    for (const root of [graph.nodes[0]!.id, graph.nodes[1500]!.id]) {
      const expected = new Map([[root, 0]]);
      for (const queue = [root]; queue.length > 0; ) {
        const node = queue.shift()!;
        for (const to of next.get(node)!) {
          if (expected.has(to)) continue;
          expected.set(to, expected.get(node)! + 1);
          queue.push(to);
        }
      }
      expected.delete(root);
      const actual = new Map(impactOf(lineage, root, 'downstream', NO_RELEASE_KNOWLEDGE).affected.map((node) => [node.id, node.degree]));
      expect(actual).toEqual(expected);
    }
  });
});

describe('paths', () => {
  it('lists the demo\'s one path from raw transactions to production', () => {
    expect(pathsBetween(demo, 'transactions_q1', 'deploy_production')).toEqual({
      paths: [['transactions_q1', 'fraud_signal_v2.3', 'features_v47', 'training_j1829', 'model_m92', 'deploy_production']],
      truncated: false,
    });
  });

  it('lists every path, shortest first, equally long ones in node order', () => {
    expect(pathsBetween(diamond, 'a', 'e').paths).toEqual([
      ['a', 'c', 'e'],
      ['a', 'b', 'd', 'e'],
      ['a', 'c', 'd', 'e'],
    ]);
  });

  it('finds no path against the edges or to an unconnected node', () => {
    expect(pathsBetween(diamond, 'e', 'a')).toEqual({ paths: [], truncated: false });
    expect(pathsBetween(diamond, 'a', 'f')).toEqual({ paths: [], truncated: false });
  });

  it(`stops at ${MAX_LINEAGE_PATHS} paths, shortest first, and says it did`, () => {
    // 10 diamonds in a row: 2^10 = 1024 paths from s0 to s10, all of 20 edges.
    const edges = Array.from({ length: 10 }, (_, i) => [`s${i}>u${i}`, `s${i}>l${i}`, `u${i}>s${i + 1}`, `l${i}>s${i + 1}`]).flat();
    edges.push('s0>s10');
    const found = pathsBetween(mergeLineage([lineageOf('g', edges)]), 's0', 's10');
    expect(found.truncated).toBe(true);
    expect(found.paths).toHaveLength(MAX_LINEAGE_PATHS);
    expect(found.paths[0]).toEqual(['s0', 's10']);
    expect(found.paths.slice(1).every((path) => path.length === 21)).toBe(true);
    expect(new Set(found.paths.map((path) => path.join())).size).toBe(MAX_LINEAGE_PATHS);
  });

  it(`says when the only paths are longer than ${MAX_LINEAGE_PATH_EDGES} edges`, () => {
    const chain = Array.from({ length: MAX_LINEAGE_PATH_EDGES + 1 }, (_, i) => `n${i}>n${i + 1}`);
    const lineage = mergeLineage([lineageOf('g', chain)]);
    expect(pathsBetween(lineage, 'n0', `n${MAX_LINEAGE_PATH_EDGES + 1}`)).toEqual({ paths: [], truncated: true });
    expect(pathsBetween(lineage, 'n0', `n${MAX_LINEAGE_PATH_EDGES}`).paths[0]).toHaveLength(MAX_LINEAGE_PATH_EDGES + 1);
  });
});

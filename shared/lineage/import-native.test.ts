import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importNativeLineage } from './import-native';
import { LineageError } from './lineage-error';
import { mergeLineage } from './merge-lineage';

const MAX = 1024 * 1024;
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const demoLineage = readFileSync(fileURLToPath(new URL('../../assets/demo/bundle/lineage.json', import.meta.url)));

function errorOf(run: () => unknown): LineageError {
  try {
    run();
  } catch (error) {
    if (error instanceof LineageError) return error;
    throw error;
  }
  throw new Error('expected a LineageError');
}

describe('native lineage.json', () => {
  it('reads the demo: six nodes with kinds, names, versions and subjects, five edges', () => {
    const imported = importNativeLineage('lineage.json', demoLineage, MAX);
    expect(imported.nodes.map((node) => [node.id, node.kind])).toEqual([
      ['transactions_q1', 'source'],
      ['fraud_signal_v2.3', 'transform'],
      ['features_v47', 'features'],
      ['training_j1829', 'training'],
      ['model_m92', 'model'],
      ['deploy_production', 'deployment'],
    ]);
    expect(imported.nodes[0]).toMatchObject({ name: 'raw transactions Q1', subject: 'data/transactions-q1.parquet', version: null });
    expect(imported.nodes[1]).toMatchObject({ version: '2.3', subject: null });
    expect(imported.edges.map(({ from, to }) => `${from}>${to}`)).toContain('model_m92>deploy_production');
    expect(imported.findings).toEqual([]);
  });

  it('names a node by its id when it has no name', () => {
    const imported = importNativeLineage('lineage.json', encode({ nodes: [{ id: 'a', kind: 'dataset' }], edges: [] }), MAX);
    expect(imported.nodes[0]!.name).toBe('a');
  });

  it('reports fields it does not interpret (the FORMATS example\'s config digest) as findings, with their path', () => {
    const imported = importNativeLineage('lineage.json', encode({ nodes: [{ id: 'a', kind: 'transform', config: { sha256: 'ab' } }], edges: [{ from: 'a', to: 'a', weight: 1 }], owner: 'ml' }), MAX);
    expect(imported.findings.map((finding) => finding.location)).toEqual(['lineage.json $.owner', 'lineage.json $.nodes[0].config', 'lineage.json $.edges[0].weight']);
    expect(imported.findings.every((finding) => finding.severity === 'info' && finding.code === 'unknown-field')).toBe(true);
  });

  it('refuses an unknown kind, naming the path and the kinds allowed', () => {
    const error = errorOf(() => importNativeLineage('lineage.json', encode({ nodes: [{ id: 'a', kind: 'table' }], edges: [] }), MAX));
    expect(error.message).toContain('lineage.json $.nodes[0].kind');
    expect(error.message).toContain('"table"');
    expect(error.message).toContain('source, dataset, transform');
  });

  it('refuses a duplicate node id, naming both places', () => {
    const error = errorOf(() => importNativeLineage('lineage.json', encode({ nodes: [{ id: 'a', kind: 'source' }, { id: 'b', kind: 'model' }, { id: 'a', kind: 'model' }], edges: [] }), MAX));
    expect(error.message).toBe('lineage.json $.nodes[2].id: duplicate node id "a": $.nodes[0] has it too');
  });

  it('refuses duplicate JSON keys and missing fields (FORMATS §1)', () => {
    expect(errorOf(() => importNativeLineage('lineage.json', encode('{"nodes": [], "nodes": []}'), MAX)).message).toContain('lineage.json');
    expect(errorOf(() => importNativeLineage('lineage.json', encode({ nodes: [{ kind: 'source' }] }), MAX)).message).toBe('lineage.json $.nodes[0]: missing required field "id"');
    expect(errorOf(() => importNativeLineage('lineage.json', encode({ nodes: [], edges: [{ from: 'a' }] }), MAX)).message).toBe('lineage.json $.edges[0]: missing required field "to"');
  });

  it('merges into the demo graph with every node linked to its subject', () => {
    const { graph } = mergeLineage([importNativeLineage('lineage.json', demoLineage, MAX)]);
    expect(graph.nodes.filter((node) => node.subject !== null).map((node) => node.id)).toEqual(['transactions_q1', 'features_v47', 'model_m92']);
  });
});

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../../../shared/api/contract';
import { toApiError } from '../api-error';
import type { HandlerServices } from './handler-kit';
import { createLineageHandlers } from './lineage-handlers';

const demoBundle = fileURLToPath(new URL('../../../assets/demo/bundle', import.meta.url));
// Lineage handlers read only the path they are given: no store, pool or host is touched.
const handlers = createLineageHandlers({} as HandlerServices);

describe('lineage handlers', () => {
  it('serve the demo graph in the shape the contract promises', async () => {
    const graph = await handlers['lineage.graph']({ path: demoBundle });
    expect(commands['lineage.graph'].output.parse(graph)).toEqual(graph);
    expect(graph.sourceFiles).toEqual(['lineage.json']);
    expect(graph.nodes.find((node) => node.id === 'model_m92')).toEqual({ id: 'model_m92', kind: 'model', name: 'model m92', version: null, subject: 'model/fraud-m92.onnx' });
  });

  it('answer impact and path queries', async () => {
    const impact = await handlers['lineage.impact']({ path: demoBundle, nodeId: 'transactions_q1', direction: 'downstream' });
    expect(commands['lineage.impact'].output.parse(impact)).toEqual(impact);
    expect(impact.affected.find((node) => node.id === 'deploy_production')!.degree).toBe(5);
    const paths = await handlers['lineage.path']({ path: demoBundle, from: 'features_v47', to: 'model_m92' });
    expect(paths).toEqual({ paths: [['features_v47', 'training_j1829', 'model_m92']], truncated: false });
  });

  it('answer not-found for an unknown node and invalid-format for a cyclic lineage', async () => {
    const unknown = await handlers['lineage.impact']({ path: demoBundle, nodeId: 'ghost', direction: 'upstream' }).catch(toApiError);
    expect(unknown).toEqual({ code: 'not-found', message: 'The lineage has no node with id "ghost".' });

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-lineage-handler-')), 'lineage.json');
    fs.writeFileSync(file, JSON.stringify({ nodes: [{ id: 'a', kind: 'source' }], edges: [{ from: 'a', to: 'a' }] }));
    const cyclic = await handlers['lineage.graph']({ path: file }).catch(toApiError);
    expect(cyclic).toEqual({ code: 'invalid-format', message: 'lineage.json $.edges[0]: cycle: the edge runs from "a" to itself' });
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { impactOf } from '../../../shared/lineage/lineage-queries';
import { LineageError } from '../../../shared/lineage/lineage-error';
import { makeTar } from '../bundle/test-archives';
import { withSession } from '../session/test-sessions';

const loadLineage = (path: string) => withSession(path, {}, (session) => session.lineage());

const demoBundle = fileURLToPath(new URL('../../../assets/demo/bundle', import.meta.url));
const PRODUCER = 'https://github.com/OpenLineage/OpenLineage/tree/1.9.1/integration/airflow';

/** Serving the demo model downstream of it, as an Airflow job would report it. */
const SERVING_EVENT = {
  eventType: 'COMPLETE',
  eventTime: '2024-03-04T08:00:00Z',
  run: { runId: '0190a3d5-6b1e-7c4f-9a3e-2f5b8c1d4e6a' },
  job: { namespace: 'serving', name: 'export_scores' },
  inputs: [{ namespace: 's3://models', name: 'model/fraud-m92.onnx' }],
  outputs: [{ namespace: 's3://scores', name: 'scores/daily.parquet', facets: { version: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet', datasetVersion: '2024-03-04' } } }],
  producer: PRODUCER,
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
};

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-lineage-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function demoCopy(extra: Record<string, string> = {}): string {
  const copy = fs.mkdtempSync(path.join(work, 'bundle-'));
  fs.cpSync(demoBundle, copy, { recursive: true });
  for (const [name, content] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(copy, name)), { recursive: true });
    fs.writeFileSync(path.join(copy, name), content);
  }
  return copy;
}

describe('loading lineage', () => {
  it('reads the demo bundle with what it knows of its release and deployment', async () => {
    const { lineage, knowledge } = await loadLineage(demoBundle);
    expect(lineage.sourceFiles).toEqual(['lineage.json']);
    expect(lineage.graph.nodes).toHaveLength(6);
    expect(knowledge.releases.map((release) => release.release)).toEqual(['fraud-detector@m92']);
    expect(knowledge.deployments.map((deployment) => deployment.environment)).toEqual(['production']);
    const model = impactOf(lineage, 'transactions_q1', 'downstream', knowledge).affected.find((node) => node.id === 'model_m92')!;
    expect(model).toMatchObject({ degree: 4, releases: ['fraud-detector@m92'], approvals: 0, deployments: ['production'] });
  });

  it('merges OpenLineage events with the native file, links the dataset to its subject and counts approvals', async () => {
    const bundle = demoCopy({
      'serving.openlineage.json': JSON.stringify(SERVING_EVENT),
      'approvals/alice.dsse.json': '{}',
      'approvals/bob.dsse.json': '{}',
    });
    const { lineage, knowledge } = await loadLineage(bundle);
    expect(lineage.sourceFiles).toEqual(['lineage.json', 'serving.openlineage.json']);
    const dataset = lineage.graph.nodes.find((node) => node.id === 'dataset:s3://models:model/fraud-m92.onnx')!;
    expect(dataset.subject).toBe('model/fraud-m92.onnx');
    const affected = impactOf(lineage, 'dataset:s3://models:model/fraud-m92.onnx', 'downstream', knowledge).affected;
    expect(affected.map((node) => `${node.id}@${node.degree}`)).toEqual(['job:serving:export_scores@1', 'dataset:s3://scores:scores/daily.parquet@2']);
    expect(impactOf(lineage, 'transactions_q1', 'downstream', knowledge).affected.find((node) => node.id === 'model_m92')!.approvals).toBe(2);
  });

  it('reads a lineage file on its own, with no release known', async () => {
    const file = path.join(work, 'runs.openlineage.jsonl');
    fs.writeFileSync(file, JSON.stringify(SERVING_EVENT) + '\n');
    const { lineage, knowledge } = await loadLineage(file);
    expect(lineage.graph.nodes).toHaveLength(3);
    expect(lineage.graph.nodes.every((node) => node.subject === null)).toBe(true);
    expect(knowledge).toEqual({ releases: [], deployments: [] });
  });

  it('reads a tar.gz bundle', async () => {
    const archive = path.join(work, 'lineage.tgz');
    fs.writeFileSync(archive, await makeTar([{ name: 'lineage.json', content: fs.readFileSync(path.join(demoBundle, 'lineage.json')) }], { gzip: true }));
    const { lineage } = await loadLineage(archive);
    expect(lineage.graph.edges).toHaveLength(5);
  });

  it('refuses a bundle whose lineage has a cycle, naming its nodes', async () => {
    const lineageJson = { nodes: [{ id: 'a', kind: 'dataset' }, { id: 'b', kind: 'transform' }], edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] };
    await expect(loadLineage(demoCopy({ 'lineage.json': JSON.stringify(lineageJson) }))).rejects.toThrow(new LineageError('lineage.json', 'the lineage has a cycle: "a" → "b" → "a"'));
  });

  it('says so when a bundle has no lineage', async () => {
    const bundle = demoCopy();
    fs.rmSync(path.join(bundle, 'lineage.json'));
    await expect(loadLineage(bundle)).rejects.toThrow('the bundle has no lineage file');
  });

  it('reads the lineage once per session; a session opened after the file changed sees the change', async () => {
    const bundle = demoCopy();
    await withSession(bundle, {}, async (session) => {
      const first = await session.lineage();
      fs.writeFileSync(path.join(bundle, 'lineage.json'), JSON.stringify({ nodes: [{ id: 'only', kind: 'source' }], edges: [] }));
      expect(await session.lineage()).toBe(first);
    });
    const second = await loadLineage(bundle);
    expect(second.lineage.graph.nodes.map((node) => node.id)).toEqual(['only']);
  });
});

import { describe, it, expect } from 'vitest';
import { importOpenLineageJson, importOpenLineageJsonLines } from './import-openlineage';
import { mergeLineage } from './merge-lineage';

const MAX = 1024 * 1024;
const PRODUCER = 'https://github.com/OpenLineage/OpenLineage/tree/1.9.1/integration/spark';
const RUN_EVENT_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function facet(name: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { _producer: PRODUCER, _schemaURL: `https://openlineage.io/spec/facets/1-0-1/${name}.json#/$defs/${name}`, ...fields };
}

function dataset(namespace: string, name: string, version?: string): Record<string, unknown> {
  return {
    namespace,
    name,
    facets: {
      schema: facet('SchemaDatasetFacet', { fields: [{ name: 'amount', type: 'DECIMAL(12,2)' }] }),
      ...(version === undefined ? {} : { version: facet('DatasetVersionDatasetFacet', { datasetVersion: version }) }),
    },
  };
}

/** A run event shaped like the ones Spark and Airflow integrations emit. */
function runEvent(job: string, inputs: Record<string, unknown>[], outputs: Record<string, unknown>[], eventTime = '2024-03-01T09:10:00.000Z', eventType = 'COMPLETE'): Record<string, unknown> {
  return {
    eventType,
    eventTime,
    run: { runId: '0190a3d5-6b1e-7c4f-9a3e-2f5b8c1d4e6a', facets: { nominalTime: facet('NominalTimeRunFacet', { nominalStartTime: '2024-03-01T09:00:00Z' }) } },
    job: { namespace: 'fraud-pipelines', name: job, facets: { jobType: facet('JobTypeJobFacet', { processingType: 'BATCH', integration: 'SPARK', jobType: 'JOB' }) } },
    inputs,
    outputs,
    producer: PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA,
  };
}

describe('OpenLineage events', () => {
  it('turns a run event into inputs → job → outputs with Marquez ids and the dataset version facet as the version', () => {
    const event = runEvent('fraud_signal_extractor', [dataset('s3://raw', 'data/transactions-q1.parquet', 'v17')], [dataset('s3://features', 'features/schema-v47.json', 'v47')]);
    const imported = importOpenLineageJson('pipeline.openlineage.json', encode(event), MAX);
    expect(imported.nodes.map(({ id, kind, name, version }) => ({ id, kind, name, version }))).toEqual([
      { id: 'job:fraud-pipelines:fraud_signal_extractor', kind: 'transform', name: 'fraud_signal_extractor', version: null },
      { id: 'dataset:s3://raw:data/transactions-q1.parquet', kind: 'dataset', name: 'data/transactions-q1.parquet', version: 'v17' },
      { id: 'dataset:s3://features:features/schema-v47.json', kind: 'dataset', name: 'features/schema-v47.json', version: 'v47' },
    ]);
    expect(imported.edges.map(({ from, to }) => [from, to])).toEqual([
      ['dataset:s3://raw:data/transactions-q1.parquet', 'job:fraud-pipelines:fraud_signal_extractor'],
      ['job:fraud-pipelines:fraud_signal_extractor', 'dataset:s3://features:features/schema-v47.json'],
    ]);
  });

  it('reads an array of events; a dataset seen twice is one node with the version of the latest event', () => {
    const later = runEvent('train', [dataset('s3://features', 'features/schema-v47.json', 'v48')], [dataset('s3://models', 'model/fraud-m92.onnx')], '2024-03-02T10:00:00+02:00');
    const earlier = runEvent('extract', [dataset('s3://raw', 'raw')], [dataset('s3://features', 'features/schema-v47.json', 'v47')], '2024-03-01T09:10:00Z');
    const imported = importOpenLineageJson('runs.openlineage.json', encode([later, earlier]), MAX);
    const features = imported.nodes.filter((node) => node.id === 'dataset:s3://features:features/schema-v47.json');
    expect(features).toHaveLength(1);
    expect(features[0]!.version).toBe('v48');
    const { graph } = mergeLineage([imported]);
    expect(graph.nodes).toHaveLength(5);
    expect(graph.edges).toHaveLength(4);
  });

  it('collapses the START and COMPLETE events of one run into the same edges', () => {
    const start = runEvent('extract', [dataset('s3://raw', 'raw')], [dataset('s3://out', 'out')], '2024-03-01T09:00:00Z', 'START');
    const complete = runEvent('extract', [dataset('s3://raw', 'raw')], [dataset('s3://out', 'out')], '2024-03-01T09:10:00Z', 'COMPLETE');
    const imported = importOpenLineageJsonLines('runs.openlineage.jsonl', encode(`${JSON.stringify(start)}\n\n${JSON.stringify(complete)}\r\n`), MAX);
    expect(imported.nodes).toHaveLength(3);
    expect(imported.edges).toHaveLength(2);
  });

  it('links a dataset to the manifest subject of the same name', () => {
    const imported = importOpenLineageJson('p.openlineage.json', encode(runEvent('train', [dataset('s3://features', 'features/schema-v47.json')], [dataset('s3://models', 'model/fraud-m92.onnx')])), MAX);
    const { graph } = mergeLineage([imported], { subjectNames: new Set(['model/fraud-m92.onnx']) });
    expect(graph.nodes.find((node) => node.id === 'dataset:s3://models:model/fraud-m92.onnx')!.subject).toBe('model/fraud-m92.onnx');
    expect(graph.nodes.find((node) => node.id === 'dataset:s3://features:features/schema-v47.json')!.subject).toBeNull();
  });

  it('reads job events (static lineage, no run) and dataset events', () => {
    const jobEvent = { eventTime: '2024-03-01T09:00:00Z', job: { namespace: 'ns', name: 'j' }, inputs: [dataset('ns', 'in')], outputs: [], producer: PRODUCER, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent' };
    const datasetEvent = { eventTime: '2024-03-01T09:00:00Z', dataset: dataset('ns', 'alone', 'v1'), producer: PRODUCER, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent' };
    const imported = importOpenLineageJson('s.openlineage.json', encode([jobEvent, datasetEvent]), MAX);
    expect(imported.nodes.map((node) => node.id)).toEqual(['job:ns:j', 'dataset:ns:in', 'dataset:ns:alone']);
  });

  it('names the line and JSON path of a bad event in a .jsonl file', () => {
    const good = JSON.stringify(runEvent('a', [], []));
    const { runId: _runId, ...runWithoutId } = runEvent('b', [], []).run as Record<string, unknown>;
    const bad = JSON.stringify({ ...runEvent('b', [], []), run: runWithoutId });
    expect(() => importOpenLineageJsonLines('x.openlineage.jsonl', encode(`${good}\n${bad}\n`), MAX)).toThrow('x.openlineage.jsonl line 2 $.run: missing required field "runId"');
  });

  it('refuses events without eventTime, producer or schemaURL, an unknown eventType and a bad time', () => {
    const event = runEvent('a', [], []);
    for (const field of ['eventTime', 'producer', 'schemaURL']) {
      const { [field]: _dropped, ...rest } = event;
      expect(() => importOpenLineageJson('e.openlineage.json', encode(rest), MAX)).toThrow(`e.openlineage.json $: missing required field "${field}"`);
    }
    expect(() => importOpenLineageJson('e.openlineage.json', encode({ ...event, eventType: 'DONE' }), MAX)).toThrow('$.eventType: unknown run event type "DONE"');
    expect(() => importOpenLineageJson('e.openlineage.json', encode({ ...event, eventTime: 'yesterday' }), MAX)).toThrow('$.eventTime: "yesterday" is not an ISO 8601');
    expect(() => importOpenLineageJson('e.openlineage.json', encode([event, { producer: PRODUCER }]), MAX)).toThrow('e.openlineage.json $[1]: missing required field "eventTime"');
  });
});

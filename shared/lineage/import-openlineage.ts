import { jsonPathChild } from '../json/json-path';
import { parseStrictJson, type JsonObject, type JsonValue } from '../json/strict-json';
import { FormatError } from '../formats/format-error';
import { expectArray, expectNonEmptyString, expectObject, expectString, optionalField, requiredField } from '../formats/json-fields';
import type { ImportedEdge, ImportedLineage, ImportedNode } from './imported-lineage';
import { LineageError } from './lineage-error';
import { withinFile } from './within-file';

/**
 * Reads OpenLineage events (https://openlineage.io/spec): a `.json` file holds one event or
 * an array of them, a `.jsonl` file one event per line. Run events and job events give
 * inputs → job → outputs; dataset events give a dataset alone. Node ids follow Marquez:
 * `job:<namespace>:<name>` and `dataset:<namespace>:<name>`.
 *
 * A dataset seen in several events takes the version (the `version` dataset facet's
 * `datasetVersion`) of the latest event by `eventTime` that gives one. Facets are extensions
 * by design: they are read where understood and otherwise left alone, not reported.
 */

const RUN_EVENT_TYPES = new Set(['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']);

export function importOpenLineageJson(file: string, bytes: Uint8Array, maxBytes: number): ImportedLineage {
  const events = withinFile(file, () => {
    const document = parseStrictJson(bytes, { maxBytes });
    return Array.isArray(document) ? document.map((event, index) => ({ event, path: jsonPathChild('$', index) })) : [{ event: document, path: '$' }];
  });
  return collectEvents(file, events);
}

export function importOpenLineageJsonLines(file: string, bytes: Uint8Array, maxBytes: number): ImportedLineage {
  if (bytes.length > maxBytes) throw new LineageError(file, `larger than the ${maxBytes}-byte cap`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new LineageError(file, 'not valid UTF-8');
  }
  const events: LocatedEvent[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const where = `${file} line ${index + 1}`;
    events.push({ event: withinFile(where, () => parseStrictJson(line, { maxBytes })), path: '$', where });
  });
  return collectEvents(file, events);
}

interface LocatedEvent {
  event: JsonValue;
  /** The event's JSON path in its document. */
  path: string;
  /** The file, or the file and line, it came from. */
  where?: string;
}

interface EventLineage {
  time: number;
  job: ImportedNode | null;
  inputs: ImportedNode[];
  outputs: ImportedNode[];
  dataset: ImportedNode | null;
}

function collectEvents(file: string, located: readonly LocatedEvent[]): ImportedLineage {
  const read = located.map(({ event, path, where }) => {
    const place = where ?? file;
    return withinFile(place, () => readEvent(event, path, place));
  });
  // Stable: events of the same time keep their file order, so the last one written wins.
  read.sort((a, b) => a.time - b.time);

  const nodes = new Map<string, ImportedNode>();
  const edges = new Map<string, ImportedEdge>();
  const addNode = (node: ImportedNode): void => {
    const known = nodes.get(node.id);
    if (!known) nodes.set(node.id, node);
    else if (node.version !== null) known.version = node.version;
  };
  const addEdge = (from: ImportedNode, to: ImportedNode): void => {
    const key = `${from.id}\u0000${to.id}`;
    if (!edges.has(key)) edges.set(key, { from: from.id, to: to.id, location: to.location });
  };
  for (const event of read) {
    if (event.dataset) addNode(event.dataset);
    if (!event.job) continue;
    addNode(event.job);
    for (const input of event.inputs) {
      addNode(input);
      addEdge(input, event.job);
    }
    for (const output of event.outputs) {
      addNode(output);
      addEdge(event.job, output);
    }
  }
  return { file, nodes: [...nodes.values()], edges: [...edges.values()], findings: [] };
}

function readEvent(value: JsonValue, path: string, place: string): EventLineage {
  const event = expectObject(value, path);
  const eventTimePath = jsonPathChild(path, 'eventTime');
  const eventTime = expectNonEmptyString(requiredField(event, 'eventTime', path), eventTimePath);
  const time = Date.parse(eventTime);
  if (Number.isNaN(time)) throw new FormatError(eventTimePath, `${JSON.stringify(eventTime)} is not an ISO 8601 date and time`);
  expectNonEmptyString(requiredField(event, 'producer', path), jsonPathChild(path, 'producer'));
  expectNonEmptyString(requiredField(event, 'schemaURL', path), jsonPathChild(path, 'schemaURL'));

  const run = optionalField(event, 'run');
  const job = optionalField(event, 'job');
  const dataset = optionalField(event, 'dataset');
  if (run !== undefined) {
    const runPath = jsonPathChild(path, 'run');
    expectNonEmptyString(requiredField(expectObject(run, runPath), 'runId', runPath), `${runPath}.runId`);
    const eventType = optionalField(event, 'eventType');
    if (eventType !== undefined) {
      const typePath = jsonPathChild(path, 'eventType');
      if (!RUN_EVENT_TYPES.has(expectString(eventType, typePath))) {
        throw new FormatError(typePath, `unknown run event type ${JSON.stringify(eventType)}; expected one of ${[...RUN_EVENT_TYPES].join(', ')}`);
      }
    }
    if (job === undefined) throw new FormatError(path, 'missing required field "job"');
  }
  if (job !== undefined) {
    return {
      time,
      job: readJob(job, jsonPathChild(path, 'job'), place),
      inputs: readDatasets(event, path, 'inputs', place),
      outputs: readDatasets(event, path, 'outputs', place),
      dataset: null,
    };
  }
  if (dataset !== undefined) return { time, job: null, inputs: [], outputs: [], dataset: readDataset(dataset, jsonPathChild(path, 'dataset'), place) };
  throw new FormatError(path, 'not an OpenLineage event: expected a run event ("run" and "job"), a job event ("job") or a dataset event ("dataset")');
}

function readNamed(value: JsonValue, path: string): { object: JsonObject; namespace: string; name: string } {
  const object = expectObject(value, path);
  return {
    object,
    namespace: expectNonEmptyString(requiredField(object, 'namespace', path), `${path}.namespace`),
    name: expectNonEmptyString(requiredField(object, 'name', path), `${path}.name`),
  };
}

function readJob(value: JsonValue, path: string, place: string): ImportedNode {
  const { namespace, name } = readNamed(value, path);
  return { id: `job:${namespace}:${name}`, kind: 'transform', kindDeclared: false, name, version: null, subject: null, linkSubjectByName: false, location: `${place} ${path}` };
}

function readDatasets(event: JsonObject, eventPath: string, key: 'inputs' | 'outputs', place: string): ImportedNode[] {
  const value = optionalField(event, key);
  if (value === undefined) return [];
  const listPath = jsonPathChild(eventPath, key);
  return expectArray(value, listPath).map((item, index) => readDataset(item, jsonPathChild(listPath, index), place));
}

function readDataset(value: JsonValue, path: string, place: string): ImportedNode {
  const { object, namespace, name } = readNamed(value, path);
  return {
    id: `dataset:${namespace}:${name}`,
    kind: 'dataset',
    kindDeclared: false,
    name,
    version: readDatasetVersion(object, path),
    subject: null,
    linkSubjectByName: true,
    location: `${place} ${path}`,
  };
}

/** The `version` dataset facet (DatasetVersionDatasetFacet): `facets.version.datasetVersion`. */
function readDatasetVersion(dataset: JsonObject, path: string): string | null {
  const facets = optionalField(dataset, 'facets');
  if (facets === undefined) return null;
  const facetsPath = jsonPathChild(path, 'facets');
  const versionFacet = optionalField(expectObject(facets, facetsPath), 'version');
  if (versionFacet === undefined) return null;
  // A facet of only `_deleted: true` removes the version: no datasetVersion, no version.
  const version = optionalField(expectObject(versionFacet, `${facetsPath}.version`), 'datasetVersion');
  return version === undefined ? null : expectNonEmptyString(version, `${facetsPath}.version.datasetVersion`);
}

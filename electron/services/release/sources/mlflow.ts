import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DomainError } from '../../../../shared/errors/domain-error';
import type { JsonObject, JsonValue } from '../../../../shared/json/strict-json';
import { parseStrictYaml } from '../../../../shared/lineage/yaml-document';
import type { ArtifactKind } from '../../../../shared/verify/report';
import { emptyContribution, type ShippedFile, type SourceContribution } from './contribution';
import { listFiles, readCapped, resolveInside, SourceError, sourceDirectory } from './source-files';

/** MLmodel, meta.yaml and a dataset's meta.yaml are a few KiB; a signature of thousands of columns stays well under this. */
export const MAX_MLFLOW_YAML_BYTES = 1024 * 1024;
/** A param or tag value: MLflow caps params at 6000 characters; tags such as the log-model history are larger. */
const MAX_VALUE_BYTES = 1024 * 1024;

/** Params read as the run's seed, the first present wins (README: "MLflow source"). */
export const SEED_PARAMS = ['seed', 'random_seed', 'random_state', 'rng_seed'] as const;

/** The environment files MLflow writes beside MLmodel; shipped as lock files. */
const ENVIRONMENT_FILES = new Set(['conda.yaml', 'python_env.yaml', 'requirements.txt']);
/** Files of a model directory that describe the model rather than hold it. */
const DESCRIPTIVE_FILES: Record<string, ArtifactKind> = { MLmodel: 'config', 'input_example.json': 'other', 'serving_input_example.json': 'other', registered_model_meta: 'other' };
/** Flavor fields that name a file or directory inside the model directory. */
const FLAVOR_PATH_FIELDS = new Set(['model_path', 'data', 'pickled_model', 'model_data', 'saved_model_dir', 'code', 'artifacts_path']);

/** MLflow's RunStatus enum, as the file store writes it (an integer) into meta.yaml. */
const RUN_STATUS: Record<number, string> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };

const RUN_ID = /^[0-9a-f]{32}$/;
const DATASET_ID = /^[0-9a-f]{32}$/;

/**
 * `--mlflow <run or model directory>`, as MLflow's file store (mlruns/) lays them out:
 * - a model directory (holds `MLmodel`): its files shipped under `mlflow/<directory name>/`:
 *   MLmodel as config, conda.yaml / python_env.yaml / requirements.txt as lock files, the rest as
 *   model files; flavors, run_id, model_uuid, mlflow_version and signature recorded in
 *   `environment.mlflow.models`. Paths the flavors name must lie inside the directory.
 * - a run directory (`mlruns/<experiment id>/<run id>/`: meta.yaml, params/, metrics/, tags/,
 *   artifacts/, inputs/): every model directory under artifacts/ as above; the seed from the first
 *   of the params seed, random_seed, random_state, rng_seed that holds an integer; each metric's
 *   latest value (highest step, then latest timestamp, as MLflow reports it) as the evaluation
 *   metrics; and, where the run logged dataset inputs (inputs/<id>/meta.yaml naming
 *   ../datasets/<id>/meta.yaml in the experiment directory, MLflow 2.4 and later), an OpenLineage
 *   run event `mlflow-run.openlineage.json`: the datasets (name, digest as version) → the run →
 *   the models (named by their MLmodel subject, so they link to it).
 */
export async function collectMlflow(given: string): Promise<SourceContribution> {
  const directory = await sourceDirectory(given, 'The MLflow directory');
  if ((await resolveInside(directory, 'MLmodel', 'The MLflow directory')) !== null) {
    const contribution = emptyContribution();
    const model = await readModelDirectory(directory, `mlflow/${path.basename(directory)}`);
    contribution.files.push(...model.files);
    contribution.environment = { mlflow: { models: [model.record] } };
    return contribution;
  }
  if ((await resolveInside(directory, 'meta.yaml', 'The MLflow directory')) !== null) return readRun(directory);
  throw new SourceError('invalid-input', `${given} is neither an MLflow model directory (no MLmodel) nor an MLflow run directory (no meta.yaml).`);
}

interface ModelDirectory {
  files: ShippedFile[];
  record: JsonObject;
  mlmodelSubject: string;
}

async function readModelDirectory(directory: string, prefix: string): Promise<ModelDirectory> {
  const mlmodel = object(await readYaml(path.join(directory, 'MLmodel'), `${prefix}/MLmodel`), `${prefix}/MLmodel`);
  const flavors = mlmodel.flavors;
  if (flavors === undefined || flavors === null || typeof flavors !== 'object' || Array.isArray(flavors) || Object.keys(flavors).length === 0) {
    throw new SourceError('invalid-format', `${prefix}/MLmodel has no flavors: it is not a model MLflow can load.`);
  }
  for (const [flavor, settings] of Object.entries(flavors)) {
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) continue;
    for (const [field, value] of Object.entries(settings)) {
      if (!FLAVOR_PATH_FIELDS.has(field) || typeof value !== 'string') continue;
      const what = `${prefix}/MLmodel flavors.${flavor}.${field}`;
      if ((await resolveInside(directory, value, what)) === null) throw new SourceError('invalid-format', `${what} names ${JSON.stringify(value)}, which is not in the model directory.`);
    }
  }

  const files = (await listFiles(directory, prefix)).map((name): ShippedFile => {
    const base = name.includes('/') ? null : name;
    const kind: ArtifactKind = base !== null && ENVIRONMENT_FILES.has(base) ? 'lockfile' : base !== null ? (DESCRIPTIVE_FILES[base] ?? 'model') : 'model';
    return { path: path.join(directory, ...name.split('/')), name: `${prefix}/${name}`, kind };
  });
  const record: JsonObject = { path: prefix, flavors: Object.keys(flavors).sort() };
  for (const [field, key] of [
    ['run_id', 'runId'],
    ['model_uuid', 'modelUuid'],
    ['mlflow_version', 'mlflowVersion'],
    ['utc_time_created', 'createdAt'],
  ] as const) {
    const value = mlmodel[field];
    if (typeof value === 'string' || typeof value === 'number') record[key] = String(value);
  }
  if (mlmodel.signature !== undefined && mlmodel.signature !== null) record.signature = mlmodel.signature;
  return { files, record, mlmodelSubject: `${prefix}/MLmodel` };
}

async function readRun(runDirectory: string): Promise<SourceContribution> {
  const meta = object(await readYaml(path.join(runDirectory, 'meta.yaml'), 'meta.yaml'), 'meta.yaml');
  const runId = typeof meta.run_id === 'string' ? meta.run_id : typeof meta.run_uuid === 'string' ? meta.run_uuid : null;
  if (runId === null || !RUN_ID.test(runId)) throw new SourceError('invalid-format', `meta.yaml of ${runDirectory} names no run_id of 32 hex digits: it is not an MLflow run.`);
  const experimentId = typeof meta.experiment_id === 'string' || typeof meta.experiment_id === 'number' ? String(meta.experiment_id) : null;
  const status = typeof meta.status === 'number' ? (RUN_STATUS[meta.status] ?? String(meta.status)) : null;

  const contribution = emptyContribution();
  const params = await readValues(runDirectory, 'params');
  const tags = await readValues(runDirectory, 'tags');
  contribution.metrics = {};
  const nonFinite: string[] = [];
  for (const [name, value] of await readMetrics(runDirectory)) {
    if (Number.isFinite(value)) contribution.metrics[name] = value;
    else nonFinite.push(name);
  }

  const models: ModelDirectory[] = [];
  const artifacts = await resolveInside(runDirectory, 'artifacts', 'The MLflow run');
  if (artifacts?.isDirectory) {
    const modelDirectories = (await listFiles(artifacts.absolute, 'The MLflow run artifacts/'))
      .filter((name) => name === 'MLmodel' || name.endsWith('/MLmodel'))
      .map((name) => name.slice(0, -'MLmodel'.length).replace(/\/$/, ''));
    for (const relative of modelDirectories) {
      const modelDirectory = relative === '' ? artifacts.absolute : path.join(artifacts.absolute, ...relative.split('/'));
      models.push(await readModelDirectory(modelDirectory, `mlflow/${relative === '' ? 'model' : relative}`));
    }
  }
  for (const model of models) contribution.files.push(...model.files);

  const run: JsonObject = { runId };
  if (experimentId !== null) run.experimentId = experimentId;
  const runName = typeof meta.run_name === 'string' ? meta.run_name : tags.get('mlflow.runName');
  if (runName !== undefined) run.runName = runName;
  if (status !== null) run.status = status;
  const gitCommit = tags.get('mlflow.source.git.commit');
  if (gitCommit !== undefined) run.sourceGitCommit = gitCommit;
  if (nonFinite.length > 0) run.nonFiniteMetrics = nonFinite;
  const seedParam = SEED_PARAMS.find((name) => params.has(name) && /^-?\d+$/.test(params.get(name)!.trim()) && Number.isSafeInteger(Number(params.get(name)!.trim())));
  if (seedParam !== undefined) run.seedParam = seedParam;
  contribution.environment = { mlflow: { run, models: models.map((model) => model.record) } };
  if (seedParam !== undefined) contribution.environment.seed = Number(params.get(seedParam)!.trim());

  const inputs = await readDatasetInputs(runDirectory);
  if (inputs.length > 0) {
    const event = {
      eventType: 'COMPLETE',
      eventTime: millisecondsToTime(meta.end_time) ?? millisecondsToTime(meta.start_time) ?? '1970-01-01T00:00:00Z',
      run: { runId: uuidOf(runId) },
      job: { namespace: 'mlflow', name: `experiment-${experimentId ?? 'unknown'}/${runName ?? runId}` },
      inputs: inputs.map((input) => ({ namespace: 'mlflow', name: input.name, ...(input.digest !== null ? { facets: { version: { _producer: PRODUCER, _schemaURL: VERSION_FACET, datasetVersion: input.digest } } } : {}) })),
      outputs: models.map((model) => ({ namespace: 'countersign', name: model.mlmodelSubject })),
      producer: PRODUCER,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    };
    contribution.lineage.push({ fileName: 'mlflow-run.openlineage.json', bytes: new TextEncoder().encode(JSON.stringify(event) + '\n') });
  }
  return contribution;
}

const PRODUCER = 'https://countersign.dev/release/mlflow';
const VERSION_FACET = 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json';

/** `params/` and `tags/`: one file per key (a key with `/` is a nested path), its content the value. */
async function readValues(runDirectory: string, folder: 'params' | 'tags'): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const found = await resolveInside(runDirectory, folder, 'The MLflow run');
  if (found === null || !found.isDirectory) return values;
  for (const key of await listFiles(found.absolute, `The MLflow run ${folder}/`)) {
    const bytes = await readCapped(path.join(found.absolute, ...key.split('/')), MAX_VALUE_BYTES, `${folder}/${key}`);
    values.set(key, decodeUtf8(bytes, `${folder}/${key}`));
  }
  return values;
}

/**
 * `metrics/<key>`: one line per logged value, `<timestamp ms> <value> <step>` (older runs: no
 * step, i.e. step 0). The latest value is the one with the highest step, then the latest
 * timestamp, as MLflow's own "latest metric" is chosen. Read line by line: a long run's file is large.
 */
async function readMetrics(runDirectory: string): Promise<Map<string, number>> {
  const metrics = new Map<string, number>();
  const found = await resolveInside(runDirectory, 'metrics', 'The MLflow run');
  if (found === null || !found.isDirectory) return metrics;
  for (const key of await listFiles(found.absolute, 'The MLflow run metrics/')) {
    const file = path.join(found.absolute, ...key.split('/'));
    let latest: { step: number; timestamp: number; value: number } | null = null;
    let lineNumber = 0;
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const parts = line.trim().split(/\s+/);
      const timestamp = Number(parts[0]);
      const value = metricValue(parts[1]);
      const step = parts[2] === undefined ? 0 : Number(parts[2]);
      if (parts.length > 3 || !/^-?\d+$/.test(parts[0]!) || (parts[2] !== undefined && !/^-?\d+$/.test(parts[2])) || value === null) {
        lines.close();
        throw new SourceError('invalid-format', `metrics/${key} line ${lineNumber} is not "<timestamp> <value> <step>".`);
      }
      const entry = { timestamp, value, step };
      if (latest === null || entry.step > latest.step || (entry.step === latest.step && entry.timestamp >= latest.timestamp)) latest = entry;
    }
    if (latest !== null) metrics.set(key, latest.value);
  }
  return metrics;
}

/** The datasets a run logged as inputs (inputs/<input id>/meta.yaml → ../datasets/<dataset id>/meta.yaml). */
async function readDatasetInputs(runDirectory: string): Promise<Array<{ name: string; digest: string | null }>> {
  const inputsFolder = await resolveInside(runDirectory, 'inputs', 'The MLflow run');
  if (inputsFolder === null || !inputsFolder.isDirectory) return [];
  const experimentDirectory = path.dirname(runDirectory);
  const datasets: Array<{ name: string; digest: string | null }> = [];
  for (const metaFile of (await listFiles(inputsFolder.absolute, 'The MLflow run inputs/')).filter((name) => name.endsWith('/meta.yaml'))) {
    const input = object(await readYaml(path.join(inputsFolder.absolute, ...metaFile.split('/')), `inputs/${metaFile}`), `inputs/${metaFile}`);
    if (input.source_type !== 'DATASET') continue;
    const datasetId = input.source_id;
    if (typeof datasetId !== 'string' || !DATASET_ID.test(datasetId)) throw new SourceError('hostile-input', `inputs/${metaFile} names a dataset ID that is not 32 hex digits.`);
    const datasetMeta = await resolveInside(experimentDirectory, `datasets/${datasetId}/meta.yaml`, 'The MLflow experiment');
    if (datasetMeta === null) throw new SourceError('not-found', `inputs/${metaFile} names dataset ${datasetId}, which is not in the experiment's datasets/.`);
    const dataset = object(await readYaml(datasetMeta.absolute, `datasets/${datasetId}/meta.yaml`), `datasets/${datasetId}/meta.yaml`);
    if (typeof dataset.name !== 'string' || dataset.name === '') throw new SourceError('invalid-format', `datasets/${datasetId}/meta.yaml has no name.`);
    datasets.push({ name: dataset.name, digest: typeof dataset.digest === 'string' && dataset.digest !== '' ? dataset.digest : null });
  }
  return datasets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function readYaml(file: string, what: string): Promise<JsonValue> {
  const stats = await lstat(file).catch(() => null);
  if (stats === null) throw new SourceError('not-found', `${what} does not exist.`);
  if (stats.isSymbolicLink()) throw new SourceError('hostile-input', `${what} is a symbolic link; links are refused, never followed.`);
  const bytes = await readCapped(file, MAX_MLFLOW_YAML_BYTES, what);
  try {
    return parseStrictYaml(bytes, MAX_MLFLOW_YAML_BYTES);
  } catch (error) {
    if (error instanceof DomainError) throw new SourceError('invalid-format', `${what}: ${error.message}`);
    throw error;
  }
}

function object(value: JsonValue, what: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SourceError('invalid-format', `${what} is not a YAML mapping.`);
  return value;
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SourceError('invalid-format', `${what} is not valid UTF-8.`);
  }
}

/** A metric value as Python's str(float) writes it: decimal or exponent notation, nan, inf, -inf. Null: not a number. */
function metricValue(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : null;
}

function millisecondsToTime(value: JsonValue | undefined): string | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) return null;
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** MLflow run IDs are UUIDs without dashes; OpenLineage's runId is a UUID. */
function uuidOf(runId: string): string {
  return `${runId.slice(0, 8)}-${runId.slice(8, 12)}-${runId.slice(12, 16)}-${runId.slice(16, 20)}-${runId.slice(20)}`;
}

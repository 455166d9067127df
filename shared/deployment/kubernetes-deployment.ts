import { Composer, LineCounter, Parser, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions, type YAMLError } from 'yaml';
import type { Finding } from '../verify/report';
import { DEPLOYMENT_LIMITS, DeploymentFormatError, imageArtifact, storageArtifact, type ProposedArtifact, type ProposedDeployment } from './proposed-deployment';

/**
 * Reads Kubernetes YAML (FORMATS §8): every container, init container and ephemeral container
 * image of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job
 * or CronJob, and of a KServe InferenceService its `storageUri`s and images. Objects of other
 * kinds are listed as skipped. A `kind: List` is read item by item.
 *
 * The file is hostile. yaml (v2) is configured so that it can neither run long nor grow large:
 * the size is capped before parsing (parsing is linear in it), documents are composed one at a
 * time up to a count cap, alias expansion is capped (billion laughs), merge keys are off,
 * duplicate keys and non-scalar keys are errors, and any tag outside the YAML 1.2 core schema
 * is an error rather than a string. Every error names the file, the document and the line.
 */

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  customTags: [],
  merge: false,
  uniqueKeys: true,
  stringKeys: true,
  strict: true,
  intAsBigInt: false,
  resolveKnownTags: false,
  logLevel: 'silent',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

/** Where the pod spec sits in each workload kind. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
const KSERVE_API_GROUP = 'serving.kserve.io/';
/** KServe predictor fields that hold one model server: each may carry `storageUri` and `image`. */
const KSERVE_MODEL_FIELDS = ['model', 'sklearn', 'xgboost', 'lightgbm', 'tensorflow', 'pytorch', 'triton', 'onnx', 'pmml', 'paddle', 'huggingface'] as const;
const KSERVE_COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;

export function parseKubernetesDeployment(input: Uint8Array | string, fileName: string): ProposedDeployment {
  const text = decode(input, fileName);
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer<never, true>(YAML_OPTIONS);
  const reader = new ManifestReader(fileName);

  let documentNumber = 0;
  for (const document of composer.compose(parser.parse(text), true, text.length)) {
    documentNumber++;
    const where = `${fileName} document ${documentNumber}`;
    if (documentNumber > DEPLOYMENT_LIMITS.maxDocuments) {
      throw new DeploymentFormatError(where, `more than ${DEPLOYMENT_LIMITS.maxDocuments} YAML documents in one file`);
    }
    const problem = document.errors[0] ?? document.warnings[0];
    if (problem !== undefined) throw new DeploymentFormatError(where, describeYamlError(problem, lineCounter));
    reader.readDocument(toJson(document, where), documentNumber);
  }
  return { format: 'kubernetes', environment: reader.namespace, artifacts: reader.artifacts, findings: reader.findings };
}

function decode(input: Uint8Array | string, fileName: string): string {
  const byteLength = typeof input === 'string' ? new TextEncoder().encode(input).length : input.length;
  if (byteLength > DEPLOYMENT_LIMITS.maxBytes) {
    throw new DeploymentFormatError(fileName, `the file is ${byteLength} bytes, more than the limit of ${DEPLOYMENT_LIMITS.maxBytes} bytes`);
  }
  if (typeof input === 'string') return input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new DeploymentFormatError(fileName, 'the file is not valid UTF-8');
  }
}

function describeYamlError(error: YAMLError, lineCounter: LineCounter): string {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const message = error.code === 'TAG_RESOLVE_FAILED' ? `${error.message} (only the YAML 1.2 core schema's tags are accepted)` : error.message;
  return `line ${line}, column ${col}: ${message}`;
}

function toJson(document: Document.Parsed<never, true>, where: string): Json {
  try {
    return document.toJS({ maxAliasCount: DEPLOYMENT_LIMITS.maxAliasCount }) as Json;
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new DeploymentFormatError(where, `too many alias expansions (more than ${DEPLOYMENT_LIMITS.maxAliasCount}): refused as an alias bomb`);
    }
    if (error instanceof RangeError) throw new DeploymentFormatError(where, 'the document is nested too deeply');
    throw new DeploymentFormatError(where, error instanceof Error ? error.message : String(error));
  }
}

function isMap(value: Json | undefined): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(object: JsonMap, key: string): Json | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function stringField(object: JsonMap, key: string): string | null {
  const value = field(object, key);
  return typeof value === 'string' ? value : null;
}

class ManifestReader {
  readonly artifacts: ProposedArtifact[] = [];
  readonly findings: Finding[] = [];
  /** The namespace the workloads are in, when they agree on one: shown as the environment. */
  namespace: string | null = null;
  private namespaces = new Set<string>();

  constructor(private readonly fileName: string) {}

  readDocument(value: Json, documentNumber: number): void {
    if (value === null) return;
    this.readObject(value, `${this.fileName} document ${documentNumber}`, '');
  }

  private readObject(value: Json, where: string, prefix: string): void {
    if (!isMap(value)) throw new DeploymentFormatError(where, 'expected a Kubernetes object (a mapping with "kind")');
    const kind = stringField(value, 'kind');
    if (kind === null) throw new DeploymentFormatError(where, `${prefix || 'the object'} has no "kind"`);

    if (kind === 'List') {
      const items = field(value, 'items');
      if (!Array.isArray(items)) throw new DeploymentFormatError(where, `${prefix}items: expected a list`);
      items.forEach((item, index) => this.readObject(item, where, `${prefix}items[${index}].`));
      return;
    }

    const metadata = field(value, 'metadata');
    const name = isMap(metadata) ? stringField(metadata, 'name') : null;
    const namespace = isMap(metadata) ? stringField(metadata, 'namespace') : null;
    const label = `${where} (${kind}${name === null ? '' : ` ${name}`})`;
    const apiVersion = stringField(value, 'apiVersion') ?? '';

    const podSpecPath = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind]! : null;
    if (podSpecPath !== null) {
      const podSpec = this.descend(value, podSpecPath, label, prefix);
      this.readContainers(podSpec, label, `${prefix}${podSpecPath.join('.')}`);
    } else if (kind === 'InferenceService' && apiVersion.startsWith(KSERVE_API_GROUP)) {
      this.readInferenceService(value, label, prefix);
    } else {
      this.findings.push({ severity: 'info', code: 'object-skipped', message: `${label}: a ${kind} deploys no artifact; skipped.`, location: label });
      return;
    }
    if (namespace !== null) this.noteNamespace(namespace);
  }

  private descend(object: JsonMap, path: readonly string[], label: string, prefix: string): JsonMap {
    let current: Json | undefined = object;
    const walked: string[] = [];
    for (const key of path) {
      walked.push(key);
      current = isMap(current) ? field(current, key) : undefined;
      if (!isMap(current)) throw new DeploymentFormatError(label, `${prefix}${walked.join('.')}: expected a mapping`);
    }
    return current as JsonMap;
  }

  private readContainers(podSpec: JsonMap, label: string, specPath: string): void {
    for (const list of CONTAINER_LISTS) {
      const containers = field(podSpec, list);
      if (containers === undefined || containers === null) continue;
      if (!Array.isArray(containers)) throw new DeploymentFormatError(label, `${specPath}.${list}: expected a list`);
      containers.forEach((container, index) => {
        const path = `${specPath}.${list}[${index}]`;
        if (!isMap(container)) throw new DeploymentFormatError(label, `${path}: expected a mapping`);
        this.readImage(container, label, path, true);
      });
    }
  }

  private readImage(container: JsonMap, label: string, path: string, required: boolean): void {
    const image = field(container, 'image');
    if (image === undefined || image === null) {
      if (required) this.findings.push({ severity: 'warning', code: 'container-without-image', message: `${label} ${path} has no image; nothing to compare.`, location: `${label} ${path}` });
      return;
    }
    if (typeof image !== 'string') throw new DeploymentFormatError(label, `${path}.image: expected a string`);
    this.add(imageArtifact(image, `${label} ${path}.image`, this.findings));
  }

  private readInferenceService(service: JsonMap, label: string, prefix: string): void {
    const spec = this.descend(service, ['spec'], label, prefix);
    for (const componentName of KSERVE_COMPONENTS) {
      const component = field(spec, componentName);
      if (component === undefined || component === null) continue;
      const componentPath = `${prefix}spec.${componentName}`;
      if (!isMap(component)) throw new DeploymentFormatError(label, `${componentPath}: expected a mapping`);
      this.readContainers(component, label, componentPath);
      if (componentName !== 'predictor') continue;
      for (const modelField of KSERVE_MODEL_FIELDS) {
        const server = field(component, modelField);
        if (server === undefined || server === null) continue;
        const serverPath = `${componentPath}.${modelField}`;
        if (!isMap(server)) throw new DeploymentFormatError(label, `${serverPath}: expected a mapping`);
        const storageUri = field(server, 'storageUri');
        if (storageUri !== undefined && storageUri !== null) {
          if (typeof storageUri !== 'string') throw new DeploymentFormatError(label, `${serverPath}.storageUri: expected a string`);
          this.add(storageArtifact(storageUri, `${label} ${serverPath}.storageUri`, this.findings));
        }
        this.readImage(server, label, serverPath, false);
      }
    }
  }

  private add(artifact: ProposedArtifact): void {
    if (this.artifacts.length >= DEPLOYMENT_LIMITS.maxArtifacts) {
      throw new DeploymentFormatError(this.fileName, `more than ${DEPLOYMENT_LIMITS.maxArtifacts} artifacts in one deployment`);
    }
    this.artifacts.push(artifact);
  }

  private noteNamespace(namespace: string): void {
    this.namespaces.add(namespace);
    this.namespace = this.namespaces.size === 1 ? namespace : null;
  }
}

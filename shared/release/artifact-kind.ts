import { InvalidInputError } from '../errors/domain-error';
import type { ArtifactKind } from '../verify/report';
import { artifactKindSchema } from '../verify/report';
import { compileGlob, type GlobMatcher } from './glob';

/** What a shipped file is, by its name, unless a `--kind <glob>=<kind>` says otherwise. */
export interface KindOfFile {
  kind: ArtifactKind;
  mediaType?: string;
}

const MODEL_EXTENSIONS = ['onnx', 'safetensors', 'gguf', 'pt', 'pkl', 'joblib', 'h5', 'keras', 'pb', 'tflite'];
const DATASET_EXTENSIONS = ['parquet', 'csv', 'jsonl', 'arrow', 'tfrecord'];
const CONFIG_EXTENSIONS = ['json', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf'];
/** Files that pin an environment's packages, by their whole name (any `*.lock` is one too). */
const LOCK_FILE_NAMES = new Set([
  'requirements.txt',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'go.sum',
  'conda-lock.yml',
  'conda.yaml',
  'python_env.yaml',
]);
/** Registered or de-facto media types, only where one is well established. */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  onnx: 'application/onnx',
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  toml: 'application/toml',
};

export function kindFromName(name: string): KindOfFile {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  const mediaType = MEDIA_TYPES[extension];
  const withMedia = (kind: ArtifactKind): KindOfFile => (mediaType === undefined ? { kind } : { kind, mediaType });
  if (LOCK_FILE_NAMES.has(base) || extension === 'lock') return withMedia('lockfile');
  if (MODEL_EXTENSIONS.includes(extension)) return withMedia('model');
  if (DATASET_EXTENSIONS.includes(extension)) return withMedia('dataset');
  if (CONFIG_EXTENSIONS.includes(extension)) return withMedia('config');
  return withMedia('other');
}

export interface KindOverride {
  glob: GlobMatcher;
  kind: ArtifactKind;
}

/** `--kind <glob>=<kind>`, e.g. `--kind 'features/*.json=features'`. */
export function parseKindOverride(text: string): KindOverride {
  const equals = text.lastIndexOf('=');
  if (equals <= 0) throw new InvalidInputError(`--kind ${JSON.stringify(text)}: write <glob>=<kind>, e.g. 'features/*.json=features'`);
  const kind = artifactKindSchema.safeParse(text.slice(equals + 1));
  if (!kind.success) throw new InvalidInputError(`--kind ${JSON.stringify(text)}: the kind must be one of ${artifactKindSchema.options.join(', ')}`);
  return { glob: compileGlob(text.slice(0, equals)), kind: kind.data };
}

/** The kind of a shipped file: the last `--kind` whose glob matches wins, else the name decides. */
export function kindOfFile(name: string, overrides: readonly KindOverride[]): KindOfFile {
  const fromName = kindFromName(name);
  for (let i = overrides.length - 1; i >= 0; i--) {
    const override = overrides[i]!;
    if (override.glob.matches(name)) return fromName.mediaType === undefined ? { kind: override.kind } : { kind: override.kind, mediaType: fromName.mediaType };
  }
  return fromName;
}

import type { ArtifactKind } from '../../../../shared/verify/report';

const MODEL_EXTENSIONS = new Set(['onnx', 'safetensors', 'gguf', 'pt', 'pth', 'pkl', 'joblib', 'h5', 'keras', 'pb', 'tflite', 'ubj', 'cbm', 'bin']);
const DATASET_EXTENSIONS = new Set(['parquet', 'csv', 'jsonl', 'arrow', 'tfrecord', 'tsv', 'feather']);
const LOCK_FILES = new Set(['requirements.txt', 'conda.yaml', 'python_env.yaml', 'poetry.lock', 'uv.lock', 'pipfile.lock', 'package-lock.json', 'environment.yml']);
const CONFIG_EXTENSIONS = new Set(['yaml', 'yml', 'json', 'toml', 'ini', 'cfg']);

/** The kind a source gives a file it ships, by its name (FORMATS §4 kinds); `other` when nothing says more. */
export function kindOfFile(name: string): ArtifactKind {
  const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  if (LOCK_FILES.has(base) || base.endsWith('.lock')) return 'lockfile';
  const extension = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  if (MODEL_EXTENSIONS.has(extension)) return 'model';
  if (DATASET_EXTENSIONS.has(extension)) return 'dataset';
  if (CONFIG_EXTENSIONS.has(extension)) return 'config';
  return 'other';
}

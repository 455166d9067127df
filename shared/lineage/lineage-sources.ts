import type { ImportedLineage } from './imported-lineage';
import { importDvcLock } from './import-dvc-lock';
import { importNativeLineage } from './import-native';
import { importOpenLineageJson, importOpenLineageJsonLines } from './import-openlineage';

/** Largest lineage file read: a 100,000-node pipeline's lineage.json is about 20 MB. */
export const MAX_LINEAGE_FILE_BYTES = 64 * 1024 * 1024;

export type LineageFormat = 'native' | 'openlineage' | 'openlineage-lines' | 'dvc-lock';

/**
 * The format of a lineage file by its name (FORMATS §7, §9): `dvc.lock`; `*.openlineage.json`;
 * `*.openlineage.jsonl` or any `*.jsonl`; any other `*.json` is native lineage. Null otherwise.
 */
export function lineageFormatOf(fileName: string): LineageFormat | null {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  if (base === 'dvc.lock') return 'dvc-lock';
  if (base.endsWith('.jsonl')) return 'openlineage-lines';
  if (base.endsWith('.openlineage.json')) return 'openlineage';
  if (base.endsWith('.json')) return 'native';
  return null;
}

/** Reads one lineage file; `file` names it in every message. */
export function importLineageFile(file: string, format: LineageFormat, bytes: Uint8Array, maxBytes = MAX_LINEAGE_FILE_BYTES): ImportedLineage {
  switch (format) {
    case 'native':
      return importNativeLineage(file, bytes, maxBytes);
    case 'openlineage':
      return importOpenLineageJson(file, bytes, maxBytes);
    case 'openlineage-lines':
      return importOpenLineageJsonLines(file, bytes, maxBytes);
    case 'dvc-lock':
      return importDvcLock(file, bytes, maxBytes);
  }
}

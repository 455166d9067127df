import { jsonPathChild } from '../json/json-path';
import type { JsonValue } from '../json/strict-json';
import { FormatError } from '../formats/format-error';
import { collectUnknownFields, expectArray, expectNonEmptyString, expectObject, optionalField, requiredField } from '../formats/json-fields';
import type { Finding } from '../verify/report';
import type { ImportedEdge, ImportedLineage, ImportedNode } from './imported-lineage';
import { withinFile } from './within-file';
import { parseStrictYaml } from './yaml-document';

const DOCUMENT_FIELDS = new Set(['schema', 'stages']);
const STAGE_FIELDS = new Set(['cmd', 'deps', 'outs', 'params']);
const FILE_FIELDS = new Set(['path', 'hash', 'md5', 'etag', 'checksum', 'size', 'nfiles', 'isexec', 'cloud', 'version_id', 'files', 'remote', 'push']);
/** Where DVC writes a file's content hash, in the order they are preferred as the node's version. */
const HASH_FIELDS = ['md5', 'etag', 'checksum'] as const;

/**
 * Reads DVC's `dvc.lock` (schema 2.0): each stage becomes a transform node `stage:<name>`,
 * each dependency and output a dataset node `path:<path>` whose version is its content hash;
 * edges run deps → stage → outs. Parameters are values, not files: they make no node.
 */
export function importDvcLock(file: string, bytes: Uint8Array, maxBytes: number): ImportedLineage {
  return withinFile(file, () => {
    const document = expectObject(parseStrictYaml(bytes, maxBytes), '$');
    const unknownFields: string[] = [];
    collectUnknownFields(document, '$', DOCUMENT_FIELDS, unknownFields);
    const schema = requiredField(document, 'schema', '$');
    if (schema !== '2.0') throw new FormatError('$.schema', `expected "2.0" (the dvc.lock format of DVC 2 and later), got ${JSON.stringify(schema)}`);

    const nodes = new Map<string, ImportedNode>();
    const edges = new Map<string, ImportedEdge>();
    const stagesValue = optionalField(document, 'stages');
    const stages = stagesValue === undefined ? {} : expectObject(stagesValue, '$.stages');
    for (const [stageName, stageValue] of Object.entries(stages)) {
      const stagePath = jsonPathChild('$.stages', stageName);
      const stage = expectObject(stageValue, stagePath);
      collectUnknownFields(stage, stagePath, STAGE_FIELDS, unknownFields);
      readCommand(requiredField(stage, 'cmd', stagePath), `${stagePath}.cmd`);
      const stageNode: ImportedNode = {
        id: `stage:${stageName}`,
        kind: 'transform',
        kindDeclared: false,
        name: stageName,
        version: null,
        subject: null,
        linkSubjectByName: false,
        location: `${file} ${stagePath}`,
      };
      nodes.set(stageNode.id, stageNode);

      for (const dep of readFiles(stage, stagePath, 'deps', file, unknownFields)) {
        const node = addPath(nodes, dep, false);
        edges.set(`${node.id}\u0000${stageNode.id}`, { from: node.id, to: stageNode.id, location: dep.location });
      }
      for (const out of readFiles(stage, stagePath, 'outs', file, unknownFields)) {
        const node = addPath(nodes, out, true);
        edges.set(`${stageNode.id}\u0000${node.id}`, { from: stageNode.id, to: node.id, location: out.location });
      }
    }
    const findings = unknownFields.map(
      (path): Finding => ({ severity: 'info', code: 'unknown-field', message: `Field ${path} of ${file} is not interpreted by this version; it is kept in the file.`, location: `${file} ${path}` }),
    );
    return { file, nodes: [...nodes.values()], edges: [...edges.values()], findings };
  });
}

function readCommand(value: JsonValue, path: string): void {
  if (Array.isArray(value)) value.forEach((part, index) => expectNonEmptyString(part, jsonPathChild(path, index)));
  else expectNonEmptyString(value, path);
}

interface LockedFile {
  path: string;
  hash: string | null;
  location: string;
}

function readFiles(stage: Record<string, JsonValue>, stagePath: string, key: 'deps' | 'outs', file: string, unknownFields: string[]): LockedFile[] {
  const value = optionalField(stage, key);
  if (value === undefined || value === null) return [];
  const listPath = jsonPathChild(stagePath, key);
  return expectArray(value, listPath).map((item, index) => {
    const itemPath = jsonPathChild(listPath, index);
    const entry = expectObject(item, itemPath);
    collectUnknownFields(entry, itemPath, FILE_FIELDS, unknownFields);
    const path = expectNonEmptyString(requiredField(entry, 'path', itemPath), `${itemPath}.path`);
    const hashField = HASH_FIELDS.find((field) => optionalField(entry, field) !== undefined);
    const hash = hashField === undefined ? null : expectNonEmptyString(entry[hashField] as JsonValue, jsonPathChild(itemPath, hashField));
    return { path, hash, location: `${file} ${itemPath}` };
  });
}

/** An output's hash is what the stage produced, so it wins over the hash another stage recorded for it as a dependency. */
function addPath(nodes: Map<string, ImportedNode>, locked: LockedFile, isOutput: boolean): ImportedNode {
  const id = `path:${locked.path}`;
  const known = nodes.get(id);
  if (known) {
    if (locked.hash !== null && (isOutput || known.version === null)) known.version = locked.hash;
    return known;
  }
  const node: ImportedNode = { id, kind: 'dataset', kindDeclared: false, name: locked.path, version: locked.hash, subject: null, linkSubjectByName: true, location: locked.location };
  nodes.set(id, node);
  return node;
}

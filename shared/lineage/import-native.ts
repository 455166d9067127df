import { jsonPathChild } from '../json/json-path';
import { parseStrictJson, type JsonObject, type JsonValue } from '../json/strict-json';
import { FormatError } from '../formats/format-error';
import { collectUnknownFields, expectArray, expectNonEmptyString, expectObject, expectString, optionalField, requiredField } from '../formats/json-fields';
import type { Finding } from '../verify/report';
import type { ImportedEdge, ImportedLineage, ImportedNode } from './imported-lineage';
import { isLineageNodeKind, LINEAGE_NODE_KINDS } from './lineage-graph';
import { withinFile } from './within-file';

const DOCUMENT_FIELDS = new Set(['nodes', 'edges']);
const NODE_FIELDS = new Set(['id', 'kind', 'name', 'version', 'subject']);
const EDGE_FIELDS = new Set(['from', 'to']);

/**
 * Reads a native `lineage.json` (FORMATS §7). Fields the format does not define are kept in
 * the file and reported as findings, never silently dropped. Whether edges name existing
 * nodes and whether the graph is acyclic is checked once every source is merged, so that an
 * edge here may name a node another lineage file of the bundle defines.
 */
export function importNativeLineage(file: string, bytes: Uint8Array, maxBytes: number): ImportedLineage {
  return withinFile(file, () => {
    const document = expectObject(parseStrictJson(bytes, { maxBytes }), '$');
    const unknownFields: string[] = [];
    collectUnknownFields(document, '$', DOCUMENT_FIELDS, unknownFields);
    const nodes = expectArray(requiredField(document, 'nodes', '$'), '$.nodes').map((item, index) => readNode(item, jsonPathChild('$.nodes', index), file, unknownFields));
    rejectDuplicateIds(nodes);
    const edgesValue = optionalField(document, 'edges');
    const edges = edgesValue === undefined ? [] : expectArray(edgesValue, '$.edges').map((item, index) => readEdge(item, jsonPathChild('$.edges', index), file, unknownFields));
    const findings = unknownFields.map(
      (path): Finding => ({ severity: 'info', code: 'unknown-field', message: `Field ${path} of ${file} is not interpreted by this version; it is kept in the file.`, location: `${file} ${path}` }),
    );
    return { file, nodes, edges, findings };
  });
}

function readNode(value: JsonValue, path: string, file: string, unknownFields: string[]): ImportedNode {
  const node = expectObject(value, path);
  collectUnknownFields(node, path, NODE_FIELDS, unknownFields);
  const id = expectNonEmptyString(requiredField(node, 'id', path), `${path}.id`);
  const kind = expectString(requiredField(node, 'kind', path), `${path}.kind`);
  if (!isLineageNodeKind(kind)) throw new FormatError(`${path}.kind`, `unknown node kind ${JSON.stringify(kind)}; expected one of ${LINEAGE_NODE_KINDS.join(', ')}`);
  return {
    id,
    kind,
    kindDeclared: true,
    name: optionalText(node, 'name', path) ?? id,
    version: optionalText(node, 'version', path),
    subject: optionalText(node, 'subject', path),
    linkSubjectByName: false,
    location: `${file} ${path}`,
  };
}

function optionalText(object: JsonObject, key: string, objectPath: string): string | null {
  const value = optionalField(object, key);
  return value === undefined || value === null ? null : expectNonEmptyString(value, jsonPathChild(objectPath, key));
}

function readEdge(value: JsonValue, path: string, file: string, unknownFields: string[]): ImportedEdge {
  const edge = expectObject(value, path);
  collectUnknownFields(edge, path, EDGE_FIELDS, unknownFields);
  return {
    from: expectNonEmptyString(requiredField(edge, 'from', path), `${path}.from`),
    to: expectNonEmptyString(requiredField(edge, 'to', path), `${path}.to`),
    location: `${file} ${path}`,
  };
}

function rejectDuplicateIds(nodes: readonly ImportedNode[]): void {
  const firstIndex = new Map<string, number>();
  nodes.forEach((node, index) => {
    const earlier = firstIndex.get(node.id);
    if (earlier !== undefined) throw new FormatError(`$.nodes[${index}].id`, `duplicate node id ${JSON.stringify(node.id)}: $.nodes[${earlier}] has it too`);
    firstIndex.set(node.id, index);
  });
}

import { parseDocument } from 'yaml';
import { setOwnMember, type JsonObject, type JsonValue } from '../json/strict-json';
import { FormatError } from '../formats/format-error';

/** Enough for any hand-written anchor reuse; far too few for a billion-laughs expansion. */
const MAX_YAML_ALIASES = 16;

/**
 * Parses one YAML document as strictly as the JSON documents are read: duplicate keys,
 * several documents, tags the core schema does not define (`!!python/object`, custom `!tags`)
 * and collection keys are refused; alias expansion is capped. The result is plain JSON data.
 */
export function parseStrictYaml(bytes: Uint8Array, maxBytes: number): JsonValue {
  if (bytes.length > maxBytes) throw new FormatError('$', `the document is larger than the ${maxBytes}-byte cap`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) throw new FormatError('$', 'the document starts with a byte-order mark');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError('$', 'the document is not valid UTF-8');
  }
  const document = parseDocument(text, { uniqueKeys: true, strict: true, merge: false, schema: 'core', prettyErrors: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw new FormatError('$', `not valid YAML: ${problem.message.split('\n')[0] ?? problem.message}`);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES, mapAsMap: true });
  } catch (error) {
    throw new FormatError('$', `not usable YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return toJsonValue(value, '$');
}

function toJsonValue(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  // `.inf` and `.nan` have no JSON form; no field read from these documents is such a number.
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map((item, index) => toJsonValue(item, `${path}[${index}]`));
  if (value instanceof Map) {
    const object: JsonObject = {};
    for (const [key, item] of value) {
      if (key !== null && typeof key === 'object') throw new FormatError(path, 'a mapping key is itself a mapping or a list');
      const name = String(key);
      setOwnMember(object, name, toJsonValue(item, `${path}.${name}`));
    }
    return object;
  }
  throw new FormatError(path, `a YAML value of type ${typeof value} has no JSON equivalent`);
}

import { FormatError } from '../../formats/format-error';
import { parseStrictJson, type JsonObject, type JsonValue } from '../../json/strict-json';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STATEMENT_TYPES = new Set(['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1']);

export interface StatementSubject {
  name: string;
  /** Algorithm -> lowercase hex, as the statement gives them. */
  digest: Record<string, string>;
}

export interface StatementSummary {
  predicateType: string;
  subjects: StatementSubject[];
}

/**
 * Reads the subjects of an in-toto Statement (v0.1 or v1) from a verified DSSE payload: the
 * names and digests an artifact must match. A payload that is not a statement, or subjects
 * that are not name/digest pairs, is an error naming the JSON path.
 */
export function readStatementSubjects(payload: Uint8Array, maxBytes: number): StatementSummary {
  const value = parseStrictJson(payload, { maxBytes });
  const statement = expectObject(value, '$', 'an in-toto Statement');
  const type = statement['_type'];
  if (typeof type !== 'string' || !STATEMENT_TYPES.has(type)) throw new FormatError('$._type', `expected an in-toto Statement type (${[...STATEMENT_TYPES].join(' or ')}), got ${JSON.stringify(type ?? null)}`);
  const predicateType = statement['predicateType'];
  if (typeof predicateType !== 'string') throw new FormatError('$.predicateType', 'expected a string');
  const list = statement['subject'];
  if (!Array.isArray(list) || list.length === 0) throw new FormatError('$.subject', 'expected a non-empty array of subjects');
  const subjects = list.map((entry, i): StatementSubject => {
    const subject = expectObject(entry, `$.subject[${i}]`, 'a subject');
    const name = subject['name'];
    if (typeof name !== 'string') throw new FormatError(`$.subject[${i}].name`, 'expected a string');
    const digestSet = expectObject(subject['digest'] ?? null, `$.subject[${i}].digest`, 'a digest set');
    const digest: Record<string, string> = {};
    for (const [algorithm, hex] of Object.entries(digestSet)) {
      if (typeof hex !== 'string') throw new FormatError(`$.subject[${i}].digest.${algorithm}`, 'expected a hex string');
      digest[algorithm] = hex;
    }
    if (Object.keys(digest).length === 0) throw new FormatError(`$.subject[${i}].digest`, 'a subject needs at least one digest');
    return { name, digest };
  });
  return { predicateType, subjects };
}

function expectObject(value: JsonValue, path: string, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FormatError(path, `expected ${what} (a JSON object)`);
  return value;
}

import type { JsonValue } from '../json/strict-json';
import { jsonPathChild } from '../json/json-path';
import { FormatError } from './format-error';
import { expectObject, expectString, isJsonObject } from './json-fields';

/**
 * Digest sets (FORMATS §1): `{"sha256": "<64 lowercase hex>"}`, keyed by algorithm.
 *
 * Values of known algorithms must already be canonical: uppercase hex, prefixes such as
 * `sha256:`, whitespace and wrong lengths are rejected rather than normalised, so that two
 * spellings of one digest can never both appear to match.
 *
 * Unknown algorithm keys (e.g. `blake3`) are kept with their string value, because unknown
 * fields are shown, never dropped; but nothing here checks them, so they must never count
 * as verified: only the known algorithms below are ever compared against content.
 */

const HEX_LENGTHS: ReadonlyMap<string, readonly number[]> = new Map([
  ['sha256', [64]],
  ['sha384', [96]],
  ['sha512', [128]],
  ['gitCommit', [40, 64]],
]);

export type DigestSet = Record<string, string>;

export function isKnownDigestAlgorithm(algorithm: string): boolean {
  return HEX_LENGTHS.has(algorithm);
}

export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

/**
 * Checks a parsed digest set. The strict parser's object is returned as it is, once every value
 * is known to be a string: a manifest has one per subject, and a copy of each would only cost.
 * @param path the set's JSON path, or a function giving it (computed only for an error).
 * @param onUnknownAlgorithm called with each algorithm that is not checked here (kept, never compared).
 */
export function parseDigestSet(value: JsonValue, path: string | (() => string), onUnknownAlgorithm?: (algorithm: string) => void): DigestSet {
  const pathOf = typeof path === 'string' ? () => path : path;
  const object = isJsonObject(value) ? value : expectObject(value, pathOf());
  let count = 0;
  // for-in allocates no array of keys (a manifest has a digest set per subject); a parsed object has no inherited keys.
  for (const algorithm in object) {
    count++;
    const digest = object[algorithm];
    if (typeof digest !== 'string') expectString(digest ?? null, jsonPathChild(pathOf(), algorithm));
    const lengths = HEX_LENGTHS.get(algorithm);
    if (lengths === undefined) onUnknownAlgorithm?.(algorithm);
    else if (!isCanonicalHexDigest(digest as string, lengths)) describeHexDigestProblem(digest as string, lengths, jsonPathChild(pathOf(), algorithm));
  }
  if (count === 0) throw new FormatError(pathOf(), 'expected at least one digest, got an empty object');
  return object as DigestSet;
}

function isCanonicalHexDigest(digest: string, lengths: readonly number[]): boolean {
  return (digest.length === lengths[0] || lengths.includes(digest.length)) && isLowercaseHex(digest);
}

/** A loop rather than a regular expression: it runs once per subject of a manifest. */
function isLowercaseHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

function describeHexDigestProblem(digest: string, lengths: readonly number[], path: string): never {
  const expected = `expected ${lengths.join(' or ')} lowercase hex characters`;
  if (/\s/.test(digest)) throw new FormatError(path, `${expected}, got a value containing whitespace`);
  const prefix = /^([A-Za-z0-9-]+):/.exec(digest);
  if (prefix) throw new FormatError(path, `${expected}, got a value with the prefix "${prefix[0]}" (write the hex alone)`);
  if (/^[0-9a-fA-F]*$/.test(digest) && /[A-F]/.test(digest)) {
    throw new FormatError(path, `${expected}, got uppercase hex`);
  }
  if (!/^[0-9a-f]*$/.test(digest)) throw new FormatError(path, `${expected}, got characters that are not hex`);
  throw new FormatError(path, `${expected}, got ${digest.length}`);
}

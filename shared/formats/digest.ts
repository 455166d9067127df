import { setOwnMember, type JsonValue } from '../json/strict-json';
import { jsonPathChild } from '../json/json-path';
import { FormatError } from './format-error';
import { expectObject, expectString } from './json-fields';

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

export function parseDigestSet(value: JsonValue, path: string): DigestSet {
  const object = expectObject(value, path);
  const algorithms = Object.keys(object);
  if (algorithms.length === 0) throw new FormatError(path, 'expected at least one digest, got an empty object');
  const digests: DigestSet = {};
  for (const algorithm of algorithms) {
    const digestPath = jsonPathChild(path, algorithm);
    const digest = expectString(object[algorithm] ?? null, digestPath);
    const lengths = HEX_LENGTHS.get(algorithm);
    if (lengths !== undefined) checkHexDigest(digest, lengths, digestPath);
    setOwnMember(digests, algorithm, digest);
  }
  return digests;
}

function checkHexDigest(digest: string, lengths: readonly number[], path: string): void {
  if (lengths.includes(digest.length) && /^[0-9a-f]*$/.test(digest)) return;
  const expected = `expected ${lengths.join(' or ')} lowercase hex characters`;
  if (/\s/.test(digest)) throw new FormatError(path, `${expected}, got a value containing whitespace`);
  const prefix = /^([A-Za-z0-9-]+):/.exec(digest);
  if (prefix) throw new FormatError(path, `${expected}, got a value with the prefix "${prefix[0]}" (write the hex alone)`);
  if (/^[0-9a-fA-F]*$/.test(digest) && /[A-F]/.test(digest)) {
    throw new FormatError(path, `${expected}, got uppercase hex`);
  }
  if (!/^[0-9a-f]*$/.test(digest)) throw new FormatError(path, `${expected}, got characters that are not hex`);
  if (!lengths.includes(digest.length)) throw new FormatError(path, `${expected}, got ${digest.length}`);
}

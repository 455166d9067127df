import type { JsonValue } from '../../json/strict-json';

/**
 * OLPC canonical JSON as securesystemslib's `encode_canonical` writes it: the bytes in-toto
 * (v0.9 metadata) and TUF sign. Objects with keys sorted by code point, no whitespace, strings
 * with only `\` and `"` escaped (every other character raw, UTF-8), integers only.
 */
export function encodeCanonicalJson(value: JsonValue): Uint8Array {
  return new TextEncoder().encode(canonicalText(value, '$'));
}

export class CanonicalJsonError extends Error {}

function canonicalText(value: JsonValue, path: string): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`${path}: canonical JSON holds integers only, not ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (Array.isArray(value)) return `[${value.map((item, index) => canonicalText(item, `${path}[${index}]`)).join(',')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((key) => `${canonicalText(key, path)}:${canonicalText(value[key]!, `${path}.${key}`)}`).join(',')}}`;
}

/** Python's string order (code points), which differs from UTF-16 order above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

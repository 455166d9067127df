/** JSON paths as shown in errors and in `unknownFields`: `$.subject[2].digest["sha-1"]`. */

export const JSON_PATH_ROOT = '$';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of `key` (an object key) or `index` (an array index) under `parent`. */
export function jsonPathChild(parent: string, keyOrIndex: string | number): string {
  if (typeof keyOrIndex === 'number') return `${parent}[${keyOrIndex}]`;
  return IDENTIFIER.test(keyOrIndex) ? `${parent}.${keyOrIndex}` : `${parent}[${JSON.stringify(keyOrIndex)}]`;
}

export function formatJsonPath(segments: readonly (string | number)[]): string {
  let path = JSON_PATH_ROOT;
  for (const segment of segments) path = jsonPathChild(path, segment);
  return path;
}

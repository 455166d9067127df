import type { JsonObject, JsonValue } from '../json/strict-json';
import { jsonPathChild } from '../json/json-path';
import { FormatError } from './format-error';

/**
 * Typed reads of parsed JSON for the document parsers. Each takes the value and its JSON path
 * and throws a FormatError naming that path when the value is not what the format says.
 */

export function describeJsonType(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'boolean':
      return `${value}`;
    case 'number':
      return `the number ${value}`;
    case 'string':
      return 'a string';
    default:
      return 'an object';
  }
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: JsonValue, path: string): JsonObject {
  if (!isJsonObject(value)) throw new FormatError(path, `expected an object, got ${describeJsonType(value)}`);
  return value;
}

export function expectArray(value: JsonValue, path: string): JsonValue[] {
  if (!Array.isArray(value)) throw new FormatError(path, `expected an array, got ${describeJsonType(value)}`);
  return value;
}

export function expectString(value: JsonValue, path: string): string {
  if (typeof value !== 'string') throw new FormatError(path, `expected a string, got ${describeJsonType(value)}`);
  return value;
}

export function expectNonEmptyString(value: JsonValue, path: string): string {
  const text = expectString(value, path);
  if (text.trim() === '') throw new FormatError(path, 'expected a non-empty string');
  return text;
}

export function expectBoolean(value: JsonValue, path: string): boolean {
  if (typeof value !== 'boolean') throw new FormatError(path, `expected true or false, got ${describeJsonType(value)}`);
  return value;
}

/** A count or a size: a whole number from 0 to 2^53-1, so that it is exact in JS. */
export function expectSafeNonNegativeInteger(value: JsonValue, path: string, minimum = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    const wanted = minimum === 0 ? 'a non-negative integer' : `an integer of at least ${minimum}`;
    throw new FormatError(path, `expected ${wanted} (at most 2^53-1), got ${describeJsonType(value)}`);
  }
  return value;
}

/** The member `key` of `object`, or undefined when absent; never an inherited property. */
export function optionalField(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** @param objectPath the object's JSON path, or a function giving it (computed only for the error). */
export function requiredField(object: JsonObject, key: string, objectPath: string | (() => string)): JsonValue {
  const value = optionalField(object, key);
  if (value === undefined) throw new FormatError(typeof objectPath === 'string' ? objectPath : objectPath(), `missing required field "${key}"`);
  return value;
}

/** Appends to `unknownFields` the path of every member of `object` that the format does not define. */
export function collectUnknownFields(
  object: JsonObject,
  objectPath: string,
  knownKeys: ReadonlySet<string>,
  unknownFields: string[],
): void {
  for (const key of Object.keys(object)) {
    if (!knownKeys.has(key)) unknownFields.push(jsonPathChild(objectPath, key));
  }
}

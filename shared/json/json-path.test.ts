import { describe, expect, it } from 'vitest';
import { formatJsonPath, jsonPathChild } from './json-path';

describe('JSON paths', () => {
  it('writes identifier keys with a dot and array indexes in brackets', () => {
    expect(formatJsonPath(['subject', 2, 'digest', 'sha256'])).toBe('$.subject[2].digest.sha256');
  });

  it('quotes keys that are not identifiers', () => {
    expect(jsonPathChild('$.predicate.artifacts', 'model/fraud-m92.onnx')).toBe('$.predicate.artifacts["model/fraud-m92.onnx"]');
    expect(jsonPathChild('$', 'a"b')).toBe('$["a\\"b"]');
    expect(jsonPathChild('$', '')).toBe('$[""]');
    expect(jsonPathChild('$', '2')).toBe('$["2"]');
  });

  it('names the root $', () => {
    expect(formatJsonPath([])).toBe('$');
  });
});

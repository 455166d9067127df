import { describe, expect, it } from 'vitest';
import { parseStrictJson, type JsonObject, type JsonValue } from '../json/strict-json';
import { FormatError } from './format-error';
import { IN_TOTO_STATEMENT_V1, parseReleaseStatement, RELEASE_PREDICATE_V1 } from './manifest';

const KEY_ID = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const hex = (char: string, length = 64) => char.repeat(length);

/** The FORMATS §4 example, as a fresh object each time so that tests can change it. */
function exampleStatement(): JsonObject {
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [
      { name: 'model/fraud-m92.onnx', digest: { sha256: hex('a') } },
      { name: 'data/transactions-q1.parquet', digest: { sha256: hex('b') } },
      { name: 'git+https://git.example.com/fraud.git', digest: { gitCommit: hex('c', 40) } },
      { name: 'requirements.lock', digest: { sha256: hex('d') } },
    ],
    predicateType: RELEASE_PREDICATE_V1,
    predicate: {
      release: { name: 'fraud-detector', version: 'm92' },
      artifacts: {
        'model/fraud-m92.onnx': { kind: 'model', size: 104857600, mediaType: 'application/onnx' },
        'data/transactions-q1.parquet': { kind: 'dataset', size: 2147483648 },
        'git+https://git.example.com/fraud.git': { kind: 'code' },
        'requirements.lock': { kind: 'lockfile' },
      },
      environment: { seed: 42, hardware: { cpu: 'x86_64', gpu: 'NVIDIA A100' } },
      tolerance: { metric: 'AUC', maxDelta: 0.01 },
      createdBy: KEY_ID,
      createdAt: '2026-11-01T12:00:00Z',
    },
  };
}

type Location = readonly (string | number)[];

/** Sets the member at `location` in a test document, or deletes it when `value` is undefined. */
function edit(document: JsonValue, location: Location, value: JsonValue | undefined): void {
  let container = document as Record<string | number, JsonValue>;
  for (const step of location.slice(0, -1)) container = container[step] as Record<string | number, JsonValue>;
  const last = location[location.length - 1] as string | number;
  if (value === undefined) delete container[last];
  else container[last] = value;
}

function rejection(statement: JsonValue): FormatError {
  try {
    parseReleaseStatement(statement);
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return error as FormatError;
  }
  throw new Error('expected the statement to be rejected');
}

function expectRejected(location: Location, value: JsonValue | undefined, path: string, reason: string): void {
  const statement = exampleStatement();
  edit(statement, location, value);
  const error = rejection(statement);
  expect(error.path).toBe(path);
  expect(error.reason).toContain(reason);
}

describe('parseReleaseStatement: a Countersign release', () => {
  it('reads the FORMATS example', () => {
    const statement = exampleStatement();
    const manifest = parseReleaseStatement(statement);
    expect(manifest.understood).toBe(true);
    expect(manifest.predicateType).toBe(RELEASE_PREDICATE_V1);
    expect(manifest.release).toEqual({ name: 'fraud-detector', version: 'm92' });
    expect(manifest.createdBy).toBe(KEY_ID);
    expect(manifest.createdAt).toBe('2026-11-01T12:00:00Z');
    expect(manifest.environment).toEqual({ seed: 42, hardware: { cpu: 'x86_64', gpu: 'NVIDIA A100' } });
    expect(manifest.tolerance).toEqual({ metric: 'AUC', maxDelta: 0.01 });
    expect(manifest.unknownFields).toEqual([]);
    expect(manifest.statement).toBe(statement);
    expect(manifest.subjects).toEqual([
      { name: 'model/fraud-m92.onnx', digest: { sha256: hex('a') }, kind: 'model', size: 104857600, mediaType: 'application/onnx' },
      { name: 'data/transactions-q1.parquet', digest: { sha256: hex('b') }, kind: 'dataset', size: 2147483648, mediaType: null },
      { name: 'git+https://git.example.com/fraud.git', digest: { gitCommit: hex('c', 40) }, kind: 'code', size: null, mediaType: null },
      { name: 'requirements.lock', digest: { sha256: hex('d') }, kind: 'lockfile', size: null, mediaType: null },
    ]);
  });

  it('reads environment and tolerance as null when absent', () => {
    const statement = exampleStatement();
    edit(statement, ['predicate', 'environment'], undefined);
    edit(statement, ['predicate', 'tolerance'], undefined);
    const manifest = parseReleaseStatement(statement);
    expect(manifest.environment).toBeNull();
    expect(manifest.tolerance).toBeNull();
  });

  it('lists unknown fields at every level by JSON path and keeps them in the statement', () => {
    const statement = exampleStatement();
    edit(statement, ['comment'], 'top');
    edit(statement, ['subject', 1, 'uri'], 'https://example.com/q1.parquet');
    edit(statement, ['subject', 0, 'digest', 'blake3'], 'not checked');
    edit(statement, ['predicate', 'signedOffBy'], 'ada');
    edit(statement, ['predicate', 'release', 'channel'], 'stable');
    edit(statement, ['predicate', 'artifacts', 'requirements.lock', 'license'], 'MIT');
    const manifest = parseReleaseStatement(statement);
    expect(manifest.unknownFields).toEqual([
      '$.comment',
      '$.subject[0].digest.blake3',
      '$.subject[1].uri',
      '$.predicate.signedOffBy',
      '$.predicate.release.channel',
      '$.predicate.artifacts["requirements.lock"].license',
    ]);
    expect(manifest.subjects[0]?.digest).toEqual({ sha256: hex('a'), blake3: 'not checked' });
    expect(manifest.statement).toMatchObject({ comment: 'top' });
  });

  it('reads a statement straight from the strict parser, "__proto__" names included', () => {
    const text = JSON.stringify(exampleStatement()).replaceAll('"requirements.lock"', '"__proto__"');
    const manifest = parseReleaseStatement(parseStrictJson(text));
    expect(manifest.subjects[3]).toMatchObject({ name: '__proto__', kind: 'lockfile' });
  });
});

describe('parseReleaseStatement: statement rules', () => {
  it('rejects a statement that is not an object', () => {
    expect(rejection([]).message).toBe('$: expected an object, got an array');
  });

  it('rejects another _type', () => {
    expectRejected(['_type'], 'https://in-toto.io/Statement/v0.1', '$._type', `expected "${IN_TOTO_STATEMENT_V1}"`);
    expectRejected(['_type'], undefined, '$', 'missing required field "_type"');
  });

  it('rejects a missing or empty subject list', () => {
    expectRejected(['subject'], undefined, '$', 'missing required field "subject"');
    expectRejected(['subject'], [], '$.subject', 'at least one subject');
    expectRejected(['subject'], {}, '$.subject', 'expected an array, got an object');
  });

  it('rejects a subject without a usable name', () => {
    expectRejected(['subject', 2, 'name'], '', '$.subject[2].name', 'non-empty string');
    expectRejected(['subject', 2, 'name'], 7, '$.subject[2].name', 'expected a string, got the number 7');
    expectRejected(['subject', 1, 'name'], undefined, '$.subject[1]', 'missing required field "name"');
  });

  it('rejects a duplicate subject name and says where the first one is', () => {
    expectRejected(
      ['subject', 3, 'name'],
      'model/fraud-m92.onnx',
      '$.subject[3].name',
      'duplicate subject name "model/fraud-m92.onnx" (also at $.subject[0])',
    );
  });

  it('rejects a malformed digest with its full path', () => {
    expectRejected(['subject', 1, 'digest', 'sha256'], hex('b', 63), '$.subject[1].digest.sha256', 'expected 64 lowercase hex characters, got 63');
    expectRejected(['subject', 1, 'digest'], undefined, '$.subject[1]', 'missing required field "digest"');
  });

  it('requires sha256 on every subject but code, and gitCommit on code', () => {
    expectRejected(
      ['subject', 0, 'digest'],
      { sha512: hex('a', 128) },
      '$.subject[0].digest',
      'subject "model/fraud-m92.onnx" (model) must carry a sha256 digest',
    );
    expectRejected(
      ['subject', 2, 'digest'],
      { sha256: hex('c') },
      '$.subject[2].digest',
      'subject "git+https://git.example.com/fraud.git" is code and must carry a gitCommit digest',
    );
  });

  it('rejects a missing predicateType', () => {
    expectRejected(['predicateType'], undefined, '$', 'missing required field "predicateType"');
  });
});

describe('parseReleaseStatement: release predicate rules', () => {
  it('requires the release, artifacts, createdBy and createdAt', () => {
    expectRejected(['predicate'], undefined, '$', 'missing required field "predicate"');
    for (const field of ['release', 'artifacts', 'createdBy', 'createdAt']) {
      expectRejected(['predicate', field], undefined, '$.predicate', `missing required field "${field}"`);
    }
  });

  it('rejects a malformed release', () => {
    expectRejected(['predicate', 'release', 'version'], 92, '$.predicate.release.version', 'expected a string');
    expectRejected(['predicate', 'release', 'name'], undefined, '$.predicate.release', 'missing required field "name"');
    expectRejected(['predicate', 'release'], 'fraud-detector@m92', '$.predicate.release', 'expected an object');
  });

  it('rejects an artifacts entry that names no subject', () => {
    expectRejected(
      ['predicate', 'artifacts', 'model/fraud-m93.onnx'],
      { kind: 'model' },
      '$.predicate.artifacts["model/fraud-m93.onnx"]',
      '"model/fraud-m93.onnx" is not the name of any subject',
    );
  });

  it('rejects a subject that has no artifacts entry', () => {
    expectRejected(
      ['predicate', 'artifacts', 'requirements.lock'],
      undefined,
      '$.predicate.artifacts',
      'no entry for subject "requirements.lock" ($.subject[3])',
    );
  });

  it('rejects an unknown kind', () => {
    expectRejected(
      ['predicate', 'artifacts', 'requirements.lock', 'kind'],
      'weights',
      '$.predicate.artifacts["requirements.lock"].kind',
      'expected one of model, dataset, features, code, container, lockfile, config, report, other, got "weights"',
    );
    expectRejected(['predicate', 'artifacts', 'requirements.lock', 'kind'], undefined, '$.predicate.artifacts["requirements.lock"]', 'missing required field "kind"');
  });

  it('rejects a size that is not a safe non-negative integer', () => {
    const path = '$.predicate.artifacts["model/fraud-m92.onnx"].size';
    for (const size of [-1, 1.5, '100', null, 2 ** 53]) {
      expectRejected(['predicate', 'artifacts', 'model/fraud-m92.onnx', 'size'], size, path, 'expected a non-negative integer');
    }
  });

  it('rejects a mediaType that is not a string', () => {
    expectRejected(
      ['predicate', 'artifacts', 'model/fraud-m92.onnx', 'mediaType'],
      ['application/onnx'],
      '$.predicate.artifacts["model/fraud-m92.onnx"].mediaType',
      'expected a string, got an array',
    );
  });

  it('rejects a createdBy that is not a key ID', () => {
    expectRejected(['predicate', 'createdBy'], 'ada@laptop', '$.predicate.createdBy', 'expected a key ID');
  });

  it('rejects a createdAt that is not an RFC 3339 UTC time of a real date', () => {
    expectRejected(['predicate', 'createdAt'], '2026-02-30T12:00:00Z', '$.predicate.createdAt', 'day 30 does not exist');
    expectRejected(['predicate', 'createdAt'], '2026-11-01T12:00:00+01:00', '$.predicate.createdAt', 'RFC 3339 UTC');
  });
});

describe('parseReleaseStatement: other predicate types', () => {
  function foreignStatement(): JsonObject {
    const statement = exampleStatement();
    edit(statement, ['predicateType'], 'https://slsa.dev/provenance/v1');
    edit(statement, ['predicate'], { buildDefinition: { buildType: 'x' } });
    return statement;
  }

  it('reads the subjects but does not interpret the predicate', () => {
    const statement = foreignStatement();
    const manifest = parseReleaseStatement(statement);
    expect(manifest.understood).toBe(false);
    expect(manifest.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(manifest.subjects.map((subject) => [subject.name, subject.kind])).toEqual([
      ['model/fraud-m92.onnx', null],
      ['data/transactions-q1.parquet', null],
      ['git+https://git.example.com/fraud.git', null],
      ['requirements.lock', null],
    ]);
    expect(manifest.release).toBeNull();
    expect(manifest.createdBy).toBeNull();
    expect(manifest.createdAt).toBeNull();
    expect(manifest.unknownFields).toEqual(['$.predicate']);
    expect(manifest.statement).toBe(statement);
  });

  it('still checks the subjects', () => {
    const statement = foreignStatement();
    edit(statement, ['subject', 0, 'digest'], { sha256: hex('A') });
    expect(rejection(statement).path).toBe('$.subject[0].digest.sha256');
    edit(statement, ['subject', 0, 'digest'], { sha384: hex('a', 96) });
    expect(rejection(statement).reason).toContain('must carry a sha256 digest (or gitCommit for a code commit)');
  });

  it('does not require a predicate', () => {
    const statement = foreignStatement();
    edit(statement, ['predicate'], undefined);
    expect(parseReleaseStatement(statement).unknownFields).toEqual([]);
  });
});

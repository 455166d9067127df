// The OMS in-toto statement (OpenSSF Model Signing v1.0, and model_signing's v0.2 "Digests/v0.1"
// layout) read into a manifest of resources, in the order the signer listed them.
import { createHash } from 'node:crypto';
import { FormatError } from '../../../shared/formats/format-error';
import { parseStrictJson, type JsonValue } from '../../../shared/json/strict-json';
import { asArray, asObject, isObject } from '../sigstore/sigstore-bundle';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const OMS_PREDICATE_V1 = 'https://model_signing/signature/v1.0';
/** model_signing v0.2.0: file digests as the statement's subjects, no serialization record. */
export const OMS_PREDICATE_DIGESTS_V01 = 'https://model_signing/Digests/v0.1';
export const OMS_PREDICATE_PREFIX = 'https://model_signing/';

export type OmsHashAlgorithm = 'sha256' | 'blake2b';
/** The node:crypto digest for each OMS algorithm identifier. */
export const NODE_DIGEST: Record<OmsHashAlgorithm, 'sha256' | 'blake2b512'> = { sha256: 'sha256', blake2b: 'blake2b512' };
const DIGEST_HEX_LENGTH: Record<OmsHashAlgorithm, number> = { sha256: 64, blake2b: 128 };

export interface OmsResource {
  /** As listed: a file path, or `path:start:end` for a shard. */
  name: string;
  algorithm: OmsHashAlgorithm;
  digest: string;
  /** The file the resource names, relative to the model root (`.` for a single-file model). */
  path: string;
  shard: { start: number; end: number } | null;
}

export interface OmsManifest {
  predicateType: string;
  modelName: string;
  rootDigest: string | null;
  method: 'files' | 'shards';
  hashType: OmsHashAlgorithm;
  shardSize: number | null;
  allowSymlinks: boolean;
  ignorePaths: string[];
  /** In the order listed: the root digest is over this order, never a re-sorted one. */
  resources: OmsResource[];
}

/** At most this many resources: 100,000 files of 10 shards each. */
const MAX_RESOURCES = 1_000_000;

export function readOmsStatement(payload: Uint8Array): OmsManifest {
  const statement = asObject(parseStrictJson(payload, { maxBytes: payload.length + 1 }), '$');
  if (statement['_type'] !== IN_TOTO_STATEMENT_V1) throw new FormatError('$._type', `expected ${IN_TOTO_STATEMENT_V1}`);
  const predicateType = statement['predicateType'];
  if (predicateType === OMS_PREDICATE_DIGESTS_V01) return readDigestsV01(statement['subject']);
  if (predicateType !== OMS_PREDICATE_V1) throw new FormatError('$.predicateType', `not an OMS predicate type: ${JSON.stringify(typeof predicateType === 'string' ? predicateType.slice(0, 80) : predicateType ?? null)}`);

  const subjects = asArray(statement['subject'], '$.subject');
  if (subjects.length !== 1) throw new FormatError('$.subject', `expected exactly one subject (the model), got ${subjects.length}`);
  const subject = asObject(subjects[0], '$.subject[0]');
  const modelName = subject['name'];
  if (typeof modelName !== 'string' || modelName === '') throw new FormatError('$.subject[0].name', 'expected a non-empty string');
  const rootDigest = asObject(subject['digest'], '$.subject[0].digest')['sha256'];
  if (typeof rootDigest !== 'string' || !/^[0-9a-f]{64}$/.test(rootDigest)) throw new FormatError('$.subject[0].digest.sha256', 'expected 64 lowercase hex digits');

  const predicate = asObject(statement['predicate'], '$.predicate');
  const serialization = asObject(predicate['serialization'], '$.predicate.serialization');
  const method = serialization['method'];
  if (method !== 'files' && method !== 'shards') throw new FormatError('$.predicate.serialization.method', `unsupported serialization method ${JSON.stringify(method ?? null)} (files and shards are known)`);
  const hashType = readAlgorithm(serialization['hash_type'], '$.predicate.serialization.hash_type');
  const shardSize = method === 'shards' ? readShardSize(serialization['shard_size']) : null;
  const allowSymlinks = serialization['allow_symlinks'];
  if (allowSymlinks !== undefined && typeof allowSymlinks !== 'boolean') throw new FormatError('$.predicate.serialization.allow_symlinks', 'expected a boolean');
  const ignorePaths = readIgnorePaths(serialization['ignore_paths']);

  const listed = asArray(predicate['resources'], '$.predicate.resources');
  if (listed.length === 0) throw new FormatError('$.predicate.resources', 'the manifest lists no file: an empty model is never signed');
  if (listed.length > MAX_RESOURCES) throw new FormatError('$.predicate.resources', `${listed.length} resources: at most ${MAX_RESOURCES} are read`);
  const seen = new Set<string>();
  const resources = listed.map((entry, i): OmsResource => {
    const path = `$.predicate.resources[${i}]`;
    const resource = asObject(entry, path);
    const name = resource['name'];
    if (typeof name !== 'string') throw new FormatError(`${path}.name`, 'expected a string');
    if (seen.has(name)) throw new FormatError(`${path}.name`, `${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    const algorithm = readResourceAlgorithm(resource['algorithm'], hashType, shardSize, `${path}.algorithm`);
    const digest = readDigest(resource['digest'], algorithm, `${path}.digest`);
    const named = method === 'shards' ? splitShardName(name, `${path}.name`) : { path: checkResourcePath(name, `${path}.name`), shard: null };
    if (named.shard && shardSize !== null && (named.shard.start % shardSize !== 0 || named.shard.end - named.shard.start > shardSize)) {
      throw new FormatError(`${path}.name`, `shard ${named.shard.start}..${named.shard.end} does not fit the shard size ${shardSize}`);
    }
    return { name, algorithm, digest, ...named };
  });

  const computedRoot = rootDigestOf(resources);
  if (computedRoot !== rootDigest) {
    throw new FormatError('$.subject[0].digest.sha256', `the root digest ${rootDigest} is not the SHA-256 of the listed resource digests (${computedRoot})`);
  }
  return { predicateType, modelName, rootDigest, method, hashType, shardSize, allowSymlinks: allowSymlinks ?? false, ignorePaths, resources };
}

/** SHA-256 over the raw bytes of each resource digest, in the listed order (OMS §6.5.1). */
export function rootDigestOf(resources: readonly Pick<OmsResource, 'digest'>[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digest, 'hex'));
  return hash.digest('hex');
}

function readDigestsV01(subjectValue: JsonValue | undefined): OmsManifest {
  const subjects = asArray(subjectValue, '$.subject');
  if (subjects.length === 0) throw new FormatError('$.subject', 'the manifest lists no file: an empty model is never signed');
  const seen = new Set<string>();
  const resources = subjects.map((entry, i): OmsResource => {
    const path = `$.subject[${i}]`;
    const subject = asObject(entry, path);
    const name = subject['name'];
    if (typeof name !== 'string') throw new FormatError(`${path}.name`, 'expected a string');
    if (seen.has(name)) throw new FormatError(`${path}.name`, `${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    const digest = readDigest(asObject(subject['digest'], `${path}.digest`)['sha256'], 'sha256', `${path}.digest.sha256`);
    return { name, algorithm: 'sha256', digest, path: checkResourcePath(name, `${path}.name`), shard: null };
  });
  return {
    predicateType: OMS_PREDICATE_DIGESTS_V01,
    modelName: 'model',
    rootDigest: null,
    method: 'files',
    hashType: 'sha256',
    shardSize: null,
    allowSymlinks: false,
    ignorePaths: [],
    resources,
  };
}

function readAlgorithm(value: JsonValue | undefined, path: string): OmsHashAlgorithm {
  if (value === 'sha256' || value === 'blake2b') return value;
  throw new FormatError(path, `unsupported hash algorithm ${JSON.stringify(value ?? null)} (sha256 and blake2b are known)`);
}

/** model_signing writes `sha256-sharded-<size>` for shards in some versions; the spec writes the hash_type. */
function readResourceAlgorithm(value: JsonValue | undefined, hashType: OmsHashAlgorithm, shardSize: number | null, path: string): OmsHashAlgorithm {
  if (value === hashType) return hashType;
  if (shardSize !== null && value === `${hashType}-sharded-${shardSize}`) return hashType;
  throw new FormatError(path, `resource algorithm ${JSON.stringify(value ?? null)} differs from the serialization's ${hashType}`);
}

function readDigest(value: JsonValue | undefined, algorithm: OmsHashAlgorithm, path: string): string {
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (typeof value !== 'string' || value.length !== length || !/^[0-9a-f]+$/.test(value)) throw new FormatError(path, `expected ${length} lowercase hex digits (${algorithm})`);
  return value;
}

function readShardSize(value: JsonValue | undefined): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new FormatError('$.predicate.serialization.shard_size', 'expected a positive integer');
}

function readIgnorePaths(value: JsonValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  return asArray(value, '$.predicate.serialization.ignore_paths').map((entry, i) => {
    if (typeof entry !== 'string') throw new FormatError(`$.predicate.serialization.ignore_paths[${i}]`, 'expected a string');
    return entry;
  });
}

/**
 * A shard name is `<path>:<start>:<end>`; the path may itself hold colons, so the range is the
 * LAST two colon-separated fields.
 */
export function splitShardName(name: string, where: string): { path: string; shard: { start: number; end: number } } {
  const match = /^(.*):(0|[1-9][0-9]{0,15}):(0|[1-9][0-9]{0,15})$/s.exec(name);
  if (!match) throw new FormatError(where, `${JSON.stringify(name.slice(0, 200))} is not a shard name (path:start:end)`);
  const start = Number(match[2]);
  const end = Number(match[3]);
  if (!Number.isSafeInteger(end) || end <= start) throw new FormatError(where, `shard ${JSON.stringify(name.slice(0, 200))}: the end must be after the start`);
  return { path: checkResourcePath(match[1]!, where), shard: { start, end } };
}

/**
 * A listed path must stay inside the model root: relative, `/`-separated, no `..`, no `.` or
 * empty component (except the single-file model's `.`), no NUL or backslash. Checked for every
 * resource before any file is opened.
 */
export function checkResourcePath(name: string, where: string): string {
  if (name === '.') return name;
  const problem =
    name === ''
      ? 'is empty'
      : name.startsWith('/') || /^[A-Za-z]:/.test(name)
        ? 'is absolute'
        : name.includes('\\')
          ? 'holds a backslash'
          : name.includes('\0')
            ? 'holds a NUL character'
            : name.split('/').some((part) => part === '..')
              ? 'climbs out of the model root (..)'
              : name.split('/').some((part) => part === '' || part === '.')
                ? 'is not a normalised path (empty or . component)'
                : null;
  if (problem) throw new FormatError(where, `resource path ${JSON.stringify(name.slice(0, 200))} ${problem}: refused before reading anything`);
  return name;
}

export function isOmsPredicateType(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(OMS_PREDICATE_PREFIX);
}

export { isObject };

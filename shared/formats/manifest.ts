import type { JsonObject, JsonValue } from '../json/strict-json';
import { jsonPathChild } from '../json/json-path';
import { artifactKindSchema, type ArtifactKind } from '../verify/report';
import { parseDigestSet, type DigestSet } from './digest';
import { FormatError } from './format-error';
import {
  isJsonObject,
  collectUnknownFields,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectSafeNonNegativeInteger,
  optionalField,
  requiredField,
} from './json-fields';
import { parseKeyId } from './key-id';
import { parseRfc3339Utc } from './rfc3339';

export { parseKeyId } from './key-id';
export { parseRfc3339Utc } from './rfc3339';

/**
 * The release manifest payload (FORMATS §4): an in-toto Statement v1 whose predicate, when
 * its type is the Countersign release predicate, says what each subject is. Other predicate
 * types are parsed only as far as the statement goes and reported as not understood.
 */

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const RELEASE_PREDICATE_V1 = 'https://countersign.dev/release/v1';

export interface ManifestSubject {
  name: string;
  digest: DigestSet;
  kind: ArtifactKind | null;
  size: number | null;
  mediaType: string | null;
}

export interface ReleaseManifest {
  predicateType: string;
  /** False for a predicate type this version does not interpret: never shown as verified content. */
  understood: boolean;
  subjects: ManifestSubject[];
  release: { name: string; version: string } | null;
  createdBy: string | null;
  createdAt: string | null;
  environment: JsonValue | null;
  tolerance: JsonValue | null;
  /** `predicate.evaluation` (Countersign's extension of FORMATS §4: `{"metrics": {"<name>": <number>}}`), as written. */
  evaluation: JsonValue | null;
  /** JSON paths of the fields this version does not interpret; they stay in `statement`. */
  unknownFields: string[];
  statement: JsonValue;
}

const STATEMENT_FIELDS = new Set(['_type', 'subject', 'predicateType', 'predicate']);
const SUBJECT_FIELDS = new Set(['name', 'digest']);
const PREDICATE_FIELDS = new Set(['release', 'artifacts', 'environment', 'tolerance', 'evaluation', 'createdBy', 'createdAt']);
const RELEASE_FIELDS = new Set(['name', 'version']);
const ARTIFACT_FIELDS = new Set(['kind', 'size', 'mediaType']);

export function parseReleaseStatement(value: JsonValue): ReleaseManifest {
  const root = '$';
  const statement = expectObject(value, root);
  const unknownFields: string[] = [];
  collectUnknownFields(statement, root, STATEMENT_FIELDS, unknownFields);

  const type = expectNonEmptyString(requiredField(statement, '_type', root), '$._type');
  if (type !== IN_TOTO_STATEMENT_V1) {
    throw new FormatError('$._type', `expected "${IN_TOTO_STATEMENT_V1}", got ${JSON.stringify(type)}`);
  }
  const parsedSubjects = parseSubjects(requiredField(statement, 'subject', root), unknownFields, artifactNamesOf(statement));
  const { subjects } = parsedSubjects;
  const predicateType = expectNonEmptyString(requiredField(statement, 'predicateType', root), '$.predicateType');

  if (predicateType !== RELEASE_PREDICATE_V1) {
    if (optionalField(statement, 'predicate') !== undefined) unknownFields.push('$.predicate');
    subjects.forEach((subject, index) => requirePinningDigest(subject, null, index));
    return {
      predicateType,
      understood: false,
      subjects,
      release: null,
      createdBy: null,
      createdAt: null,
      environment: null,
      tolerance: null,
      evaluation: null,
      unknownFields,
      statement: value,
    };
  }

  const predicatePath = '$.predicate';
  const predicate = expectObject(requiredField(statement, 'predicate', root), predicatePath);
  collectUnknownFields(predicate, predicatePath, PREDICATE_FIELDS, unknownFields);
  const release = parseRelease(requiredField(predicate, 'release', predicatePath), unknownFields);
  parseArtifacts(requiredField(predicate, 'artifacts', predicatePath), parsedSubjects, unknownFields);
  const createdBy = parseKeyId(requiredField(predicate, 'createdBy', predicatePath), '$.predicate.createdBy');
  const createdAt = parseRfc3339Utc(requiredField(predicate, 'createdAt', predicatePath), '$.predicate.createdAt');
  for (let index = 0; index < subjects.length; index++) {
    const subject = subjects[index]!;
    requirePinningDigest(subject, subject.kind, index);
  }

  return {
    predicateType,
    understood: true,
    subjects,
    release,
    createdBy,
    createdAt,
    environment: optionalField(predicate, 'environment') ?? null,
    tolerance: optionalField(predicate, 'tolerance') ?? null,
    evaluation: optionalField(predicate, 'evaluation') ?? null,
    unknownFields,
    statement: value,
  };
}

// A manifest may have 100,000 subjects: their JSON paths are built only for an error or an
// unknown field, never for each subject that is as it should be.

interface ParsedSubjects {
  /** Made once, with kind, size and mediaType null until parseArtifacts fills them in. */
  subjects: ManifestSubject[];
  /** Built to find duplicate names and to match artifact entries to subjects; null when the artifacts name the subjects in order (see artifactNamesOf). */
  indexByName: Map<string, number> | null;
}

/**
 * The keys of `predicate.artifacts`, when it is an object: a writer lists them in the subjects'
 * order, and then the subjects' names are known distinct (an object's keys are) and matched to
 * their entries without a map of 100,000 names.
 */
function artifactNamesOf(statement: JsonObject): string[] | null {
  const predicate = optionalField(statement, 'predicate');
  const artifacts = predicate !== undefined && isJsonObject(predicate) ? optionalField(predicate, 'artifacts') : undefined;
  return artifacts !== undefined && isJsonObject(artifacts) ? Object.keys(artifacts) : null;
}

function parseSubjects(value: JsonValue, unknownFields: string[], artifactNames: readonly string[] | null): ParsedSubjects {
  const items = expectArray(value, '$.subject');
  if (items.length === 0) throw new FormatError('$.subject', 'expected at least one subject, got an empty array');
  let namesInOrder = artifactNames !== null && artifactNames.length === items.length;
  let indexByName: Map<string, number> | null = null;
  const subjects: ManifestSubject[] = new Array<ManifestSubject>(items.length);
  // One function for every subject's path, reading the loop's index: built only for an error or an unknown field.
  let index = 0;
  const path = () => jsonPathChild('$.subject', index);
  const digestPath = () => `${path()}.digest`;
  const onUnknownAlgorithm = (algorithm: string) => unknownFields.push(jsonPathChild(digestPath(), algorithm));
  for (; index < items.length; index++) {
    const item = items[index]!;
    const subject = isJsonObject(item) ? item : expectObject(item, path());
    if (hasFieldsBeyond(subject, SUBJECT_FIELDS)) collectUnknownFields(subject, path(), SUBJECT_FIELDS, unknownFields);
    const nameValue = subject['name'];
    const name = isNonEmptyString(nameValue) && Object.hasOwn(subject, 'name') ? nameValue : expectNonEmptyString(requiredField(subject, 'name', path()), `${path()}.name`);
    if (namesInOrder && artifactNames![index] !== name) {
      // Not in order after all: the names seen so far go into the map, which finds duplicates from here on.
      namesInOrder = false;
      indexByName = new Map(subjects.slice(0, index).map((earlier, i) => [earlier.name, i]));
    }
    if (!namesInOrder) {
      indexByName ??= new Map<string, number>();
      const earlier = indexByName.get(name);
      if (earlier !== undefined) throw new FormatError(`${path()}.name`, `duplicate subject name ${JSON.stringify(name)} (also at ${jsonPathChild('$.subject', earlier)})`);
      indexByName.set(name, index);
    }
    const digest = parseDigestSet(requiredField(subject, 'digest', path), digestPath, onUnknownAlgorithm);
    subjects[index] = { name, digest, kind: null, size: null, mediaType: null };
  }
  return { subjects, indexByName };
}

function isNonEmptyString(value: JsonValue | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Whether `object` has a key outside `known`: only then are the unknown fields' paths built. */
function hasFieldsBeyond(object: JsonObject, known: ReadonlySet<string>): boolean {
  // for-in allocates no array of keys; a parsed object has no inherited enumerable keys, and were there any, they would only be looked at again.
  for (const key in object) if (!known.has(key)) return true;
  return false;
}

/** Every subject is pinned by sha256, except a code commit, which is pinned by gitCommit. */
function requirePinningDigest(subject: ManifestSubject, kind: ArtifactKind | null, index: number): void {
  const hasSha256 = Object.hasOwn(subject.digest, 'sha256');
  const hasGitCommit = Object.hasOwn(subject.digest, 'gitCommit');
  let problem: string | null = null;
  if (kind === 'code') {
    if (!hasGitCommit) problem = 'is code and must carry a gitCommit digest';
  } else if (kind !== null) {
    if (!hasSha256) problem = `(${kind}) must carry a sha256 digest`;
  } else if (!hasSha256 && !hasGitCommit) {
    problem = 'must carry a sha256 digest (or gitCommit for a code commit)';
  }
  if (problem !== null) {
    throw new FormatError(`${jsonPathChild('$.subject', index)}.digest`, `subject ${JSON.stringify(subject.name)} ${problem}`);
  }
}

function parseRelease(value: JsonValue, unknownFields: string[]): { name: string; version: string } {
  const path = '$.predicate.release';
  const release = expectObject(value, path);
  collectUnknownFields(release, path, RELEASE_FIELDS, unknownFields);
  return {
    name: expectNonEmptyString(requiredField(release, 'name', path), `${path}.name`),
    version: expectNonEmptyString(requiredField(release, 'version', path), `${path}.version`),
  };
}

/** Fills in each subject's entry of the artifacts map, which names no other subject and misses none. */
function parseArtifacts(value: JsonValue, { subjects, indexByName }: ParsedSubjects, unknownFields: string[]): void {
  const path = '$.predicate.artifacts';
  const artifacts = expectObject(value, path);
  let name = '';
  const entryPath = () => jsonPathChild(path, name);
  if (indexByName === null) {
    // The keys are the subjects' names, in order (parseSubjects compared them).
    for (let index = 0; index < subjects.length; index++) {
      const subject = subjects[index]!;
      name = subject.name;
      parseArtifact(artifacts[name]!, entryPath, unknownFields, subject);
    }
    return;
  }
  const seen = new Array<boolean>(subjects.length).fill(false);
  for (name of Object.keys(artifacts)) {
    const index = indexByName.get(name);
    if (index === undefined) {
      throw new FormatError(entryPath(), `${JSON.stringify(name)} is not the name of any subject in $.subject`);
    }
    parseArtifact(artifacts[name]!, entryPath, unknownFields, subjects[index]!);
    seen[index] = true;
  }
  const missing = seen.indexOf(false);
  if (missing !== -1) throw new FormatError(path, `no entry for subject ${JSON.stringify(subjects[missing]!.name)} (${jsonPathChild('$.subject', missing)})`);
}

const ARTIFACT_KINDS: ReadonlySet<string> = new Set(artifactKindSchema.options);

/** Reads one entry of the artifacts map into its subject's kind, size and mediaType. */
function parseArtifact(value: JsonValue, path: () => string, unknownFields: string[], subject: ManifestSubject): void {
  const artifact = isJsonObject(value) ? value : expectObject(value, path());
  if (hasFieldsBeyond(artifact, ARTIFACT_FIELDS)) collectUnknownFields(artifact, path(), ARTIFACT_FIELDS, unknownFields);
  const kindValue = requiredField(artifact, 'kind', path);
  if (typeof kindValue !== 'string' || !ARTIFACT_KINDS.has(kindValue)) {
    const shown = typeof kindValue === 'string' ? JSON.stringify(kindValue) : 'a non-string';
    throw new FormatError(`${path()}.kind`, `expected one of ${artifactKindSchema.options.join(', ')}, got ${shown}`);
  }
  const size = optionalField(artifact, 'size');
  const mediaType = optionalField(artifact, 'mediaType');
  subject.kind = kindValue as ArtifactKind;
  subject.size = size === undefined ? null : typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : expectSafeNonNegativeInteger(size, `${path()}.size`);
  subject.mediaType = mediaType === undefined ? null : isNonEmptyString(mediaType) ? mediaType : expectNonEmptyString(mediaType, `${path()}.mediaType`);
}

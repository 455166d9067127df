import { jsonPathChild } from '../json/json-path';
import { parseStrictJson, type JsonValue } from '../json/strict-json';
import { parseDigestSet, type DigestSet } from '../formats/digest';
import { FormatError } from '../formats/format-error';
import { collectUnknownFields, expectArray, expectNonEmptyString, expectObject, optionalField, requiredField } from '../formats/json-fields';
import type { Finding } from '../verify/report';
import { normaliseRepositoryName } from './image-reference';
import { DEPLOYMENT_LIMITS, DeploymentFormatError, imageArtifact, isUri, storageArtifact, type ProposedArtifact, type ProposedDeployment } from './proposed-deployment';

const DEPLOYMENT_FIELDS = new Set(['environment', 'artifacts']);
const ARTIFACT_FIELDS = new Set(['name', 'digest', 'reference']);

/**
 * Reads a native `deployment.json` (FORMATS §8): strict JSON (§1), an `environment` and
 * `artifacts`, each with a `name` and a `digest` set, a `reference` (an image reference or a
 * URI), or both when they agree. Every error names the file and the JSON path.
 */
export function parseNativeDeployment(bytes: Uint8Array | string, fileName: string): ProposedDeployment {
  try {
    return readDeployment(parseStrictJson(bytes, { maxBytes: DEPLOYMENT_LIMITS.maxBytes }), fileName);
  } catch (error) {
    if (error instanceof DeploymentFormatError) throw error;
    if (error instanceof FormatError) throw new DeploymentFormatError(`${fileName} ${error.path}`, error.reason);
    throw error;
  }
}

function readDeployment(value: JsonValue, fileName: string): ProposedDeployment {
  const root = expectObject(value, '$');
  const findings: Finding[] = [];
  const unknown: string[] = [];
  collectUnknownFields(root, '$', DEPLOYMENT_FIELDS, unknown);
  const environment = expectNonEmptyString(requiredField(root, 'environment', '$'), '$.environment');
  const entries = expectArray(requiredField(root, 'artifacts', '$'), '$.artifacts');
  if (entries.length > DEPLOYMENT_LIMITS.maxArtifacts) {
    throw new FormatError('$.artifacts', `${entries.length} artifacts, more than the limit of ${DEPLOYMENT_LIMITS.maxArtifacts}`);
  }
  const artifacts = entries.map((entry, index) => readArtifact(entry, jsonPathChild('$.artifacts', index), fileName, findings, unknown));
  for (const path of unknown) {
    findings.push({ severity: 'info', code: 'unknown-field', message: `Field ${path} is not interpreted by this version; it is kept and shown.`, location: `${fileName} ${path}` });
  }
  return { format: 'native', environment, artifacts, findings };
}

function readArtifact(value: JsonValue, path: string, fileName: string, findings: Finding[], unknown: string[]): ProposedArtifact {
  const object = expectObject(value, path);
  collectUnknownFields(object, path, ARTIFACT_FIELDS, unknown);
  const name = expectNonEmptyString(requiredField(object, 'name', path), jsonPathChild(path, 'name'));
  const digestValue = optionalField(object, 'digest');
  const referenceValue = optionalField(object, 'reference');
  if (digestValue === undefined && referenceValue === undefined) throw new FormatError(path, 'an artifact needs a "digest" or a "reference"');
  const digest = digestValue === undefined ? null : parseDigestSet(digestValue, jsonPathChild(path, 'digest'));
  const location = `${fileName} ${path}`;

  if (referenceValue === undefined) return { name, reference: null, digest, location, image: null, storageUri: null };

  const referencePath = jsonPathChild(path, 'reference');
  const reference = expectNonEmptyString(referenceValue, referencePath);
  const artifact = isUri(reference) ? storageArtifact(reference, `${fileName} ${referencePath}`, findings, name) : imageArtifact(reference, `${fileName} ${referencePath}`, findings, name);
  if (artifact.image !== null) {
    // The name is what is matched; a reference that pulls another repository would deploy something else under an approved name.
    const named = normaliseRepositoryName(name);
    if (named !== null && named !== artifact.image.repository) {
      throw new FormatError(referencePath, `the reference pulls ${artifact.image.repository}, but the artifact is named ${name}`);
    }
  }
  if (digest !== null && artifact.digest !== null && !sameDigests(digest, artifact.digest)) {
    throw new FormatError(path, 'the "digest" and the digest in the "reference" disagree');
  }
  return { ...artifact, digest: digest ?? artifact.digest, location };
}

function sameDigests(a: DigestSet, b: DigestSet): boolean {
  const common = Object.keys(a).filter((algorithm) => Object.hasOwn(b, algorithm));
  return common.length > 0 && common.every((algorithm) => a[algorithm] === b[algorithm]);
}

import type { DigestSet } from '../formats/digest';
import { FormatError } from '../formats/format-error';
import type { Finding } from '../verify/report';
import { parseImageReference, ImageReferenceError, type ImageReference } from './image-reference';

/**
 * A proposed deployment, read from any of the formats FORMATS §8 allows: the artifacts it would
 * run, each with what it is pinned by, and what was noticed while reading it.
 */
export interface ProposedDeployment {
  format: 'native' | 'kubernetes';
  environment: string | null;
  artifacts: ProposedArtifact[];
  findings: Finding[];
}

export interface ProposedArtifact {
  /** The name it is matched by: a native artifact's name, an image's normalised repository, a storage URI. */
  name: string;
  /** The image reference or URI exactly as written, when it was given by one. */
  reference: string | null;
  /** The digest that pins it, or null when nothing does (a tag, a storage URI). */
  digest: DigestSet | null;
  /** Where it was found, for people: file, document, object and field. */
  location: string;
  /** Set when it is a container image (or a KServe `oci://` model image): matched by repository. */
  image: ImageReference | null;
  /** Set when it is a KServe storage URI (not `oci://`): matched by the storage URI rule. */
  storageUri: string | null;
}

/** Caps on a deployment file; past any of them it is refused with an error naming the cap. */
export const DEPLOYMENT_LIMITS = Object.freeze({
  /** Checked on the bytes, before any parsing. */
  maxBytes: 4 * 1024 * 1024,
  /** YAML documents (`---`) in one file. */
  maxDocuments: 1_000,
  /** yaml's alias expansion budget per document: a billion-laughs document fails at the 101st expanded alias. */
  maxAliasCount: 100,
  /** Artifacts in one deployment. */
  maxArtifacts: 10_000,
});

/** A deployment file that cannot be read; `path` names the file, document and field. */
export class DeploymentFormatError extends FormatError {}

const OCI_SCHEME = 'oci://';
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * An artifact given by an image reference. A reference with both a tag and a digest runs the
 * digest (the tag is ignored by the runtime), so the digest decides, and the mix is reported.
 */
export function imageArtifact(reference: string, location: string, findings: Finding[], name?: string): ProposedArtifact {
  let image: ImageReference;
  try {
    image = parseImageReference(reference);
  } catch (error) {
    if (error instanceof ImageReferenceError) throw new DeploymentFormatError(location, error.message);
    throw error;
  }
  if (image.tag !== null && image.digest !== null) {
    findings.push({
      severity: 'warning',
      code: 'tag-and-digest',
      message: `${reference} names both the tag "${image.tag}" and a digest: the digest decides what runs, the tag is ignored.`,
      location,
    });
  }
  return {
    name: name ?? image.repository,
    reference,
    digest: image.digest === null ? null : { [image.digest.algorithm]: image.digest.hex },
    location,
    image,
    storageUri: null,
  };
}

/**
 * A KServe `storageUri`. `oci://registry/repo@sha256:…` is a model image (KServe "modelcar"),
 * pulled by the container runtime and so pinned by its digest like any image. Every other
 * scheme (s3, gs, pvc, https, hf, …) names a location whose content can change and which
 * nothing checks at startup: it carries no digest.
 */
export function storageArtifact(uri: string, location: string, findings: Finding[], name?: string): ProposedArtifact {
  if (uri.startsWith(OCI_SCHEME)) return imageArtifact(uri.slice(OCI_SCHEME.length), location, findings, name);
  if (!URI_SCHEME.test(uri)) throw new DeploymentFormatError(location, `${JSON.stringify(uri)} is not a storage URI (scheme://location)`);
  return { name: name ?? uri, reference: uri, digest: null, location, image: null, storageUri: uri };
}

/** Whether a deployment.json `reference` is a URI rather than an image reference. */
export function isUri(reference: string): boolean {
  return URI_SCHEME.test(reference);
}

/** `s3://models/model/fraud.onnx` → `model/fraud.onnx`: the object path after the bucket (or host, or claim). */
export function pathAfterBucket(uri: string): string | null {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*\/(.+)$/.exec(uri);
  if (match === null) return null;
  const path = match[1]!.replace(/[?#].*$/, '');
  return path === '' ? null : path;
}

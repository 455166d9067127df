/**
 * Container image references, by the grammar of the OCI distribution reference
 * (github.com/distribution/reference, the one `docker pull` and Kubernetes use):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*
 *   domain    := host [ ":" port ]          host: DNS name, IPv4, or [IPv6]
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := algorithm ":" hex
 *
 * Normalised as Docker does: a first component is a registry only when it contains "." or ":",
 * is "localhost", or has an uppercase letter; otherwise the registry is docker.io, and a
 * single-component name on docker.io lives in `library/`. `index.docker.io` is docker.io.
 * So `nginx`, `docker.io/library/nginx` and `index.docker.io/library/nginx` are one repository.
 *
 * Digests are held to the exact form FORMATS §1 uses for the algorithms Countersign compares
 * (lowercase hex of the exact length), so that two spellings of one digest cannot both match.
 */

export interface ImageDigest {
  algorithm: 'sha256' | 'sha384' | 'sha512';
  hex: string;
}

export interface ImageReference {
  /** The reference exactly as written. */
  original: string;
  /** The registry, normalised: `docker.io`, `registry.example.com`, `localhost:5000`. */
  domain: string;
  /** The repository path on the registry, e.g. `library/nginx`. */
  path: string;
  /** `domain/path`: what two references must share to name the same repository. */
  repository: string;
  tag: string | null;
  digest: ImageDigest | null;
}

export class ImageReferenceError extends Error {
  constructor(
    readonly reference: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(reference)} is not a valid image reference: ${reason}`);
    this.name = 'ImageReferenceError';
  }
}

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_NAMESPACE = 'library';
/** distribution/reference's NameTotalLengthMax. */
const MAX_NAME_LENGTH = 255;

const DIGEST_HEX_LENGTHS: Readonly<Record<ImageDigest['algorithm'], number>> = { sha256: 64, sha384: 96, sha512: 128 };

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DOMAIN_NAME = /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*$/;
const IPV6_HOST = /^\[[0-9A-Fa-f:.]+\]$/;
const PORT = /^[0-9]+$/;
const DIGEST_ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[+.\-_][A-Za-z][A-Za-z0-9]*)*$/;

export function parseImageReference(text: string): ImageReference {
  const fail = (reason: string): never => {
    throw new ImageReferenceError(text, reason);
  };
  if (text === '') fail('it is empty');
  if (/\s/.test(text)) fail('it contains whitespace');

  const at = text.indexOf('@');
  if (at !== -1 && text.indexOf('@', at + 1) !== -1) fail('it has more than one "@"');
  const nameAndTag = at === -1 ? text : text.slice(0, at);
  const digest = at === -1 ? null : parseDigest(text.slice(at + 1), fail);

  // A tag is after the last ":" that follows the last "/"; any earlier ":" belongs to a registry port.
  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > nameAndTag.lastIndexOf('/');
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : null;
  if (tag !== null && !TAG.test(tag)) fail(`the tag "${tag}" is not a valid tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`);

  if (name === '') fail('the repository name is missing');
  if (name.length > MAX_NAME_LENGTH) fail(`the repository name is longer than ${MAX_NAME_LENGTH} characters`);
  const { domain, path } = splitDomain(name, fail);
  for (const component of path.split('/')) {
    if (component === '') fail('the repository path has an empty component');
    if (component.toLowerCase() !== component && PATH_COMPONENT.test(component.toLowerCase())) fail(`repository names must be lowercase ("${component}")`);
    if (!PATH_COMPONENT.test(component)) fail(`"${component}" is not a valid repository path component`);
  }
  return { original: text, domain, path, repository: `${domain}/${path}`, tag, digest };
}

/** The reference parsed, or null when it is not one. */
export function tryParseImageReference(text: string): ImageReference | null {
  try {
    return parseImageReference(text);
  } catch (error) {
    if (error instanceof ImageReferenceError) return null;
    throw error;
  }
}

/**
 * The normalised repository of a name that may be written in any accepted spelling (`nginx`,
 * `docker.io/library/nginx`), or null when it is not an image name or carries a tag or digest.
 */
export function normaliseRepositoryName(name: string): string | null {
  const reference = tryParseImageReference(name);
  return reference === null || reference.tag !== null || reference.digest !== null ? null : reference.repository;
}

function splitDomain(name: string, fail: (reason: string) => never): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const firstIsDomain = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (!firstIsDomain) {
    return { domain: DEFAULT_REGISTRY, path: slash === -1 ? `${OFFICIAL_NAMESPACE}/${name}` : name };
  }
  validateDomain(first, fail);
  // Host names are case-insensitive (DNS); the path is not, and must already be lowercase.
  let domain = first.toLowerCase();
  let path = name.slice(slash + 1);
  if (domain === LEGACY_DEFAULT_REGISTRY) domain = DEFAULT_REGISTRY;
  if (domain === DEFAULT_REGISTRY && !path.includes('/')) path = `${OFFICIAL_NAMESPACE}/${path}`;
  return { domain, path };
}

function validateDomain(domain: string, fail: (reason: string) => never): void {
  const portColon = domain.startsWith('[') ? domain.indexOf(':', domain.indexOf(']')) : domain.lastIndexOf(':');
  const host = portColon === -1 ? domain : domain.slice(0, portColon);
  const port = portColon === -1 ? null : domain.slice(portColon + 1);
  if (!DOMAIN_NAME.test(host) && !IPV6_HOST.test(host)) fail(`the registry "${domain}" is not a valid host name`);
  if (port !== null && !PORT.test(port)) fail(`the registry port "${port}" is not a number`);
}

function parseDigest(text: string, fail: (reason: string) => never): ImageDigest {
  const colon = text.indexOf(':');
  if (colon === -1) fail(`the digest "${text}" has no algorithm (write sha256:<64 hex>)`);
  const algorithm = text.slice(0, colon);
  const hex = text.slice(colon + 1);
  if (!DIGEST_ALGORITHM.test(algorithm)) fail(`the digest algorithm "${algorithm}" is not valid`);
  if (!Object.hasOwn(DIGEST_HEX_LENGTHS, algorithm)) fail(`the digest algorithm "${algorithm}" is not one Countersign compares (sha256, sha384, sha512)`);
  const known = algorithm as ImageDigest['algorithm'];
  const length = DIGEST_HEX_LENGTHS[known];
  if (!/^[0-9a-f]*$/.test(hex)) fail(`the ${known} digest must be lowercase hex`);
  if (hex.length !== length) fail(`the ${known} digest must be ${length} hex characters, got ${hex.length}`);
  return { algorithm: known, hex };
}

/** `repository@sha256:…` or `repository:tag`: the reference in its normalised spelling. */
export function formatImageReference(reference: ImageReference): string {
  const tag = reference.tag === null ? '' : `:${reference.tag}`;
  const digest = reference.digest === null ? '' : `@${reference.digest.algorithm}:${reference.digest.hex}`;
  return `${reference.repository}${tag}${digest}`;
}

import { DomainError } from '../../../shared/errors/domain-error';

/**
 * Why a bundle could not be opened or read. The codes are the API contract's:
 * - not-found: the path, or a file asked for, does not exist.
 * - unreadable: it exists but cannot be read as a bundle (permissions, I/O, not a bundle,
 *   a damaged archive, not enough free space to unpack it).
 * - hostile-input: the bundle tries something a bundle never needs (path traversal, links,
 *   device files, twins, nested archives, smuggled or overlapping archive entries) or goes
 *   past a cap.
 * - conflict: a bundle folder changed since it was verified.
 */
export type BundleErrorCode = 'not-found' | 'unreadable' | 'hostile-input' | 'conflict';

/**
 * A finer reason for the refusals a person may choose to override; null for all others.
 * - compression-ratio: an entry expands past maxCompressionRatio (a CompressionRatioError).
 * - no-deployment: the bundle carries no deployment file (an empty state to offer one, not a failure).
 */
export type BundleErrorReason = 'compression-ratio' | 'no-deployment';

export class BundleError extends DomainError {
  override readonly subcode: BundleErrorReason | null = null;

  constructor(
    override readonly code: BundleErrorCode,
    message: string,
    /** The entry (path inside the bundle) the error is about, when there is one. */
    readonly entry: string | null = null,
  ) {
    super(code, message);
  }
}

/** The bundle has no deployment file to diff against: the person can give one. */
export class NoBundleDeploymentError extends BundleError {
  override readonly subcode = 'no-deployment';

  constructor() {
    super('not-found', 'The bundle has no deployment.json, deployment.yaml or *.k8s.yaml: give a deployment file to compare with.');
  }
}

/**
 * An archive expanding past maxCompressionRatio. It is hostile-input like any cap, but the
 * person may know the bundle really is that compressible and raise the limit (`--max-ratio`),
 * so it carries the figures a prompt needs.
 */
export class CompressionRatioError extends BundleError {
  override readonly subcode = 'compression-ratio';

  constructor(
    message: string,
    entry: string | null,
    /** The ratio measured, unpacked bytes per compressed byte. */
    readonly ratio: number,
    /** The limit it went past. */
    readonly limit: number,
    /** Bytes the ratio was measured on: a zip entry's declared size when judged before unpacking (nothing written then), else the bytes unpacked so far. */
    readonly unpackedBytes: number,
  ) {
    super('hostile-input', message, entry);
  }
}

/** True for the refusal a person can lift by raising maxCompressionRatio. */
export function isCompressionRatioError(error: unknown): error is CompressionRatioError {
  return error instanceof BundleError && error.subcode === 'compression-ratio';
}

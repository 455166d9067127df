import type { ForeignFormat } from '../../../shared/verify/foreign/detect-format';
import type { VerificationReport } from '../../../shared/verify/report';
import type { HashPool } from '../hashing/hash-files';
import type { JobControl } from '../jobs/job-registry';
import type { TrustedPublicKey } from './public-keys';

/**
 * Trust for a foreign signature, as the person gave it (the CLI's trust flags). Files are read
 * once, by whoever builds this (see load-trust-flags.ts); a verifier never opens a trust file
 * itself, and never takes trust from the signature it checks.
 */
export interface TrustFlags {
  /** `--key`: raw public keys, parsed; also the layout owner's key for in-toto. */
  keys: readonly TrustedPublicKey[];
  /** `--ca`: X.509 trust anchors, each file's PEM text. */
  certificateAuthorities: readonly CertificateAuthorityTrust[];
  /** `--trusted-root`: the only source of Fulcio, Rekor, CT log and TSA keys. */
  trustedRoot: { path: string; bytes: Uint8Array } | null;
  /** Keyless signers trusted under `trustedRoot`: each an exact certificate identity (SAN) with its OIDC issuer. */
  sigstoreIdentities: readonly SigstoreIdentity[];
  /** `--allowed-signers`: the file's text, parsed by the SSH verifier. */
  allowedSigners: { path: string; text: string } | null;
  principal: string | null;
  namespace: string | null;
  /** `--layout`, and `--links` (a directory the in-toto verifier reads). */
  layout: { path: string; bytes: Uint8Array } | null;
  linksDirectory: string | null;
  /** `--ignore-paths`, relative to the model root, exact. */
  ignorePaths: readonly string[];
  ignoreUnsignedFiles: boolean;
  /** Distinct trusted keys required; 1 unless `--threshold` says otherwise. */
  threshold: number;
  /** What trust was given, for the report: e.g. `--key ci.pub`. */
  anchors: readonly string[];
  /** flags: from the trust flags alone. store / board-file: no trust flag was given, keys came from the profile. */
  source: 'flags' | 'store' | 'board-file';
}

/** An X.509 trust anchor; `identity`, when set, is the only leaf identity (SAN) it vouches for. */
export interface CertificateAuthorityTrust {
  path: string;
  pem: string;
  identity: string | null;
  /** `producer` for a board policy's producer root; `flag` (the default) for --ca. */
  source?: 'flag' | 'producer';
}

/** A keyless (Fulcio) signer: the certificate's SAN and the OIDC issuer that vouched for it, both exact. */
export interface SigstoreIdentity {
  identity: string;
  issuer: string;
  /** Who this is on the board (a producer's name), when trust came from a board policy. */
  name: string | null;
}

/** One foreign verification, with everything a verifier may use. */
export interface ForeignVerificationRequest {
  format: ForeignFormat;
  /**
   * What was signed, as given: a model directory or file (OMS), an artifact (Sigstore, DSSE,
   * SSH), an in-toto work directory. Nothing outside it is read, save the signature and trust files.
   */
  target: { path: string; kind: 'file' | 'directory' };
  /** The signature file's bytes, read once with a size cap. `separate` is false when the target is the envelope itself (no artifact). */
  signature: { path: string; bytes: Uint8Array; separate: boolean };
  trust: TrustFlags;
  job: JobControl;
  /** The host's hash workers: OMS hashes a model's files and shards on them, in parallel. */
  hashPool: HashPool;
  now: Date;
}

/**
 * A verifier for one foreign format. It answers with a full report for every outcome it can name
 * (built with assembleForeignReport: a malformed or hostile signature is verdict invalid with an
 * error finding; a missing or changed file is tampered; too few trusted keys is untrusted), and
 * throws only when it cannot answer at all (cancelled, the target unreadable).
 */
export interface FormatVerifier {
  readonly format: ForeignFormat;
  verify(request: ForeignVerificationRequest): Promise<VerificationReport>;
}

// The parts of keyless Sigstore verification and how they meet. A trusted root (the reviewer's
// --trusted-root file, or the board's) is the only source of Fulcio, Rekor, CT log and timestamp
// authority keys; nothing the bundle carries is trusted until one of these vouches for it.
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Transparency } from '../../../../shared/verify/report';

/** When a trusted root says an authority or log may be relied on; `end` null is open-ended. */
export interface ValidityWindow {
  start: Date;
  end: Date | null;
}

/** A Fulcio instance or a timestamp authority: its chain as the trusted root lists it (leaf-most first, root last). */
export interface TrustedCertificateAuthority {
  uri: string;
  subject: string;
  chain: readonly X509Certificate[];
  validFor: ValidityWindow;
}

/** A Rekor log or a certificate-transparency log. */
export interface TrustedLog {
  baseUrl: string;
  /** The log's ID: SHA-256 of its DER SubjectPublicKeyInfo unless the trusted root states another. */
  logId: Uint8Array;
  publicKey: KeyObject;
  validFor: ValidityWindow;
}

/** A parsed trusted_root.json (dev.sigstore.trustedroot v0.1/v0.2). */
export interface TrustedRoot {
  certificateAuthorities: readonly TrustedCertificateAuthority[];
  tlogs: readonly TrustedLog[];
  ctlogs: readonly TrustedLog[];
  timestampAuthorities: readonly TrustedCertificateAuthority[];
}

/** A time some trusted party vouched the signature existed at: the certificate is checked at it. */
export interface VerifiedTime {
  time: Date;
  source: 'rekor-integrated-time' | 'rfc3161';
  /** Which log or authority vouched, for the report (e.g. its base URL or subject). */
  authority: string;
}

/** What the transparency logs and timestamp authorities vouched for. */
export interface TransparencyVerdict {
  times: VerifiedTime[];
  /** For the report's `transparency` object. */
  transparency: Transparency;
  /** Each problem in plain words; any problem means the bundle is not verified. */
  problems: string[];
}

/** What a Fulcio certificate turned out to be, checked against the trusted root at the verified times. */
export interface FulcioVerdict {
  /** The leaf's SAN (email, URI) and the OIDC issuer from its Fulcio extension. */
  identity: string | null;
  issuer: string | null;
  publicKey: KeyObject | null;
  /** Each problem in plain words; any problem means the certificate vouches for nothing. */
  problems: string[];
  /** e.g. `fulcio-chain`, `sct`. */
  proofsChecked: string[];
}

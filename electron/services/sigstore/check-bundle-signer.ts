// Which way a Sigstore bundle's signer is checked: keyless against the trusted root (a Fulcio
// certificate), or against the keys and X.509 roots given. A certificate chain may be either: it
// is checked against the X.509 roots first, and keyless only when none of them vouches for it, so
// holding a trusted root never takes trust away from a producer's own certificate authority.
import type { Transparency } from '../../../shared/verify/report';
import type { TrustFlags } from '../foreign/format-verifier';
import { verifyKeylessBundle } from './keyless/keyless-bundle';
import type { SigstoreBundle } from './sigstore-bundle';
import { verifySigner, type SignerVerdict, type X509Anchor } from './verify-signer';

export type BundleSignerVerdict = SignerVerdict & {
  /** What the transparency log and timestamps vouched for; null when trust came from keys or X.509 roots (nothing of the log was checked). */
  transparency: Transparency | null;
};

export function checkBundleSigner(
  bundle: SigstoreBundle,
  trust: TrustFlags,
  roots: readonly X509Anchor[],
  signatures: readonly { sig: Uint8Array; keyid: string | null }[],
  message: Uint8Array,
  artifactDigest: { algorithm: string; hex: string } | null,
  now: Date,
): BundleSignerVerdict {
  const keyless = (): BundleSignerVerdict => verifyKeylessBundle(bundle, trust, signatures, message, artifactDigest, now);
  const byAnchors = (): BundleSignerVerdict => ({ ...verifySigner(bundle.signer, signatures, message, { keys: trust.keys, roots }, now), transparency: null });
  if (bundle.signer.kind === 'keyless-certificate') return keyless();
  if (bundle.signer.kind !== 'certificate-chain' || trust.trustedRoot === null) return byAnchors();
  if (roots.length > 0) {
    const anchored = byAnchors();
    if (anchored.refusal === null && anchored.checks.some((check) => check.status !== 'unknown-key')) return anchored;
  }
  return keyless();
}

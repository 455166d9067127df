// Keyless verification of one Sigstore bundle, end to end: the trusted root the reviewer gave
// (never anything the bundle brings), then what its transparency-log entries and timestamps vouch
// for, then the Fulcio certificate at those times, then the signature with the certificate's key.
import { FormatError } from '../../../../shared/formats/format-error';
import type { SignatureCheck, Transparency } from '../../../../shared/verify/report';
import type { TrustFlags } from '../../foreign/format-verifier';
import type { SigstoreBundle } from '../sigstore-bundle';
import { verifyKeylessSigner } from './keyless-signer';
import { verifyTransparency } from './transparency';
import { readTrustedRoot } from './trusted-root';

export interface KeylessBundleVerdict {
  checks: SignatureCheck[];
  transparency: Transparency | null;
  /** Why the bundle cannot be checked at all (verdict invalid), or null. */
  refusal: string | null;
}

export const KEYLESS_NEEDS_TRUSTED_ROOT =
  'A keyless signature (a Fulcio certificate) is checked against a trusted root: give --trusted-root with --certificate-identity and --certificate-oidc-issuer.';

/**
 * @param message what was signed: the DSSE PAE, or the artifact's bytes for a message signature.
 * @param artifactDigest for a message signature, the artifact's own digest (what a hashedrekord entry must name).
 */
export function verifyKeylessBundle(
  bundle: SigstoreBundle,
  trust: TrustFlags,
  signatures: readonly { sig: Uint8Array; keyid: string | null }[],
  message: Uint8Array,
  artifactDigest: { algorithm: string; hex: string } | null,
  now: Date,
): KeylessBundleVerdict {
  const refuse = (refusal: string): KeylessBundleVerdict => ({ checks: [], transparency: null, refusal });
  if (trust.trustedRoot === null) return refuse(KEYLESS_NEEDS_TRUSTED_ROOT);
  const certificatesDer = bundle.signer.kind === 'keyless-certificate' ? [bundle.signer.certificateDer] : bundle.signer.kind === 'certificate-chain' ? bundle.signer.certificatesDer : [];
  if (certificatesDer.length === 0) return refuse('The bundle carries no certificate: a keyless signature needs its Fulcio certificate.');
  if (signatures.length !== 1) return refuse(`A keyless Sigstore bundle carries one signature; this one carries ${signatures.length}.`);
  let root;
  try {
    root = readTrustedRoot(trust.trustedRoot.bytes);
  } catch (error) {
    if (error instanceof FormatError) return refuse(`The trusted root ${trust.trustedRoot.path} is malformed: ${error.message}`);
    throw error;
  }
  const transparency = verifyTransparency(
    {
      bundle,
      signatureBytes: signatures[0]!.sig,
      leafCertificateDer: certificatesDer[0]!,
      verificationKeySpkiDer: null,
      artifactDigest,
      envelope: bundle.content.kind === 'dsse' ? bundle.content.envelope : null,
    },
    root,
    now,
  );
  const verdict = verifyKeylessSigner({
    certificatesDer,
    signatures,
    message,
    root,
    transparency,
    identities: trust.sigstoreIdentities,
    trustSource: trust.source === 'flags' ? 'flag' : 'producer',
  });
  return { checks: verdict.checks, transparency: verdict.transparency, refusal: null };
}

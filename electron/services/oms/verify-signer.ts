// Who signed, and whether the reviewer trusts them: the DSSE (or message) signature checked
// against the keys given with --key, or against a certificate chain that ends at a root given
// with --ca. What the bundle brings (a key hint, an embedded key, certificates) is only a claim.
import { createHash, createPublicKey, verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import type { SignatureCheck } from '../../../shared/verify/report';
import type { SignerClaim } from './sigstore-bundle';

export interface TrustedKey {
  key: KeyObject;
  /** Where the reviewer gave it, e.g. the --key file name. */
  label: string;
}

export interface TrustAnchors {
  keys: readonly TrustedKey[];
  roots: readonly X509Certificate[];
}

export interface SignerVerdict {
  checks: SignatureCheck[];
  /** A problem that makes the bundle unusable whatever the trust: e.g. keyless, not supported yet. */
  refusal: string | null;
}

const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3';
const MAX_CHAIN_DEPTH = 10;

/** `SHA256:` + unpadded base64 of SHA-256 over the DER SubjectPublicKeyInfo. */
export function keyIdOfKey(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/** The hash follows the curve: P-256 SHA-256, P-384 SHA-384, P-521 SHA-512; none for Ed25519. */
export function signatureHashFor(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448') return null;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'sha256';
    if (curve === 'secp384r1') return 'sha384';
    if (curve === 'secp521r1') return 'sha512';
    throw new Error(`unsupported elliptic curve ${curve ?? '(unnamed)'}`);
  }
  if (key.asymmetricKeyType === 'rsa') return 'sha256';
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '(unknown)'}`);
}

/** Verifies a signature over `message`, ECDSA as DER or IEEE P1363. Never throws for a bad signature. */
export function verifiesUnder(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  let hash: string | null;
  try {
    hash = signatureHashFor(key);
  } catch {
    return false;
  }
  const attempt = (dsaEncoding: 'der' | 'ieee-p1363'): boolean => {
    try {
      return verifySignature(hash, message, key.asymmetricKeyType === 'ec' ? { key, dsaEncoding } : key, signature);
    } catch {
      return false;
    }
  };
  return attempt('der') || (key.asymmetricKeyType === 'ec' && attempt('ieee-p1363'));
}

/**
 * Checks each signature over `message` (the DSSE PAE, or the artifact for a message signature).
 * With --key, a trusted key must verify it; with --ca, the bundle's leaf certificate must chain
 * to a given root and its key must verify it.
 */
export function verifySigner(claim: SignerClaim, signatures: readonly { sig: Uint8Array; keyid: string | null }[], message: Uint8Array, trust: TrustAnchors, now: Date): SignerVerdict {
  if (claim.kind === 'keyless-certificate') {
    return { checks: [], refusal: 'Keyless Sigstore signatures (Fulcio certificate, Rekor log) are not supported yet: verify with --key or --ca, or with model_signing/cosign.' };
  }
  if (claim.kind === 'certificate-chain') return { checks: signatures.map((signature, index) => checkWithChain(claim.certificatesDer, signature, index, message, trust, now)), refusal: null };
  return { checks: signatures.map((signature, index) => checkWithKeys(claim, signature, index, message, trust)), refusal: null };
}

function hintOf(claim: SignerClaim, keyid: string | null): string {
  if (claim.kind === 'key-hint' && claim.hint !== null) return claim.hint;
  return keyid ?? '';
}

function checkWithKeys(claim: Extract<SignerClaim, { kind: 'key-hint' | 'embedded-key' }>, signature: { sig: Uint8Array; keyid: string | null }, index: number, message: Uint8Array, trust: TrustAnchors): SignatureCheck {
  const keyIdHint = hintOf(claim, signature.keyid);
  const base = { index, keyIdHint, trustSource: null, signerName: null };
  for (const trusted of trust.keys) {
    if (verifiesUnder(trusted.key, message, signature.sig)) {
      return { ...base, keyId: keyIdOfKey(trusted.key), signerName: trusted.label, trustSource: 'pinned', status: 'valid', reason: `Verifies under the key given with --key (${trusted.label}).` };
    }
  }
  const embedded = claim.kind === 'embedded-key' ? importEmbeddedKey(claim.spkiDer) : null;
  if (embedded) {
    const embeddedId = keyIdOfKey(embedded);
    const trustedMatch = trust.keys.find((trusted) => keyIdOfKey(trusted.key) === embeddedId);
    if (trustedMatch) {
      return { ...base, keyId: embeddedId, signerName: trustedMatch.label, status: 'invalid', reason: `Does not verify under the trusted key ${trustedMatch.label} that the bundle names: the signed content was changed.` };
    }
    const verifiesEmbedded = verifiesUnder(embedded, message, signature.sig);
    return {
      ...base,
      keyId: null,
      status: 'unknown-key',
      reason: verifiesEmbedded
        ? `Verifies only under the key the bundle brings (${embeddedId}), which no --key vouches for.`
        : 'Verifies under no key given with --key (nor under the key the bundle brings).',
    };
  }
  const hintNote = claim.kind === 'key-hint' && claim.hint !== null ? ` The bundle's key hint ${claim.hint} is not a trust anchor.` : '';
  return {
    ...base,
    keyId: null,
    status: 'unknown-key',
    reason: trust.keys.length === 0 ? `No key was given with --key or --ca to check it against.${hintNote}` : `Verifies under no key given with --key.${hintNote}`,
  };
}

function importEmbeddedKey(spkiDer: Uint8Array): KeyObject | null {
  try {
    return createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

function checkWithChain(certificatesDer: readonly Uint8Array[], signature: { sig: Uint8Array; keyid: string | null }, index: number, message: Uint8Array, trust: TrustAnchors, now: Date): SignatureCheck {
  const base = { index, keyIdHint: signature.keyid ?? '', trustSource: null };
  let chain: X509Certificate[];
  try {
    chain = certificatesDer.map((der) => new X509Certificate(Buffer.from(der)));
  } catch (error) {
    return { ...base, keyId: null, signerName: null, status: 'invalid', reason: `A certificate in the bundle cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const leaf = chain[0]!;
  const signerName = signerNameOf(leaf);
  const keyId = keyIdOfKey(leaf.publicKey);
  if (!verifiesUnder(leaf.publicKey, message, signature.sig)) {
    return { ...base, keyId, signerName, status: trust.roots.length > 0 && chainProblem(chain, trust.roots, now) === null ? 'invalid' : 'unknown-key', reason: `Does not verify under the leaf certificate's key (${signerName}).` };
  }
  if (trust.roots.length === 0) {
    return { ...base, keyId, signerName, status: 'unknown-key', reason: `Verifies under the bundle's certificate for ${signerName}, but no --ca root was given to vouch for it.` };
  }
  const problem = chainProblem(chain, trust.roots, now);
  if (problem !== null) return { ...base, keyId, signerName, status: 'unknown-key', reason: `The certificate for ${signerName} is not trusted: ${problem}` };
  return { ...base, keyId, signerName, trustSource: 'pinned', status: 'valid', reason: `Verifies under the certificate for ${signerName}, which chains to a root given with --ca.` };
}

/** Null when the leaf chains through the bundle's intermediates to one of the roots, every link valid at `now`. */
export function chainProblem(chain: readonly X509Certificate[], roots: readonly X509Certificate[], now: Date): string | null {
  const leaf = chain[0]!;
  const eku = leaf.keyUsage;
  if (eku !== undefined && eku.length > 0 && !eku.includes(CODE_SIGNING_EKU)) return `the leaf certificate's extended key usage (${eku.join(', ')}) does not allow code signing.`;
  const intermediates = chain.slice(1);
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    const expired = validityProblem(current, now);
    if (expired) return expired;
    const root = roots.find((candidate) => isIssuedBy(current, candidate));
    if (root) return validityProblem(root, now);
    if (roots.some((candidate) => candidate.fingerprint256 === current.fingerprint256)) return null;
    const issuer = intermediates.find((candidate) => candidate !== current && candidate.ca && isIssuedBy(current, candidate));
    if (!issuer) return `no certificate given with --ca issued ${describe(current)}, nor does the bundle hold an intermediate that leads to one.`;
    current = issuer;
  }
  return `the chain is longer than ${MAX_CHAIN_DEPTH} certificates.`;
}

function isIssuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function validityProblem(certificate: X509Certificate, now: Date): string | null {
  const from = new Date(certificate.validFrom);
  const to = new Date(certificate.validTo);
  if (now < from) return `${describe(certificate)} is not valid before ${from.toISOString()}.`;
  if (now > to) return `${describe(certificate)} expired at ${to.toISOString()}.`;
  return null;
}

function describe(certificate: X509Certificate): string {
  return `the certificate "${certificate.subject.replace(/\n/g, ', ')}"`;
}

/** The SAN when there is one (what Sigstore identities use), else the subject. */
export function signerNameOf(certificate: X509Certificate): string {
  const san = certificate.subjectAltName;
  if (san) return san;
  return certificate.subject.replace(/\n/g, ', ');
}

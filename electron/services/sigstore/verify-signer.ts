// Who signed a Sigstore bundle, and whether the reviewer trusts them: each signature is checked
// against the keys given as trust (--key), or against the bundle's leaf certificate when that
// certificate chains to a root given with --ca. What the bundle brings (a key hint, an embedded
// key, certificates) is only a claim until one of those vouches for it. Keyless certificates are
// checked against the trusted root by keyless/keyless-bundle.ts.
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { FormatError } from '../../../shared/formats/format-error';
import type { SignatureCheck, TrustSource } from '../../../shared/verify/report';
import type { TrustFlags } from '../foreign/format-verifier';
import { parseTrustedPublicKey, type TrustedPublicKey } from '../foreign/public-keys';
import { checkRawSignature } from '../foreign/signature-checks';
import { verifyWithKey } from '../foreign/verify-with-key';
import { KEYLESS_NEEDS_TRUSTED_ROOT } from './keyless/keyless-bundle';
import { readTrustedRoot } from './keyless/trusted-root';
import type { SignerClaim } from './sigstore-bundle';
import { subjectAltNames } from './subject-alt-names';

export interface SignerTrust {
  keys: readonly TrustedPublicKey[];
  roots: readonly X509Anchor[];
}

/** A root given as trust; with `identity`, only a leaf whose SAN is exactly that identity counts under it. */
export interface X509Anchor {
  certificate: X509Certificate;
  identity: string | null;
  /** Where the root came from: `flag` for --ca, `producer` for a board policy's producer. */
  source: TrustSource;
}

export interface SignerVerdict {
  checks: SignatureCheck[];
  /** A problem that makes the bundle unusable whatever the trust (a keyless certificate without a trusted root). */
  refusal: string | null;
}

const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3';
const MAX_CHAIN_DEPTH = 10;

/** The X.509 roots in the PEM text of each --ca file. */
export function readRoots(authorities: readonly { path: string; pem: string; identity?: string | null; source?: TrustSource }[]): X509Anchor[] {
  return authorities.flatMap(({ path, pem, identity = null, source = 'flag' }) => {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw new TrustRootError(`--ca ${path} holds no PEM certificate.`);
    return blocks.map((block) => {
      try {
        return { certificate: new X509Certificate(block), identity, source };
      } catch (error) {
        throw new TrustRootError(`--ca ${path}: a certificate cannot be read (${error instanceof Error ? error.message : String(error)}).`);
      }
    });
  });
}

export class TrustRootError extends Error {}

/** Reads the --trusted-root file once up front, so a malformed one is refused whatever the bundle holds. */
export function checkTrustedRoot(trust: TrustFlags): void {
  if (trust.trustedRoot === null) return;
  try {
    readTrustedRoot(trust.trustedRoot.bytes);
  } catch (error) {
    if (error instanceof FormatError) throw new TrustRootError(`The trusted root ${trust.trustedRoot.path} is malformed: ${error.message}`);
    throw error;
  }
}

/** Keys, X.509 roots and (under a trusted root) keyless identities: what could make a signature trusted. */
export function trustedAnchorCount(trust: TrustFlags): number {
  return trust.keys.length + trust.certificateAuthorities.length + (trust.trustedRoot === null ? 0 : trust.sigstoreIdentities.length);
}

/**
 * Checks each signature over `message` (the DSSE PAE, or the artifact for a message signature).
 */
export function verifySigner(claim: SignerClaim, signatures: readonly { sig: Uint8Array; keyid: string | null }[], message: Uint8Array, trust: SignerTrust, now: Date): SignerVerdict {
  // Keyless bundles are checked by verifyKeylessBundle; here only when no trusted root was given.
  if (claim.kind === 'keyless-certificate') return { checks: [], refusal: KEYLESS_NEEDS_TRUSTED_ROOT };
  if (claim.kind === 'certificate-chain') {
    return { checks: signatures.map((signature, index) => checkWithChain(claim.certificatesDer, signature, index, message, trust.roots, now)), refusal: null };
  }
  return { checks: signatures.map((signature, index) => checkWithKeys(claim, signature, index, message, trust.keys)), refusal: null };
}

function checkWithKeys(claim: Extract<SignerClaim, { kind: 'key-hint' | 'embedded-key' }>, signature: { sig: Uint8Array; keyid: string | null }, index: number, message: Uint8Array, keys: readonly TrustedPublicKey[]): SignatureCheck {
  const hint = claim.kind === 'key-hint' && claim.hint !== null ? claim.hint : (signature.keyid ?? '');
  const embedded = claim.kind === 'embedded-key' ? importEmbeddedKey(claim.spkiDer) : null;
  // The embedded key names a trusted key only when it IS that key: then a failure is tampering.
  const named = embedded ? keys.find((key) => key.keyId === embedded.keyId) : undefined;
  const check = checkRawSignature(index, named?.keyId ?? hint, signature.sig, message, keys);
  if (check.status !== 'unknown-key') return named ? check : { ...check, keyIdHint: hint };
  if (embedded) {
    const verifiesEmbedded = verifyWithKey(embedded, message, signature.sig).valid;
    return {
      ...check,
      keyIdHint: hint,
      reason: verifiesEmbedded
        ? `Verifies only under the key the bundle brings (${embedded.keyId}), which no trusted key vouches for.`
        : 'No trusted key verifies this signature (nor does the key the bundle brings).',
    };
  }
  return { ...check, keyIdHint: hint, reason: hint === '' ? check.reason : `No trusted key verifies this signature; the bundle's key hint ${JSON.stringify(hint)} is not a trust anchor.` };
}

function importEmbeddedKey(spkiDer: Uint8Array): TrustedPublicKey | null {
  try {
    return asTrustedKey(createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }), 'the key in the bundle');
  } catch {
    return null;
  }
}

function asTrustedKey(key: KeyObject, name: string): TrustedPublicKey {
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  return parseTrustedPublicKey(pem, name, name, 'flag');
}

function checkWithChain(certificatesDer: readonly Uint8Array[], signature: { sig: Uint8Array; keyid: string | null }, index: number, message: Uint8Array, anchors: readonly X509Anchor[], now: Date): SignatureCheck {
  const base = { index, keyIdHint: signature.keyid ?? '', trustSource: null };
  let chain: X509Certificate[];
  let leafKey: TrustedPublicKey;
  try {
    chain = certificatesDer.map((der) => new X509Certificate(Buffer.from(der)));
    leafKey = asTrustedKey(chain[0]!.publicKey, 'the leaf certificate');
  } catch (error) {
    return { ...base, keyId: null, signerName: null, status: 'unknown-key', reason: `The bundle's certificate cannot be used: ${error instanceof Error ? error.message : String(error)}` };
  }
  const leaf = chain[0]!;
  const signerName = signerNameOf(leaf);
  const vouching = anchorsFor(leaf, anchors);
  const problem = anchors.length === 0 ? 'no --ca root was given to vouch for it.' : (identityProblem(chain, anchors, vouching, now) ?? chainProblem(chain, vouching.map((anchor) => anchor.certificate), now));
  const check = verifyWithKey(leafKey, message, signature.sig);
  const common = { ...base, keyId: leafKey.keyId, signerName, algorithm: check.algorithm };
  if (problem !== null) return { ...common, status: 'unknown-key', reason: `The certificate for ${signerName} is not trusted: ${problem}` };
  const source = vouching.find((anchor) => chainProblem(chain, [anchor.certificate], now) === null)?.source ?? 'flag';
  if (!check.valid) return { ...common, status: 'invalid', reason: `Does not verify under the certificate for ${signerName}, which chains to a trusted root: the signed content was changed.` };
  return { ...common, trustSource: source, status: 'valid', reason: `Valid ${check.algorithm} signature by the certificate for ${signerName}, which chains to a ${source === 'flag' ? 'root given with --ca' : 'trusted root'}.` };
}

/** The anchors that may vouch for this leaf: unconstrained ones, and those whose identity is one of the leaf's SANs. */
function anchorsFor(leaf: X509Certificate, anchors: readonly X509Anchor[]): X509Anchor[] {
  let names: string[];
  try {
    names = subjectAltNames(new Uint8Array(leaf.raw));
  } catch {
    names = [];
  }
  return anchors.filter((anchor) => anchor.identity === null || names.includes(anchor.identity));
}

/** Names the constraint when the chain reaches only roots constrained to another identity. */
function identityProblem(chain: readonly X509Certificate[], anchors: readonly X509Anchor[], vouching: readonly X509Anchor[], now: Date): string | null {
  if (vouching.length > 0 && chainProblem(chain, vouching.map((anchor) => anchor.certificate), now) === null) return null;
  const constrained = anchors.filter((anchor) => !vouching.includes(anchor) && chainProblem(chain, [anchor.certificate], now) === null);
  if (constrained.length === 0) return null;
  const identities = [...new Set(constrained.map((anchor) => JSON.stringify(anchor.identity)))].join(', ');
  return `it chains to a root trusted only for the identity ${identities}, and its subject alternative names are not that identity.`;
}

/** Null when the leaf chains through the bundle's intermediates to one of the roots, every link valid at `now`. */
export function chainProblem(chain: readonly X509Certificate[], roots: readonly X509Certificate[], now: Date): string | null {
  const leaf = chain[0]!;
  const eku = leaf.keyUsage;
  if (eku !== undefined && eku.length > 0 && !eku.includes(CODE_SIGNING_EKU)) return `its extended key usage (${eku.join(', ')}) does not allow code signing.`;
  const intermediates = chain.slice(1);
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    const expired = validityProblem(current, now);
    if (expired) return expired;
    if (roots.some((root) => root.fingerprint256 === current.fingerprint256)) return null;
    const root = roots.find((candidate) => isIssuedBy(current, candidate));
    if (root) return validityProblem(root, now);
    const issuer = intermediates.find((candidate) => candidate !== current && candidate.ca && isIssuedBy(current, candidate));
    if (!issuer) return `no root given with --ca issued ${describe(current)}, nor does the bundle hold an intermediate that leads to one.`;
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
  return certificate.subjectAltName ?? certificate.subject.replace(/\n/g, ', ');
}

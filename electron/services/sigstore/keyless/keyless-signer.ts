// Who made a keyless signature, and whether the reviewer trusts them: the Fulcio certificate is
// checked at the times the transparency logs and timestamp authorities vouched for, then each
// signature with the certificate's key. The signer is the certificate's identity and issuer, and
// only when they are exactly a pair the reviewer (or the board) trusts.
import type { KeyObject } from 'node:crypto';
import { FormatError } from '../../../../shared/formats/format-error';
import type { SignatureCheck, Transparency, TrustSource } from '../../../../shared/verify/report';
import type { SigstoreIdentity } from '../../foreign/format-verifier';
import { parseTrustedPublicKey, type TrustedPublicKey } from '../../foreign/public-keys';
import { verifyWithKey } from '../../foreign/verify-with-key';
import { NO_VERIFIED_TIME, verifyFulcioCertificate } from './fulcio-certificate';
import type { TransparencyVerdict, TrustedRoot } from './keyless-types';

export interface KeylessSignerInput {
  /** The bundle's certificates: the Fulcio leaf first, then any intermediates it brings. */
  certificatesDer: readonly Uint8Array[];
  signatures: readonly { sig: Uint8Array; keyid: string | null }[];
  /** What was signed: the DSSE PAE, or the artifact for a message signature. */
  message: Uint8Array;
  root: TrustedRoot;
  transparency: TransparencyVerdict;
  identities: readonly SigstoreIdentity[];
  /** flag: the identities came from the command line; producer: from the board policy. */
  trustSource: TrustSource;
}

export interface KeylessSignerVerdict {
  checks: SignatureCheck[];
  /** What the logs vouched for, with the certificate's own proofs (`fulcio-chain`, `sct`) added. */
  transparency: Transparency;
}

export function verifyKeylessSigner(input: KeylessSignerInput): KeylessSignerVerdict {
  const [leafDer, ...intermediatesDer] = input.certificatesDer;
  const fulcio = verifyFulcioCertificate(leafDer ?? new Uint8Array(0), intermediatesDer, input.root, input.transparency.times, input.identities);
  const transparency: Transparency = {
    ...input.transparency.transparency,
    proofsChecked: [...new Set([...input.transparency.transparency.proofsChecked, ...fulcio.proofsChecked])],
  };
  const signerName = fulcio.identity === null ? null : `${fulcio.matched?.name ? `${fulcio.matched.name}: ` : ''}${fulcio.identity} (issuer ${fulcio.issuer ?? 'unknown'})`;
  const leafKey = fulcio.publicKey ? asTrustedKey(fulcio.publicKey, signerName ?? 'the Fulcio certificate') : null;
  // The transparency check already says when no time was vouched for.
  const problems = [...input.transparency.problems, ...fulcio.problems.filter((problem) => problem !== NO_VERIFIED_TIME || input.transparency.problems.length === 0)];
  // Chain, identity, issuer and SCT hold, only no time is vouched for (a log entry for other content vouches for none).
  const genuineWithoutTime = fulcio.problems.length > 0 && fulcio.problems.every((problem) => problem === NO_VERIFIED_TIME);
  const checks = input.signatures.map((signature, index): SignatureCheck => {
    const base = { index, keyIdHint: signature.keyid ?? '', trustSource: null, signerName };
    if (leafKey === null) {
      return { ...base, keyId: null, status: 'unknown-key', reason: `The bundle's Fulcio certificate cannot be used: ${problems.join(' ') || 'its key is not supported.'}` };
    }
    const check = verifyWithKey(leafKey, input.message, signature.sig);
    const common = { ...base, keyId: leafKey.keyId, algorithm: check.algorithm };
    const who = signerName ?? 'the Fulcio certificate';
    // The certificate is vouched for (chain, identity, SCT, at a verified time): a failure under its key is a change to the content.
    if (fulcio.problems.length === 0 && !check.valid) {
      return { ...common, status: 'invalid', reason: `Does not verify under the Fulcio certificate for ${who}, which the trusted root vouches for: the signed content was changed.` };
    }
    if (genuineWithoutTime && !check.valid) {
      return { ...common, status: 'invalid', reason: `Does not verify under the Fulcio certificate for ${who}, which the trusted root's Fulcio issued: the signed content was changed. ${problems.join(' ')}` };
    }
    if (problems.length > 0) return { ...common, status: 'unknown-key', reason: `The Fulcio certificate for ${who} is not trusted: ${problems.join(' ')}` };
    const when = input.transparency.times.map((time) => `${time.time.toISOString()} (${time.authority})`).join(', ');
    return { ...common, trustSource: input.trustSource, status: 'valid', reason: `Valid ${check.algorithm} signature by ${who}, whose Fulcio certificate chains to the trusted root and was valid when the signature was made: ${when}.` };
  });
  return { checks, transparency };
}

function asTrustedKey(key: KeyObject, name: string): TrustedPublicKey | null {
  try {
    const pem = key.export({ type: 'spki', format: 'pem' }).toString();
    return parseTrustedPublicKey(pem, name, name, 'flag');
  } catch (error) {
    if (error instanceof FormatError) return null;
    throw error;
  }
}

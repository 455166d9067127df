// A Fulcio certificate, checked against the trusted root at the times a transparency log or a
// timestamp authority vouched for: never at "now", since a Fulcio leaf lives ten minutes. The
// certificate vouches for its key only when it chains to a certificate authority of the trusted
// root, every link valid at each verified time, it is for code signing, a trusted CT log promised
// to log it (an SCT), and its identity and OIDC issuer are exactly one pair the reviewer trusts.
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { derChildren, derContent, derOid, derSequence, derString, DER_TAG, readDer } from '../../../../shared/encoding/der';
import { EncodingError } from '../../../../shared/encoding/encoding-error';
import type { SigstoreIdentity } from '../../foreign/format-verifier';
import type { FulcioVerdict, TrustedCertificateAuthority, TrustedRoot, VerifiedTime } from './keyless-types';
import { verifyEmbeddedScts } from './sct';
import { describeWindow, isWithin } from './validity';
import { findExtension, OID, readCertificateFields, type CertificateFields } from './x509-fields';

const MAX_PATH_LENGTH = 10;
/** Extensions whose meaning is checked here (or harmless), so they may be critical. */
const UNDERSTOOD_CRITICAL = new Set([OID.subjectAltName, OID.basicConstraints, OID.keyUsage, OID.extendedKeyUsage, '2.5.29.14', '2.5.29.35']);

export const NO_VERIFIED_TIME = 'no transparency-log entry or timestamp vouches for when the signature was made, so the short-lived certificate cannot be checked.';

interface Certificate {
  x509: X509Certificate;
  fields: CertificateFields;
}

/** What the certificate names: its SAN entries and its OIDC issuer. */
export interface FulcioIdentity {
  sans: string[];
  issuer: string | null;
}

/**
 * Checks a Fulcio leaf (with the bundle's intermediates, if any) against the trusted root at each
 * verified time, and its identity against the trusted identities (exact match of both SAN and issuer).
 */
export function verifyFulcioCertificate(
  leafDer: Uint8Array,
  intermediatesDer: readonly Uint8Array[],
  root: TrustedRoot,
  times: readonly VerifiedTime[],
  identities: readonly SigstoreIdentity[],
): FulcioVerdict & { matched: SigstoreIdentity | null } {
  try {
    return checkCertificate(leafDer, intermediatesDer, root, times, identities);
  } catch (error) {
    // Hostile DER anywhere in the bundle's certificates (an extension that is not what its OID says) makes them unusable.
    if (error instanceof EncodingError) return { identity: null, issuer: null, publicKey: null, problems: [`the certificate cannot be read: ${error.message}`], proofsChecked: [], matched: null };
    throw error;
  }
}

function checkCertificate(
  leafDer: Uint8Array,
  intermediatesDer: readonly Uint8Array[],
  root: TrustedRoot,
  times: readonly VerifiedTime[],
  identities: readonly SigstoreIdentity[],
): FulcioVerdict & { matched: SigstoreIdentity | null } {
  const unusable = (problem: string) => ({ identity: null, issuer: null, publicKey: null, problems: [problem], proofsChecked: [], matched: null });
  let leaf: Certificate;
  let intermediates: Certificate[];
  let publicKey: KeyObject;
  let named: FulcioIdentity;
  try {
    leaf = readCertificate(leafDer);
    intermediates = intermediatesDer.map(readCertificate);
    publicKey = createPublicKey({ key: Buffer.from(leaf.fields.subjectPublicKeyInfo), format: 'der', type: 'spki' });
    named = fulcioIdentity(leaf.fields);
  } catch (error) {
    if (error instanceof TypeError || isOpensslError(error)) return unusable(`the certificate cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  const problems: string[] = [];
  const proofsChecked: string[] = [];
  const matched = matchIdentity(named, identities, problems);
  const identity = matched?.identity ?? named.sans[0] ?? null;

  problems.push(...leafUsageProblems(leaf));
  if (times.length === 0) problems.push(NO_VERIFIED_TIME);

  const chain = chainToTrustedAuthority(leaf, intermediates, root.certificateAuthorities, times);
  if (chain.problem !== null) problems.push(chain.problem);
  else if (times.length > 0) proofsChecked.push('fulcio-chain');

  const issuer = chain.path[1];
  if (issuer !== undefined) {
    const scts = verifyEmbeddedScts(leaf.fields, issuer.fields.subjectPublicKeyInfo, root.ctlogs);
    if (scts.verifiedLogs.length > 0) proofsChecked.push('sct');
    else {
      const tried = root.ctlogs.map((log) => log.baseUrl);
      problems.push(`no valid SCT from a ctlog of the trusted root (${tried.length > 0 ? `logs tried: ${tried.join(', ')}` : 'it lists none'}): ${scts.problems.join(' ')}`);
    }
  }
  return { identity, issuer: named.issuer, publicKey, problems, proofsChecked, matched };
}

/** The leaf's SAN entries (email, URI, Fulcio's username otherName) and OIDC issuer (extension .8, else the legacy .1). */
export function fulcioIdentity(fields: CertificateFields): FulcioIdentity {
  const sanExtension = findExtension(fields, OID.subjectAltName);
  const sans = sanExtension ? readSubjectAltNames(sanExtension.value) : [];
  const current = findExtension(fields, OID.fulcioIssuer);
  const legacy = findExtension(fields, OID.fulcioIssuerLegacy);
  const currentIssuer = current ? derString(readDer(current.value, 'OIDC issuer extension'), 'OIDC issuer extension', [DER_TAG.UTF8_STRING]) : null;
  const legacyIssuer = legacy ? utf8(legacy.value, 'legacy OIDC issuer extension') : null;
  if (currentIssuer !== null && legacyIssuer !== null && currentIssuer !== legacyIssuer) {
    throw new EncodingError('the certificate', `contradictory (its OIDC issuer extensions disagree: ${JSON.stringify(currentIssuer)} and ${JSON.stringify(legacyIssuer)})`);
  }
  return { sans, issuer: currentIssuer ?? legacyIssuer };
}

function readSubjectAltNames(value: Uint8Array): string[] {
  const names: string[] = [];
  for (const name of derSequence(readDer(value, 'subjectAltName'), 'subjectAltName')) {
    if (name.tag === 0x81 || name.tag === 0x86) names.push(utf8(derContent(name), 'subjectAltName'));
    else if (name.tag === 0xa0) {
      const [typeId, wrapped] = derChildren(name, 'otherName');
      if (typeId === undefined || wrapped === undefined || derOid(typeId, 'otherName type') !== OID.fulcioUsernameSan) continue;
      const [text] = derChildren(wrapped, 'otherName value');
      if (text !== undefined) names.push(derString(text, 'otherName value', [DER_TAG.UTF8_STRING]));
    }
  }
  return names;
}

function matchIdentity(named: FulcioIdentity, identities: readonly SigstoreIdentity[], problems: string[]): SigstoreIdentity | null {
  const found = `${named.sans.length > 0 ? named.sans.map((san) => JSON.stringify(san)).join(', ') : 'no identity'} from issuer ${named.issuer === null ? '(none)' : JSON.stringify(named.issuer)}`;
  if (identities.length === 0) {
    problems.push(`no trusted identity was given (--certificate-identity and --certificate-oidc-issuer); the certificate is for ${found}.`);
    return null;
  }
  const exact = identities.find((trusted) => named.sans.includes(trusted.identity) && named.issuer === trusted.issuer);
  if (exact) return exact;
  const sameIdentity = identities.filter((trusted) => named.sans.includes(trusted.identity));
  const expected = (sameIdentity.length > 0 ? sameIdentity : identities).map((trusted) => `${JSON.stringify(trusted.identity)} from issuer ${JSON.stringify(trusted.issuer)}`).join(' or ');
  problems.push(
    sameIdentity.length > 0
      ? `the certificate's identity matches, but its OIDC issuer is ${named.issuer === null ? '(none)' : JSON.stringify(named.issuer)}: expected ${expected}.`
      : `the certificate is for ${found}: expected ${expected}.`,
  );
  return null;
}

function leafUsageProblems(leaf: Certificate): string[] {
  const problems: string[] = [];
  if (leaf.x509.ca) problems.push('the certificate is a CA certificate, not a signing certificate.');
  const eku = findExtension(leaf.fields, OID.extendedKeyUsage);
  const usages = eku ? derSequence(readDer(eku.value, 'extendedKeyUsage'), 'extendedKeyUsage').map((node) => derOid(node, 'extendedKeyUsage')) : [];
  if (!usages.includes(OID.codeSigning)) problems.push(`the certificate is not for code signing (extended key usage: ${usages.length > 0 ? usages.join(', ') : 'none'}).`);
  const keyUsage = keyUsageBits(leaf.fields);
  if (keyUsage !== null && (keyUsage & 0x80) === 0) problems.push('the certificate\'s key usage does not allow digital signatures.');
  const unknown = leaf.fields.extensions.filter((extension) => extension.critical && !UNDERSTOOD_CRITICAL.has(extension.oid as never));
  if (unknown.length > 0) problems.push(`the certificate has critical extensions that are not understood: ${unknown.map((extension) => extension.oid).join(', ')}.`);
  return problems;
}

/** The first octet of the keyUsage BIT STRING (digitalSignature is 0x80, keyCertSign 0x04), or null without the extension. */
function keyUsageBits(fields: CertificateFields): number | null {
  const extension = findExtension(fields, OID.keyUsage);
  if (extension === undefined) return null;
  const bits = derContent(readDer(extension.value, 'keyUsage'));
  return bits[1] ?? 0;
}

interface ChainResult {
  /** Leaf first, then each issuer found; the authority's certificates end it when it is anchored. */
  path: Certificate[];
  problem: string | null;
}

/**
 * Builds the path from the leaf to a certificate of one of the trusted root's authorities (the
 * authority's own chain first, then the bundle's intermediates), and checks it at every time.
 */
function chainToTrustedAuthority(leaf: Certificate, intermediates: readonly Certificate[], authorities: readonly TrustedCertificateAuthority[], times: readonly VerifiedTime[]): ChainResult {
  if (authorities.length === 0) return { path: [leaf], problem: 'the trusted root lists no certificate authority.' };
  let firstAnchored: { authority: TrustedCertificateAuthority; path: Certificate[]; problem: string } | null = null;
  for (const authority of authorities) {
    const anchors = authority.chain.map((x509) => readCertificate(new Uint8Array(x509.raw)));
    const path = buildPath(leaf, anchors, intermediates);
    if (!path.some((certificate) => anchors.some((anchor) => sameCertificate(anchor, certificate)))) continue;
    const problem = pathProblemAtTimes(path, authority, times);
    if (problem === null) return { path, problem: null };
    firstAnchored ??= { authority, path, problem };
  }
  if (firstAnchored) return { path: firstAnchored.path, problem: firstAnchored.problem };
  const tried = authorities.map((authority) => authority.uri || authority.subject).join(', ');
  return { path: [leaf, ...intermediates.filter((candidate) => issuedBy(leaf, candidate)).slice(0, 1)], problem: `no certificate authority of the trusted root issued it (its issuer is "${leaf.x509.issuer.replace(/\n/g, ', ')}"; authorities tried: ${tried}).` };
}

function buildPath(leaf: Certificate, anchors: readonly Certificate[], intermediates: readonly Certificate[]): Certificate[] {
  const path = [leaf];
  let current = leaf;
  let anchored = false;
  while (path.length < MAX_PATH_LENGTH) {
    if (issuedBy(current, current)) break;
    const pool = anchored ? anchors : [...anchors, ...intermediates];
    const issuer = pool.find((candidate) => !path.some((seen) => sameCertificate(seen, candidate)) && issuedBy(current, candidate));
    if (issuer === undefined) break;
    path.push(issuer);
    anchored ||= anchors.some((anchor) => sameCertificate(anchor, issuer));
    current = issuer;
  }
  return path;
}

function pathProblemAtTimes(path: readonly Certificate[], authority: TrustedCertificateAuthority, times: readonly VerifiedTime[]): string | null {
  for (const issuer of path.slice(1)) {
    if (!issuer.x509.ca) return `${describe(issuer)} issued a certificate but is not a CA.`;
    const usage = keyUsageBits(issuer.fields);
    if (usage !== null && (usage & 0x04) === 0) return `${describe(issuer)} issued a certificate but its key usage does not allow certificate signing.`;
  }
  for (const { time, source, authority: vouching } of times) {
    const when = `the signature was made at ${time.toISOString()} (${source === 'rfc3161' ? 'timestamp' : 'integrated time'} from ${vouching})`;
    if (!isWithin(authority.validFor, time)) return `the certificate authority ${authority.uri || authority.subject} is ${describeWindow(authority.validFor)} in the trusted root, but ${when}.`;
    for (const [index, certificate] of path.entries()) {
      const { notBefore, notAfter } = certificate.fields;
      if (time < notBefore || time > notAfter) {
        return `${index === 0 ? 'the signing certificate' : describe(certificate)} is valid from ${notBefore.toISOString()} to ${notAfter.toISOString()}, but ${when}.`;
      }
    }
  }
  return null;
}

function readCertificate(der: Uint8Array): Certificate {
  return { x509: new X509Certificate(Buffer.from(der)), fields: readCertificateFields(der) };
}

function issuedBy(certificate: Certificate, issuer: Certificate): boolean {
  try {
    return certificate.x509.checkIssued(issuer.x509) && certificate.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

function sameCertificate(left: Certificate, right: Certificate): boolean {
  return left.x509.raw.equals(right.x509.raw);
}

function describe(certificate: Certificate): string {
  return `the certificate "${certificate.x509.subject.replace(/\n/g, ', ')}"`;
}

function utf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EncodingError(what, 'not valid UTF-8');
  }
}

function isOpensslError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && String((error as { code?: unknown }).code).startsWith('ERR_');
}

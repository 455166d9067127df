// RFC 3161 timestamps as Sigstore bundles carry them (a DER TimeStampResp, or the bare
// TimeStampToken): a CMS SignedData over a TSTInfo. The TSTInfo must timestamp the bundle's
// signature bytes; the signed attributes must hold the TSTInfo's digest and name the signing
// certificate; the signature over them must verify; and that certificate must be a timestamping
// certificate (critical, sole timeStamping EKU) chaining to a timestamp authority of the trusted
// root, every link valid at the timestamp's time.
import { createHash, verify, X509Certificate } from 'node:crypto';
import { equalBytes } from '../../../../shared/encoding/bytes';
import {
  DER_TAG,
  derChildren,
  derContent,
  derEncoded,
  derOid,
  derSequence,
  derTime,
  derUnsignedInteger,
  encodeDer,
  expectTag,
  readDer,
  type DerNode,
} from '../../../../shared/encoding/der';
import { EncodingError } from '../../../../shared/encoding/encoding-error';
import type { TrustedCertificateAuthority } from './keyless-types';
import { describeWindow, isWithin } from './validity';
import { parseCertificateParts, type CertificateParts } from './x509-parts';

export type TimestampVerdict = { ok: true; time: Date; authority: string } | { ok: false; problem: string };

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

const DIGESTS: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const SHA1 = '1.3.14.3.2.26';

/** Signature algorithms: the hash they fix, or `digest` (the SignerInfo's digest algorithm), or none (Ed25519). */
const SIGNATURES: Record<string, { key: 'ec' | 'rsa' | 'ed25519'; hash: 'sha256' | 'sha384' | 'sha512' | 'digest' | null }> = {
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
  '1.2.840.10045.2.1': { key: 'ec', hash: 'digest' },
  '1.2.840.113549.1.1.1': { key: 'rsa', hash: 'digest' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
  '1.3.101.112': { key: 'ed25519', hash: null },
};
const NAMED_UNSUPPORTED: Record<string, string> = {
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.3.101.113': 'Ed448',
};

const MAX_CHAIN_DEPTH = 10;
const MAX_EMBEDDED_CERTIFICATES = 10;

class TimestampProblem extends Error {}

interface ParsedToken {
  tstInfoDer: Uint8Array;
  imprint: { algorithm: 'sha256' | 'sha384' | 'sha512'; digest: Uint8Array };
  genTime: Date;
  certificates: X509Certificate[];
  signer: {
    sid: { kind: 'issuer-serial'; issuerDer: Uint8Array; serialDer: Uint8Array } | { kind: 'key-id'; keyId: Uint8Array };
    digest: 'sha256' | 'sha384' | 'sha512';
    signedAttributes: DerNode;
    signatureAlgorithm: string;
    signature: Uint8Array;
  };
}

export function verifyRfc3161Timestamp(bytes: Uint8Array, signatureBytes: Uint8Array, authorities: readonly TrustedCertificateAuthority[], now: Date): TimestampVerdict {
  try {
    let token: ParsedToken;
    try {
      token = parseTimestamp(bytes);
    } catch (error) {
      if (error instanceof EncodingError) throw new TimestampProblem(`it is not a well-formed timestamp: ${error.message}`);
      throw error;
    }
    const expectedImprint = createHash(token.imprint.algorithm).update(signatureBytes).digest();
    if (!equalBytes(expectedImprint, token.imprint.digest)) throw new TimestampProblem("it timestamps other bytes than the bundle's signature (the message imprint differs)");
    const attributes = readSignedAttributes(token.signer.signedAttributes);
    if (attributes.contentType !== OID.tstInfo) throw new TimestampProblem('its signed content-type attribute is not TSTInfo');
    const contentDigest = createHash(token.signer.digest).update(token.tstInfoDer).digest();
    if (!equalBytes(contentDigest, attributes.messageDigest)) throw new TimestampProblem('its TSTInfo was changed after signing (the signed message digest does not match it)');

    const candidates = [...token.certificates, ...authorities.flatMap((authority) => authority.chain)];
    const signerCertificate = candidates.find((certificate) => matchesSid(certificate, token.signer.sid));
    if (signerCertificate === undefined) throw new TimestampProblem("its signer's certificate is neither in the timestamp nor among the trusted root's timestamp authorities");
    if (!verifySignerSignature(token, signerCertificate)) throw new TimestampProblem("its signature does not verify under its signer's certificate");
    checkEssCertificate(attributes, signerCertificate);
    checkTimestampingUsage(signerCertificate);
    if (token.genTime > now) throw new TimestampProblem(`its time ${token.genTime.toISOString()} is in the future`);
    return { ok: true, time: token.genTime, authority: trustedAuthorityFor(signerCertificate, authorities, token.genTime) };
  } catch (error) {
    if (error instanceof TimestampProblem) return { ok: false, problem: `${error.message}.` };
    throw error;
  }
}

function parseTimestamp(bytes: Uint8Array): ParsedToken {
  const top = derSequence(readDer(bytes, 'the timestamp'), 'the timestamp');
  let tokenNode: DerNode;
  if (top[0]?.tag === DER_TAG.SEQUENCE) {
    // TimeStampResp: PKIStatusInfo, then the token.
    const status = derUnsignedInteger(derSequence(top[0], 'PKIStatusInfo')[0] ?? top[0], 'PKIStatus');
    if (status > 1n) throw new TimestampProblem(`the authority did not grant it (PKIStatus ${status})`);
    if (top[1] === undefined) throw new TimestampProblem('the response holds no timestamp token');
    tokenNode = top[1];
  } else tokenNode = readDer(bytes, 'the timestamp');
  const contentInfo = derSequence(tokenNode, 'ContentInfo');
  if (contentInfo.length !== 2 || derOid(contentInfo[0]!, 'ContentInfo.contentType') !== OID.signedData) throw new TimestampProblem('it is not a CMS SignedData');
  const signedData = derSequence(single(derChildren(expectTag(contentInfo[1]!, 0xa0, 'ContentInfo.content'), 'ContentInfo.content'), 'ContentInfo.content'), 'SignedData');
  const encapsulated = derSequence(need(signedData[2], 'SignedData.encapContentInfo'), 'EncapsulatedContentInfo');
  if (derOid(need(encapsulated[0], 'eContentType'), 'eContentType') !== OID.tstInfo) throw new TimestampProblem('its content is not a TSTInfo');
  const eContent = single(derChildren(expectTag(need(encapsulated[1], 'eContent'), 0xa0, 'eContent'), 'eContent'), 'eContent');
  const tstInfoDer = derContent(expectTag(eContent, DER_TAG.OCTET_STRING, 'eContent'));

  let certificates: X509Certificate[] = [];
  const rest = signedData.slice(3);
  const certificateSet = rest.find((node) => node.tag === 0xa0);
  if (certificateSet !== undefined) {
    const nodes = derChildren(certificateSet, 'SignedData.certificates');
    if (nodes.length > MAX_EMBEDDED_CERTIFICATES) throw new TimestampProblem(`it embeds ${nodes.length} certificates: at most ${MAX_EMBEDDED_CERTIFICATES} are read`);
    certificates = nodes.map((node) => {
      if (node.tag !== DER_TAG.SEQUENCE) throw new TimestampProblem('it embeds something other than an X.509 certificate');
      try {
        return new X509Certificate(Buffer.from(derEncoded(node)));
      } catch {
        throw new TimestampProblem('an embedded certificate cannot be read');
      }
    });
  }
  const signerInfos = derSequence(need(rest[rest.length - 1], 'SignedData.signerInfos'), 'SignerInfos', DER_TAG.SET);
  if (signerInfos.length !== 1) throw new TimestampProblem(`it has ${signerInfos.length} signers; a timestamp has one`);
  return { tstInfoDer, ...parseTstInfo(tstInfoDer), certificates, signer: parseSignerInfo(signerInfos[0]!) };
}

function parseTstInfo(der: Uint8Array): Pick<ParsedToken, 'imprint' | 'genTime'> {
  const fields = derSequence(readDer(der, 'TSTInfo'), 'TSTInfo');
  if (derUnsignedInteger(need(fields[0], 'TSTInfo.version'), 'TSTInfo.version') !== 1n) throw new TimestampProblem('its TSTInfo is not version 1');
  derOid(need(fields[1], 'TSTInfo.policy'), 'TSTInfo.policy');
  const imprint = derSequence(need(fields[2], 'TSTInfo.messageImprint'), 'MessageImprint');
  const algorithm = digestOf(need(imprint[0], 'MessageImprint.hashAlgorithm'), 'its message imprint');
  const digest = derContent(expectTag(need(imprint[1], 'MessageImprint.hashedMessage'), DER_TAG.OCTET_STRING, 'MessageImprint.hashedMessage'));
  derUnsignedInteger(need(fields[3], 'TSTInfo.serialNumber'), 'TSTInfo.serialNumber');
  const genTime = derTime(expectTag(need(fields[4], 'TSTInfo.genTime'), DER_TAG.GENERALIZED_TIME, 'TSTInfo.genTime'), 'TSTInfo.genTime');
  return { imprint: { algorithm, digest }, genTime };
}

function parseSignerInfo(node: DerNode): ParsedToken['signer'] {
  const fields = derSequence(node, 'SignerInfo');
  const sidNode = need(fields[1], 'SignerInfo.sid');
  let sid: ParsedToken['signer']['sid'];
  if (sidNode.tag === DER_TAG.SEQUENCE) {
    const [issuer, serial] = derSequence(sidNode, 'IssuerAndSerialNumber');
    sid = { kind: 'issuer-serial', issuerDer: derEncoded(expectTag(need(issuer, 'issuer'), DER_TAG.SEQUENCE, 'issuer')), serialDer: derContent(expectTag(need(serial, 'serialNumber'), DER_TAG.INTEGER, 'serialNumber')) };
  } else if (sidNode.tag === 0x80) sid = { kind: 'key-id', keyId: derContent(sidNode) };
  else throw new TimestampProblem('its signer identifier is neither issuer and serial number nor a key identifier');
  const digest = digestOf(need(fields[2], 'SignerInfo.digestAlgorithm'), "its signer's digest algorithm");
  const signedAttributes = need(fields[3], 'SignerInfo.signedAttrs');
  if (signedAttributes.tag !== 0xa0) throw new TimestampProblem('it has no signed attributes');
  const algorithmFields = derSequence(need(fields[4], 'SignerInfo.signatureAlgorithm'), 'SignerInfo.signatureAlgorithm');
  const signatureAlgorithm = derOid(need(algorithmFields[0], 'signatureAlgorithm'), 'signatureAlgorithm');
  const signature = derContent(expectTag(need(fields[5], 'SignerInfo.signature'), DER_TAG.OCTET_STRING, 'SignerInfo.signature'));
  return { sid, digest, signedAttributes, signatureAlgorithm, signature };
}

interface SignedAttributes {
  contentType: string;
  messageDigest: Uint8Array;
  essCertificate: { algorithm: 'sha1' | 'sha256' | 'sha384' | 'sha512'; hash: Uint8Array } | null;
}

function readSignedAttributes(node: DerNode): SignedAttributes {
  const values = new Map<string, DerNode>();
  for (const attribute of derChildren(node, 'signedAttrs')) {
    const [type, set] = derSequence(attribute, 'Attribute');
    const oid = derOid(need(type, 'Attribute.type'), 'Attribute.type');
    if (values.has(oid)) throw new TimestampProblem(`its signed attribute ${oid} appears twice`);
    const attributeValues = derSequence(need(set, 'Attribute.values'), 'Attribute.values', DER_TAG.SET);
    if (attributeValues.length !== 1) throw new TimestampProblem(`its signed attribute ${oid} has ${attributeValues.length} values`);
    values.set(oid, attributeValues[0]!);
  }
  const contentType = values.get(OID.contentType);
  const messageDigest = values.get(OID.messageDigest);
  if (contentType === undefined || messageDigest === undefined) throw new TimestampProblem('its signed attributes lack the content type or the message digest');
  return { contentType: derOid(contentType, 'contentType'), messageDigest: derContent(expectTag(messageDigest, DER_TAG.OCTET_STRING, 'messageDigest')), essCertificate: readEssCertificate(values) };
}

/** The first ESSCertID(v2) of the signingCertificate(V2) attribute: the hash of the signer's certificate. */
function readEssCertificate(values: Map<string, DerNode>): SignedAttributes['essCertificate'] {
  const v2 = values.get(OID.signingCertificateV2);
  const v1 = values.get(OID.signingCertificate);
  const attribute = v2 ?? v1;
  if (attribute === undefined) return null;
  const certs = derSequence(need(derSequence(attribute, 'SigningCertificate')[0], 'SigningCertificate.certs'), 'SigningCertificate.certs');
  const first = derSequence(need(certs[0], 'ESSCertID'), 'ESSCertID');
  if (v2 === undefined) return { algorithm: 'sha1', hash: derContent(expectTag(need(first[0], 'ESSCertID.certHash'), DER_TAG.OCTET_STRING, 'ESSCertID.certHash')) };
  const hasAlgorithm = first[0]?.tag === DER_TAG.SEQUENCE;
  const algorithm = hasAlgorithm ? digestOf(first[0]!, 'its ESSCertIDv2') : 'sha256';
  const hashNode = need(first[hasAlgorithm ? 1 : 0], 'ESSCertIDv2.certHash');
  return { algorithm, hash: derContent(expectTag(hashNode, DER_TAG.OCTET_STRING, 'ESSCertIDv2.certHash')) };
}

function checkEssCertificate(attributes: SignedAttributes, certificate: X509Certificate): void {
  const ess = attributes.essCertificate;
  if (ess === null) throw new TimestampProblem('its signed attributes do not name the signing certificate (no ESS signingCertificate attribute)');
  if (!equalBytes(createHash(ess.algorithm).update(certificate.raw).digest(), ess.hash)) throw new TimestampProblem('its signed attributes name another signing certificate than the one that signed it');
}

function verifySignerSignature(token: ParsedToken, certificate: X509Certificate): boolean {
  const { signatureAlgorithm, digest, signedAttributes, signature } = token.signer;
  const algorithm = SIGNATURES[signatureAlgorithm];
  if (algorithm === undefined) {
    throw new TimestampProblem(`it is signed with ${NAMED_UNSUPPORTED[signatureAlgorithm] ?? `the algorithm ${signatureAlgorithm}`}, which is not supported (ECDSA, RSA PKCS#1 v1.5 with SHA-2, and Ed25519 are)`);
  }
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== algorithm.key) throw new TimestampProblem(`its signature algorithm is for ${algorithm.key} keys, the signer's key is ${key.asymmetricKeyType ?? 'unknown'}`);
  // The signature covers the DER SET OF the signed attributes, not their [0] IMPLICIT form.
  const signed = encodeDer(DER_TAG.SET, derContent(signedAttributes));
  const hash = algorithm.hash === 'digest' ? digest : algorithm.hash;
  try {
    return verify(hash, signed, key, signature);
  } catch {
    return false;
  }
}

function matchesSid(certificate: X509Certificate, sid: ParsedToken['signer']['sid']): boolean {
  const parts = partsOf(certificate);
  if (parts === null) return false;
  if (sid.kind === 'issuer-serial') return equalBytes(parts.issuerDer, sid.issuerDer) && equalBytes(parts.serialDer, sid.serialDer);
  return parts.subjectKeyId !== null && equalBytes(parts.subjectKeyId, sid.keyId);
}

/** RFC 3161 §2.3: the extended key usage is critical and holds timeStamping only. */
function checkTimestampingUsage(certificate: X509Certificate): void {
  const parts = partsOf(certificate);
  const usage = parts?.extendedKeyUsage ?? null;
  if (usage === null) throw new TimestampProblem("its signing certificate has no extended key usage: it is not a timestamping certificate");
  if (!usage.critical) throw new TimestampProblem("its signing certificate's extended key usage is not critical, as RFC 3161 requires");
  if (usage.purposes.length !== 1 || usage.purposes[0] !== OID.timeStamping) throw new TimestampProblem(`its signing certificate's extended key usage (${usage.purposes.join(', ')}) is not timeStamping alone`);
}

/** The subject of the trusted authority the signer chains to, every link valid at `time`. */
function trustedAuthorityFor(signer: X509Certificate, authorities: readonly TrustedCertificateAuthority[], time: Date): string {
  if (authorities.length === 0) throw new TimestampProblem('the trusted root lists no timestamp authority');
  const reasons: string[] = [];
  for (const authority of authorities) {
    const problem = chainProblem(signer, authority, time);
    if (problem === null) return authority.subject || authority.uri;
    reasons.push(problem);
  }
  throw new TimestampProblem(`its signing certificate does not chain to a timestamp authority of the trusted root: ${reasons.join('; ')}`);
}

function chainProblem(signer: X509Certificate, authority: TrustedCertificateAuthority, time: Date): string | null {
  const name = authority.subject || authority.uri;
  const anchor = authority.chain[authority.chain.length - 1];
  if (anchor === undefined) return `${name} lists no certificate`;
  let current = signer;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    if (!validAt(current, time)) return `${describe(current)} is not valid at ${time.toISOString()}`;
    if (current.fingerprint256 === anchor.fingerprint256) {
      return isWithin(authority.validFor, time) ? null : `${name} was not valid at ${time.toISOString()} (${describeWindow(authority.validFor)})`;
    }
    const issuer = authority.chain.find((candidate) => candidate.fingerprint256 !== current.fingerprint256 && issued(current, candidate));
    if (issuer === undefined) return `no certificate of ${name} issued ${describe(current)}`;
    current = issuer;
  }
  return `the chain to ${name} is longer than ${MAX_CHAIN_DEPTH} certificates`;
}

function issued(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function validAt(certificate: X509Certificate, time: Date): boolean {
  return time >= new Date(certificate.validFrom) && time <= new Date(certificate.validTo);
}

function describe(certificate: X509Certificate): string {
  return `the certificate "${certificate.subject.replace(/\n/g, ', ')}"`;
}

const partsCache = new WeakMap<X509Certificate, CertificateParts | null>();
function partsOf(certificate: X509Certificate): CertificateParts | null {
  if (!partsCache.has(certificate)) {
    try {
      partsCache.set(certificate, parseCertificateParts(new Uint8Array(certificate.raw)));
    } catch (error) {
      if (!(error instanceof EncodingError)) throw error;
      partsCache.set(certificate, null);
    }
  }
  return partsCache.get(certificate) ?? null;
}

function digestOf(node: DerNode, what: string): 'sha256' | 'sha384' | 'sha512' {
  const oid = derOid(need(derSequence(node, 'AlgorithmIdentifier')[0], 'AlgorithmIdentifier.algorithm'), 'AlgorithmIdentifier.algorithm');
  const digest = DIGESTS[oid];
  if (digest === undefined) throw new TimestampProblem(`${what} uses ${oid === SHA1 ? 'SHA-1' : `the digest ${oid}`}, which is not accepted (SHA-256, SHA-384, SHA-512 are)`);
  return digest;
}

function need(node: DerNode | undefined, what: string): DerNode {
  if (node === undefined) throw new TimestampProblem(`it lacks ${what}`);
  return node;
}

function single(nodes: DerNode[], what: string): DerNode {
  if (nodes.length !== 1) throw new TimestampProblem(`${what} holds ${nodes.length} values, not one`);
  return nodes[0]!;
}

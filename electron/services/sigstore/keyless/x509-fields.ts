// The one reader of an X.509 certificate's (RFC 5280) DER with the strict reader, for what Node's
// X509Certificate does not give as bytes or exactly: issuer and serial as encoded, validity to the
// second, the extensions by OID (Fulcio's issuer, the SAN, embedded SCTs, the subject key
// identifier, extended key usage), and the TBSCertificate's pieces for rebuilding the precertificate.
import { derChildren, derContent, derEncoded, derOid, derSequence, derTime, DER_TAG, expectTag, readDer, type DerNode } from '../../../../shared/encoding/der';
import { EncodingError } from '../../../../shared/encoding/encoding-error';

export const OID = {
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  embeddedScts: '1.3.6.1.4.1.11129.2.4.2',
  fulcioIssuerLegacy: '1.3.6.1.4.1.57264.1.1',
  fulcioIssuer: '1.3.6.1.4.1.57264.1.8',
  fulcioUsernameSan: '1.3.6.1.4.1.57264.1.7',
} as const;

const EXTENSIONS_TAG = 0xa3;

export interface CertificateExtension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING's contents. */
  value: Uint8Array;
  /** The whole Extension SEQUENCE as encoded. */
  node: DerNode;
}

export interface CertificateFields {
  /** The TBSCertificate's children, in order (version, serial, ..., extensions). */
  tbsChildren: DerNode[];
  /** The issuer Name as encoded (what a CMS signer identifier names). */
  issuerDer: Uint8Array;
  /** The serial number INTEGER's contents. */
  serialDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subjectPublicKeyInfo: Uint8Array;
  extensions: CertificateExtension[];
}

/** Reads a DER certificate; throws EncodingError when it is not one. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const what = 'certificate';
  const certificate = derSequence(readDer(der, what), what);
  if (certificate.length !== 3) throw malformed(`a certificate has 3 parts, found ${certificate.length}`);
  const tbsChildren = derSequence(certificate[0]!, 'TBSCertificate');
  const offset = tbsChildren[0]?.tag === 0xa0 ? 1 : 0;
  const serialNode = tbsChildren[offset];
  const issuerNode = tbsChildren[offset + 2];
  const validityNode = tbsChildren[offset + 3];
  const spkiNode = tbsChildren[offset + 5];
  if (serialNode === undefined || issuerNode === undefined || validityNode === undefined || spkiNode === undefined) throw malformed('the TBSCertificate is truncated');
  const validity = derSequence(validityNode, 'validity');
  if (validity.length !== 2) throw malformed('validity holds notBefore and notAfter');
  expectSequence(spkiNode);
  const extensionsWrapper = tbsChildren.find((child) => child.tag === EXTENSIONS_TAG);
  const extensions = extensionsWrapper ? readExtensions(extensionsWrapper) : [];
  return {
    tbsChildren,
    issuerDer: derEncoded(expectTag(issuerNode, DER_TAG.SEQUENCE, 'issuer')),
    serialDer: derContent(expectTag(serialNode, DER_TAG.INTEGER, 'serialNumber')),
    notBefore: derTime(validity[0]!, 'notBefore'),
    notAfter: derTime(validity[1]!, 'notAfter'),
    subjectPublicKeyInfo: derEncoded(spkiNode),
    extensions,
  };
}

export function findExtension(fields: CertificateFields, oid: string): CertificateExtension | undefined {
  return fields.extensions.find((extension) => extension.oid === oid);
}

function readExtensions(wrapper: DerNode): CertificateExtension[] {
  const inner = derChildren(wrapper, 'extensions');
  if (inner.length !== 1) throw malformed('expected one SEQUENCE inside [3]');
  const seen = new Set<string>();
  return derSequence(inner[0]!, 'extensions').map((node) => {
    const parts = derSequence(node, 'extension');
    const oid = derOid(parts[0] ?? node, 'extension OID');
    if (seen.has(oid)) throw malformed(`extension ${oid} appears twice`);
    seen.add(oid);
    const critical = parts.length === 3 ? readBoolean(parts[1]!) : false;
    const valueNode = parts[parts.length - 1]!;
    if (parts.length < 2 || parts.length > 3 || valueNode.tag !== DER_TAG.OCTET_STRING) throw malformed(`extension ${oid} is malformed`);
    return { oid, critical, value: derContent(valueNode), node };
  });
}

function readBoolean(node: DerNode): boolean {
  const content = derContent(node);
  if (node.tag !== DER_TAG.BOOLEAN || content.length !== 1 || (content[0] !== 0 && content[0] !== 0xff)) throw malformed('critical is not a DER BOOLEAN');
  return content[0] === 0xff;
}

function expectSequence(node: DerNode): void {
  if (node.tag !== DER_TAG.SEQUENCE) throw malformed('subjectPublicKeyInfo is not a SEQUENCE');
}

function malformed(detail: string): EncodingError {
  return new EncodingError('the certificate', `not valid X.509 (${detail})`);
}

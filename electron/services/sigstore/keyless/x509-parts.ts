// The parts of an X.509 certificate that Node's X509Certificate does not expose as bytes: the
// issuer name and serial number as encoded (what a CMS signer identifier names), the subject key
// identifier, and whether the extended key usage is critical.
import { DER_TAG, derChildren, derContent, derEncoded, derOid, derSequence, expectTag, readDer, type DerNode } from '../../../../shared/encoding/der';
import { EncodingError } from '../../../../shared/encoding/encoding-error';

export interface CertificateParts {
  issuerDer: Uint8Array;
  /** The serial number INTEGER's contents. */
  serialDer: Uint8Array;
  subjectKeyId: Uint8Array | null;
  extendedKeyUsage: { critical: boolean; purposes: string[] } | null;
}

const EXTENDED_KEY_USAGE = '2.5.29.37';
const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

/** Throws EncodingError when the certificate is not the DER it should be. */
export function parseCertificateParts(der: Uint8Array): CertificateParts {
  const tbs = derSequence(need(derSequence(readDer(der, 'certificate'), 'Certificate')[0], 'TBSCertificate'), 'TBSCertificate');
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expectTag(need(tbs[offset], 'serialNumber'), DER_TAG.INTEGER, 'serialNumber');
  const issuer = expectTag(need(tbs[offset + 2], 'issuer'), DER_TAG.SEQUENCE, 'issuer');
  const extensionsWrapper = tbs.find((node) => node.tag === 0xa3);
  let subjectKeyId: Uint8Array | null = null;
  let extendedKeyUsage: CertificateParts['extendedKeyUsage'] = null;
  if (extensionsWrapper !== undefined) {
    const extensions = derSequence(need(derChildren(extensionsWrapper, 'extensions')[0], 'Extensions'), 'Extensions');
    for (const extension of extensions) {
      const fields = derSequence(extension, 'Extension');
      const oid = derOid(need(fields[0], 'extnID'), 'extnID');
      const critical = fields.length === 3 && fields[1]!.tag === DER_TAG.BOOLEAN && derContent(fields[1]!)[0] === 0xff;
      const value = derContent(expectTag(need(fields[fields.length - 1], 'extnValue'), DER_TAG.OCTET_STRING, 'extnValue'));
      if (oid === SUBJECT_KEY_IDENTIFIER) subjectKeyId = derContent(expectTag(readDer(value, 'subjectKeyIdentifier'), DER_TAG.OCTET_STRING, 'subjectKeyIdentifier'));
      if (oid === EXTENDED_KEY_USAGE) {
        const purposes = derSequence(readDer(value, 'extKeyUsage'), 'extKeyUsage').map((node) => derOid(node, 'KeyPurposeId'));
        extendedKeyUsage = { critical, purposes };
      }
    }
  }
  return { issuerDer: derEncoded(issuer), serialDer: derContent(serial), subjectKeyId, extendedKeyUsage };
}

function need(node: DerNode | undefined, what: string): DerNode {
  if (node === undefined) throw new EncodingError(what, 'missing from the certificate');
  return node;
}

// What a CMS signer identifier and a timestamping certificate are matched by: the issuer and
// serial as encoded, the subject key identifier, and the extended key usage with its criticality,
// read from the certificate's fields (x509-fields).
import { DER_TAG, derContent, derOid, derSequence, expectTag, readDer } from '../../../../shared/encoding/der';
import { findExtension, OID, readCertificateFields } from './x509-fields';

export interface CertificateParts {
  issuerDer: Uint8Array;
  /** The serial number INTEGER's contents. */
  serialDer: Uint8Array;
  subjectKeyId: Uint8Array | null;
  extendedKeyUsage: { critical: boolean; purposes: string[] } | null;
}

/** Throws EncodingError when the certificate is not the DER it should be. */
export function parseCertificateParts(der: Uint8Array): CertificateParts {
  const fields = readCertificateFields(der);
  const keyIdExtension = findExtension(fields, OID.subjectKeyIdentifier);
  const usageExtension = findExtension(fields, OID.extendedKeyUsage);
  return {
    issuerDer: fields.issuerDer,
    serialDer: fields.serialDer,
    subjectKeyId: keyIdExtension ? derContent(expectTag(readDer(keyIdExtension.value, 'subjectKeyIdentifier'), DER_TAG.OCTET_STRING, 'subjectKeyIdentifier')) : null,
    extendedKeyUsage: usageExtension
      ? { critical: usageExtension.critical, purposes: derSequence(readDer(usageExtension.value, 'extKeyUsage'), 'extKeyUsage').map((node) => derOid(node, 'KeyPurposeId')) }
      : null,
  };
}

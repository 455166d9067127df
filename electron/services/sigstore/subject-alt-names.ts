// The subject alternative names of an X.509 certificate, read from its DER with the strict reader:
// Node's `subjectAltName` is one comma-joined string, which a name holding ", " makes ambiguous,
// and an identity constraint must compare whole names exactly.
import { derContent, derSequence, readDer } from '../../../shared/encoding/der';
import { findExtension, OID, readCertificateFields } from './keyless/x509-fields';

/** GeneralName choices compared as text: rfc822Name [1], dNSName [2], uniformResourceIdentifier [6]. */
const TEXT_NAME_TAGS = new Set([0x81, 0x82, 0x86]);

/** Each email, DNS name or URI the certificate names; other kinds of name are left out. */
export function subjectAltNames(certificateDer: Uint8Array): string[] {
  const extension = findExtension(readCertificateFields(certificateDer), OID.subjectAltName);
  if (extension === undefined) return [];
  const what = 'certificate subjectAltName';
  const names = derSequence(readDer(extension.value, what), what);
  return names.filter((name) => TEXT_NAME_TAGS.has(name.tag)).map((name) => new TextDecoder('utf-8', { fatal: true }).decode(derContent(name)));
}

// The subject alternative names of an X.509 certificate, read from its DER with the strict reader:
// Node's `subjectAltName` is one comma-joined string, which a name holding ", " makes ambiguous,
// and an identity constraint must compare whole names exactly.
import { DER_TAG, derChildren, derContent, derOid, derSequence, readDer } from '../../../shared/encoding/der';

const SUBJECT_ALT_NAME_OID = '2.5.29.17';
const EXTENSIONS_TAG = 0xa3;
/** GeneralName choices compared as text: rfc822Name [1], dNSName [2], uniformResourceIdentifier [6]. */
const TEXT_NAME_TAGS = new Set([0x81, 0x82, 0x86]);

/** Each email, DNS name or URI the certificate names; other kinds of name are left out. */
export function subjectAltNames(certificateDer: Uint8Array): string[] {
  const what = 'certificate';
  const [tbs] = derSequence(readDer(certificateDer, what), what);
  if (tbs === undefined) return [];
  const extensions = derSequence(tbs, `${what} tbsCertificate`).find((node) => node.tag === EXTENSIONS_TAG);
  if (extensions === undefined) return [];
  const [list] = derChildren(extensions, `${what} extensions`);
  if (list === undefined) return [];
  for (const extension of derSequence(list, `${what} extensions`)) {
    const parts = derSequence(extension, `${what} extension`);
    if (parts[0] === undefined || derOid(parts[0]) !== SUBJECT_ALT_NAME_OID) continue;
    const value = parts[parts.length - 1];
    if (value === undefined || value.tag !== DER_TAG.OCTET_STRING) return [];
    const names = derSequence(readDer(derContent(value), `${what} subjectAltName`), `${what} subjectAltName`);
    return names.filter((name) => TEXT_NAME_TAGS.has(name.tag)).map((name) => new TextDecoder('utf-8', { fatal: true }).decode(derContent(name)));
  }
  return [];
}

import { decodeBase64Strict } from '../../encoding/base64';
import { parseStrictJson, type JsonObject, type JsonValue } from '../../json/strict-json';
import type { SignatureFormat } from '../report';

/** The formats a `--signature` file may hold: everything but a Countersign bundle, which is a directory or archive. */
export type ForeignFormat = Exclude<SignatureFormat, 'countersign'>;

export type DetectedFormat = { format: ForeignFormat } | { format: null; reason: string };

export const SSH_SIGNATURE_BEGIN = '-----BEGIN SSH SIGNATURE-----';
const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle';
const OMS_PREDICATE_PREFIX = 'https://model_signing/';
/** Signature files are small; a larger file is refused before it is parsed. */
export const MAX_DETECTED_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Which format a signature file holds, decided from its content alone, never its name:
 * - `-----BEGIN SSH SIGNATURE-----`: an SSH signature (PROTOCOL.sshsig);
 * - a Sigstore bundle (mediaType `application/vnd.dev.sigstore.bundle...`) whose DSSE payload
 *   has a `https://model_signing/...` predicateType: OpenSSF Model Signing; any other: Sigstore;
 * - `{payload, payloadType, signatures}`: a DSSE envelope;
 * - `{signed: {_type}, signatures}`: in-toto metadata (a layout or a link).
 * Anything else is not recognised, with the reason.
 */
export function detectSignatureFormat(bytes: Uint8Array): DetectedFormat {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith(SSH_SIGNATURE_BEGIN)) return { format: 'sshsig' };
  if (!head.startsWith('{') && !head.startsWith('[')) return { format: null, reason: 'it is neither JSON (a Sigstore bundle, a DSSE envelope, in-toto metadata) nor an armored SSH signature' };
  let document: JsonValue;
  try {
    document = parseStrictJson(bytes, { maxBytes: MAX_DETECTED_JSON_BYTES });
  } catch (error) {
    return { format: null, reason: `it is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isObject(document)) return { format: null, reason: 'its JSON is not an object' };

  const mediaType = document['mediaType'];
  if (typeof mediaType === 'string' && mediaType.startsWith(SIGSTORE_BUNDLE_MEDIA_TYPE)) {
    return { format: isModelSigningPredicate(document['dsseEnvelope']) ? 'oms' : 'sigstore' };
  }
  if ('payload' in document && 'payloadType' in document && 'signatures' in document) return { format: 'dsse' };
  const signed = document['signed'];
  if (isObject(signed) && typeof signed['_type'] === 'string') return { format: 'in-toto' };
  return { format: null, reason: 'its JSON is none of a Sigstore bundle (mediaType), a DSSE envelope (payload, payloadType, signatures) or in-toto metadata (signed._type)' };
}

/** True when a Sigstore bundle's DSSE envelope carries a statement with an OMS predicate type. */
function isModelSigningPredicate(envelope: JsonValue | undefined): boolean {
  if (!isObject(envelope) || typeof envelope['payload'] !== 'string') return false;
  try {
    const statement = parseStrictJson(decodeBase64Strict(envelope['payload'], 'dsseEnvelope.payload'), { maxBytes: MAX_DETECTED_JSON_BYTES });
    return isObject(statement) && typeof statement['predicateType'] === 'string' && statement['predicateType'].startsWith(OMS_PREDICATE_PREFIX);
  } catch {
    // An unreadable payload is the Sigstore verifier's to report, with its reason.
    return false;
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

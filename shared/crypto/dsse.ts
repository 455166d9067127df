import { decodeBase64CanonicalBytes, decodeBase64Strict, encodeBase64 } from '../encoding/base64';
import { concatBytes } from '../encoding/bytes';
import { EncodingError } from '../encoding/encoding-error';
import { indexOfByte } from '../encoding/native-bytes';
import { FormatError } from '../formats/format-error';
import { JSON_PATH_ROOT, jsonPathChild } from '../json/json-path';
import { parseStrictJson } from '../json/strict-json';
import { SIGNATURE_LENGTH, signEd25519, VerifyingKey } from './ed25519';

/** A DSSE envelope (FORMATS §3) with its base64 fields decoded. */
export interface DsseEnvelope {
  payloadType: string;
  /** The exact payload bytes: what was signed, and what gets parsed after verifying. */
  payload: Uint8Array;
  signatures: DsseSignature[];
}

export interface DsseSignature {
  /** Only a hint: verifiers try every trusted key, whatever this says. Empty when the envelope omits it (DSSE makes it optional). */
  keyid: string;
  sig: Uint8Array;
}

export interface ParsedDsseEnvelope extends DsseEnvelope {
  /** JSON paths of fields DSSE does not define, kept to be shown (FORMATS §1). */
  unknownFields: string[];
}

export interface DsseSigner {
  keyId: string;
  seed: Uint8Array;
}

export interface EnvelopeOptions {
  /** Foreign envelopes (ECDSA, RSA): signatures of any length; Countersign's own are Ed25519, 64 bytes. */
  anySignatureAlgorithm?: boolean;
}

const ENVELOPE_FIELDS = new Set(['payloadType', 'payload', 'signatures']);
const SIGNATURE_FIELDS = new Set(['keyid', 'sig']);

/** `"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload`, LEN the decimal byte length. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const header = paeHeader(payloadType, payload.length);
  // parseEnvelope decodes the payload just after room for this header (see decodePayload): when
  // the bytes before the payload are the header, the PAE is already there, and a large payload is
  // not copied again. Any buffer laid out so is the PAE, whoever made it.
  if (payload.byteOffset === header.length && payload.buffer.byteLength === header.length + payload.length) {
    const before = new Uint8Array(payload.buffer, 0, header.length);
    if (before.every((byte, i) => byte === header[i])) return new Uint8Array(payload.buffer, 0, header.length + payload.length);
  }
  return concatBytes(header, payload);
}

function paeHeader(payloadType: string, payloadLength: number): Uint8Array {
  const prefix = paePrefix(payloadType);
  const length = String(payloadLength);
  const header = new Uint8Array(prefix.length + length.length + 1);
  header.set(prefix);
  for (let i = 0; i < length.length; i++) header[prefix.length + i] = length.charCodeAt(i);
  header[header.length - 1] = 0x20;
  return header;
}

/** `DSSEv1 LEN(type) type SP`, kept for the few payload types met (every approval of a status has the same). */
const paePrefixes = new Map<string, Uint8Array>();
const PAE_PREFIXES_KEPT = 16;

function paePrefix(payloadType: string): Uint8Array {
  let prefix = paePrefixes.get(payloadType);
  if (prefix === undefined) {
    const encoder = new TextEncoder();
    const type = encoder.encode(payloadType);
    prefix = concatBytes(encoder.encode(`DSSEv1 ${type.length} `), type, encoder.encode(' '));
    if (paePrefixes.size >= PAE_PREFIXES_KEPT) paePrefixes.clear();
    paePrefixes.set(payloadType, prefix);
  }
  return prefix;
}

/** The payload, decoded after room for its PAE header, which is then written in (see pae). */
function decodePayload(text: string, payloadType: string, path: string): Uint8Array {
  let bodyLength = text.length;
  while (bodyLength > 0 && text.charCodeAt(bodyLength - 1) === 0x3d) bodyLength--;
  const header = paeHeader(payloadType, Math.floor((bodyLength * 3) / 4));
  const payload = decodeBase64Field(text, path, header.length);
  if (payload.byteOffset === header.length) new Uint8Array(payload.buffer, 0, header.length).set(header);
  return payload;
}

/** Checks the shape of a strictly parsed envelope and decodes its base64 fields. */
export function parseEnvelope(value: unknown, options: EnvelopeOptions = {}): ParsedDsseEnvelope {
  return shapeEnvelope(value, null, options);
}

/**
 * Reads an envelope from its bytes: strict JSON (FORMATS §1), then parseEnvelope. An envelope with
 * a large payload is read without decoding the payload's base64 text to a string at all (see
 * readLargePayloadEnvelope); any envelope that way does not read is read the plain way, which
 * gives the same answer or names the problem.
 */
export function readEnvelope(bytes: Uint8Array, maxBytes: number, options: EnvelopeOptions = {}): ParsedDsseEnvelope {
  const fast = bytes.length >= LARGE_PAYLOAD_CHARS && bytes.length <= maxBytes ? readLargePayloadEnvelope(bytes, maxBytes, options) : null;
  return fast ?? parseEnvelope(parseStrictJson(bytes, { maxBytes }), options);
}

/** Below this, an envelope is read the plain way: the byte-level path pays only for large payloads. */
const LARGE_PAYLOAD_CHARS = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PAYLOAD_KEY = new TextEncoder().encode('payload');

/**
 * The envelope with the top-level `payload` string cut out of the bytes and decoded from them
 * directly (canonical base64 only), the rest parsed strictly. Cutting out a string of base64
 * characters changes neither whether the document is valid strict JSON nor anything else in it,
 * so the answer is parseEnvelope's. Null whenever in doubt.
 */
function readLargePayloadEnvelope(bytes: Uint8Array, maxBytes: number, options: EnvelopeOptions): ParsedDsseEnvelope | null {
  const span = findPayloadString(bytes);
  if (span === null) return null;
  const rest = new Uint8Array(bytes.length - (span.end - span.start));
  rest.set(bytes.subarray(0, span.start));
  rest.set(bytes.subarray(span.end), span.start);
  try {
    const value = parseStrictJson(rest, { maxBytes });
    const payloadType = typeof value === 'object' && value !== null && !Array.isArray(value) ? value['payloadType'] : undefined;
    if (typeof payloadType !== 'string') return null;
    let bodyEnd = span.end;
    while (bodyEnd > span.start && bytes[bodyEnd - 1] === 0x3d) bodyEnd--;
    const header = paeHeader(payloadType, Math.floor(((bodyEnd - span.start) * 3) / 4));
    const payload = decodeBase64CanonicalBytes(bytes, span.start, span.end, header.length);
    if (payload === null) return null;
    if (payload.byteOffset === header.length) new Uint8Array(payload.buffer, 0, header.length).set(header);
    return shapeEnvelope(value, payload, options);
  } catch {
    return null;
  }
}

/**
 * Where the contents of the top-level `"payload": "..."` string lie, when it is long: found by
 * following strings and nesting, strings skipped by searching for their closing quote.
 */
function findPayloadString(bytes: Uint8Array): { start: number; end: number } | null {
  let depth = 0;
  let previousString = { start: -1, end: -1 };
  for (let pos = 0; pos < bytes.length; ) {
    const byte = bytes[pos]!;
    if (byte === QUOTE) {
      const start = pos + 1;
      const end = closingQuote(bytes, start);
      if (end === -1) return null;
      if (depth === 1 && end - start >= LARGE_PAYLOAD_CHARS && followsPayloadKey(bytes, pos, previousString)) return { start, end };
      previousString = { start, end };
      pos = end + 1;
    } else {
      if (byte === 0x7b || byte === 0x5b) depth++;
      else if (byte === 0x7d || byte === 0x5d) depth--;
      pos++;
    }
  }
  return null;
}

/** The quote ending the string whose contents start at `start` (one not escaped by a backslash), or -1. */
function closingQuote(bytes: Uint8Array, start: number): number {
  for (let quote = indexOfByte(bytes, QUOTE, start); quote !== -1; quote = indexOfByte(bytes, QUOTE, quote + 1)) {
    let backslashes = 0;
    while (quote - backslashes - 1 >= start && bytes[quote - backslashes - 1] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/** Whether the string opening at `quote` is the value after the key `"payload"` (the string before it) and a colon. */
function followsPayloadKey(bytes: Uint8Array, quote: number, key: { start: number; end: number }): boolean {
  let pos = skipWhitespaceBackwards(bytes, quote - 1);
  if (bytes[pos] !== 0x3a) return false;
  pos = skipWhitespaceBackwards(bytes, pos - 1);
  if (pos !== key.end || key.end - key.start !== PAYLOAD_KEY.length) return false;
  return PAYLOAD_KEY.every((byte, i) => bytes[key.start + i] === byte);
}

function skipWhitespaceBackwards(bytes: Uint8Array, from: number): number {
  let pos = from;
  while (pos >= 0 && (bytes[pos] === 0x20 || bytes[pos] === 0x0a || bytes[pos] === 0x0d || bytes[pos] === 0x09)) pos--;
  return pos;
}

function shapeEnvelope(value: unknown, decodedPayload: Uint8Array | null, options: EnvelopeOptions): ParsedDsseEnvelope {
  const root = JSON_PATH_ROOT;
  const envelope = expectObject(value, root, 'a DSSE envelope');
  const unknownFields = unknownKeys(envelope, ENVELOPE_FIELDS, root);

  const payloadType = expectString(envelope, 'payloadType', root);
  const payloadPath = jsonPathChild(root, 'payload');
  const payloadText = expectString(envelope, 'payload', root);
  // A payload decoded from the bytes stands for the empty string left where it was cut out.
  if (decodedPayload !== null && payloadText !== '') throw new FormatError(payloadPath, 'the payload was not where it was read from');
  const payload = decodedPayload ?? decodePayload(payloadText, payloadType, payloadPath);

  const signaturesPath = jsonPathChild(root, 'signatures');
  const signatureList = envelope['signatures'];
  if (!Array.isArray(signatureList)) throw new FormatError(signaturesPath, missingOrWrongType(envelope, 'signatures', 'an array'));
  if (signatureList.length === 0) throw new FormatError(signaturesPath, 'an envelope needs at least one signature');

  const signatures = signatureList.map((entry: unknown, index): DsseSignature => {
    const entryPath = jsonPathChild(signaturesPath, index);
    const signature = expectObject(entry, entryPath, 'a signature object');
    unknownFields.push(...unknownKeys(signature, SIGNATURE_FIELDS, entryPath));
    const keyid = Object.hasOwn(signature, 'keyid') ? expectString(signature, 'keyid', entryPath) : '';
    const sigPath = jsonPathChild(entryPath, 'sig');
    const sig = decodeBase64Field(expectString(signature, 'sig', entryPath), sigPath);
    if (options.anySignatureAlgorithm !== true && sig.length !== SIGNATURE_LENGTH) {
      throw new FormatError(sigPath, `an Ed25519 signature is ${SIGNATURE_LENGTH} bytes, this one decodes to ${sig.length}`);
    }
    return { keyid, sig };
  });

  return { payloadType, payload, signatures, unknownFields };
}

/**
 * Whether signature `index` is a valid strict Ed25519 signature by `key` over the PAE. To check
 * one envelope against many keys, compute pae() once and use VerifyingKey.verify.
 */
export function verifyEnvelopeSignature(envelope: DsseEnvelope, index: number, key: VerifyingKey | Uint8Array): boolean {
  const signature = envelope.signatures[index];
  if (signature === undefined) throw new RangeError(`the envelope has no signature ${index}`);
  const verifyingKey = key instanceof VerifyingKey ? key : VerifyingKey.fromBytes(key);
  return typeof verifyingKey !== 'string' && verifyingKey.verify(signature.sig, pae(envelope.payloadType, envelope.payload));
}

export function signEnvelope(payloadType: string, payload: Uint8Array, signers: readonly DsseSigner[]): DsseEnvelope {
  const message = pae(payloadType, payload);
  return {
    payloadType,
    payload,
    signatures: signers.map((signer) => ({ keyid: signer.keyId, sig: signEd25519(message, signer.seed) })),
  };
}

/** Canonical JSON for an envelope: standard padded base64, fields in the order FORMATS §3 shows. */
export function serializeEnvelope(envelope: DsseEnvelope): string {
  return JSON.stringify({
    payloadType: envelope.payloadType,
    payload: encodeBase64(envelope.payload),
    signatures: envelope.signatures.map((signature) => ({ keyid: signature.keyid, sig: encodeBase64(signature.sig) })),
  });
}

type JsonObject = Record<string, unknown>;

function expectObject(value: unknown, path: string, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FormatError(path, `expected ${what} (a JSON object), found ${describeJsonType(value)}`);
  }
  return value as JsonObject;
}

function expectString(object: JsonObject, key: string, parentPath: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw new FormatError(jsonPathChild(parentPath, key), missingOrWrongType(object, key, 'a string'));
  return value;
}

function missingOrWrongType(object: JsonObject, key: string, expected: string): string {
  return Object.hasOwn(object, key) ? `expected ${expected}, found ${describeJsonType(object[key])}` : `required field is missing`;
}

function decodeBase64Field(text: string, path: string, headroom = 0): Uint8Array {
  try {
    return decodeBase64Strict(text, path, headroom);
  } catch (error) {
    if (error instanceof EncodingError) throw new FormatError(path, error.reason);
    throw error;
  }
}

function unknownKeys(object: JsonObject, known: ReadonlySet<string>, parentPath: string): string[] {
  return Object.keys(object)
    .filter((key) => !known.has(key))
    .map((key) => jsonPathChild(parentPath, key));
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

// A Sigstore trusted root (trusted_root.json, dev.sigstore.trustroot.v1.TrustedRoot in its
// protobuf JSON form, media types v0.1 and v0.2) read from the reviewer's --trusted-root file.
// It is the only source of Fulcio, Rekor, CT log and timestamp authority keys, so it is read
// strictly: every field used is checked, and a problem names its JSON path.
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { decodeBase64Strict } from '../../../../shared/encoding/base64';
import { EncodingError } from '../../../../shared/encoding/encoding-error';
import { FormatError } from '../../../../shared/formats/format-error';
import { parseStrictJson, type JsonObject, type JsonValue } from '../../../../shared/json/strict-json';
import type { TrustedCertificateAuthority, TrustedLog, TrustedRoot, ValidityWindow } from './keyless-types';
import { readCertificateFields } from './x509-fields';

export const TRUSTED_ROOT_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot+json;version=0.2',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
] as const;

/** The public-good root is about 10 KB; private deployments add a few keys. */
export const MAX_TRUSTED_ROOT_BYTES = 1024 * 1024;
const MAX_ENTRIES = 64;
const MAX_CHAIN_LENGTH = 10;

/** RFC 3339 as protobuf's JSON Timestamp writes it: UTC, optional fraction of up to 9 digits. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** Parses trusted_root.json; throws FormatError naming the JSON path of the first problem. */
export function readTrustedRoot(bytes: Uint8Array): TrustedRoot {
  const root = asObject(parseStrictJson(bytes, { maxBytes: MAX_TRUSTED_ROOT_BYTES }), '$');
  const mediaType = root['mediaType'];
  if (typeof mediaType !== 'string' || !(TRUSTED_ROOT_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw new FormatError('$.mediaType', `not a Sigstore trusted root media type: ${JSON.stringify(typeof mediaType === 'string' ? mediaType.slice(0, 80) : (mediaType ?? null))}`);
  }
  return {
    certificateAuthorities: optionalArray(root, 'certificateAuthorities').map((entry, i) => readAuthority(entry, `$.certificateAuthorities[${i}]`)),
    tlogs: optionalArray(root, 'tlogs').map((entry, i) => readLog(entry, `$.tlogs[${i}]`)),
    ctlogs: optionalArray(root, 'ctlogs').map((entry, i) => readLog(entry, `$.ctlogs[${i}]`)),
    timestampAuthorities: optionalArray(root, 'timestampAuthorities').map((entry, i) => readAuthority(entry, `$.timestampAuthorities[${i}]`)),
  };
}

function readAuthority(value: JsonValue, path: string): TrustedCertificateAuthority {
  const authority = asObject(value, path);
  const certificates = asArray(asObject(authority['certChain'], `${path}.certChain`)['certificates'], `${path}.certChain.certificates`);
  if (certificates.length === 0) throw new FormatError(`${path}.certChain.certificates`, 'the chain is empty');
  if (certificates.length > MAX_CHAIN_LENGTH) throw new FormatError(`${path}.certChain.certificates`, `${certificates.length} certificates: at most ${MAX_CHAIN_LENGTH} are read`);
  const chain = certificates.map((certificate, i) => {
    const certificatePath = `${path}.certChain.certificates[${i}]`;
    const der = base64Field(asObject(certificate, certificatePath)['rawBytes'], `${certificatePath}.rawBytes`);
    try {
      // Read by the strict reader too, so a certificate the root vouches for never fails later, mid-check.
      readCertificateFields(der);
      return new X509Certificate(Buffer.from(der));
    } catch (error) {
      throw new FormatError(`${certificatePath}.rawBytes`, `not an X.509 certificate (${error instanceof Error ? error.message : String(error)})`);
    }
  });
  const uri = authority['uri'];
  if (uri !== undefined && typeof uri !== 'string') throw new FormatError(`${path}.uri`, 'expected a string');
  return { uri: uri ?? '', subject: readSubject(authority['subject'], `${path}.subject`, chain[0]!), chain, validFor: readWindow(authority['validFor'], `${path}.validFor`) };
}

/** The DistinguishedName the root states ({organization, commonName}), else the first certificate's subject. */
function readSubject(value: JsonValue | undefined, path: string, first: X509Certificate): string {
  if (value === undefined) return first.subject.replace(/\n/g, ', ');
  const subject = asObject(value, path);
  const parts: string[] = [];
  for (const field of ['organization', 'commonName']) {
    const part = subject[field];
    if (part === undefined) continue;
    if (typeof part !== 'string') throw new FormatError(`${path}.${field}`, 'expected a string');
    parts.push(part);
  }
  return parts.length > 0 ? parts.join(' / ') : first.subject.replace(/\n/g, ', ');
}

function readLog(value: JsonValue, path: string): TrustedLog {
  const log = asObject(value, path);
  const baseUrl = log['baseUrl'];
  if (typeof baseUrl !== 'string' || baseUrl === '') throw new FormatError(`${path}.baseUrl`, 'expected a non-empty string');
  const hashAlgorithm = log['hashAlgorithm'];
  if (hashAlgorithm !== undefined && hashAlgorithm !== 'SHA2_256') throw new FormatError(`${path}.hashAlgorithm`, `${JSON.stringify(hashAlgorithm)} is not supported (SHA2_256 is)`);
  const keyPath = `${path}.publicKey`;
  const key = asObject(log['publicKey'], keyPath);
  const spki = base64Field(key['rawBytes'], `${keyPath}.rawBytes`);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (error) {
    throw new FormatError(`${keyPath}.rawBytes`, `not a DER SubjectPublicKeyInfo (${error instanceof Error ? error.message : String(error)})`);
  }
  const keyDetails = key['keyDetails'];
  if (keyDetails !== undefined && typeof keyDetails !== 'string') throw new FormatError(`${keyPath}.keyDetails`, 'expected a string');
  const logIdValue = log['logId'];
  const logId =
    logIdValue === undefined
      ? new Uint8Array(createHash('sha256').update(spki).digest())
      : base64Field(asObject(logIdValue, `${path}.logId`)['keyId'], `${path}.logId.keyId`);
  // The protobuf marks a log key's window optional: without one the key is trusted at any time.
  const validFor = key['validFor'] === undefined ? { start: new Date(0), end: null } : readWindow(key['validFor'], `${keyPath}.validFor`);
  return { baseUrl, logId, publicKey, validFor };
}

function readWindow(value: JsonValue | undefined, path: string): ValidityWindow {
  const window = asObject(value, path);
  const start = readTimestamp(window['start'], `${path}.start`);
  const end = window['end'] === undefined || window['end'] === null ? null : readTimestamp(window['end'], `${path}.end`);
  if (end !== null && end.getTime() < start.getTime()) throw new FormatError(`${path}.end`, `ends (${end.toISOString()}) before it starts (${start.toISOString()})`);
  return { start, end };
}

function readTimestamp(value: JsonValue | undefined, path: string): Date {
  if (typeof value !== 'string') throw new FormatError(path, value === undefined ? 'missing' : 'expected an RFC 3339 timestamp string');
  const match = TIMESTAMP.exec(value);
  if (!match) throw new FormatError(path, `${JSON.stringify(value.slice(0, 40))} is not an RFC 3339 UTC timestamp (e.g. 2024-01-01T00:00:00Z)`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const milliseconds = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  const date = new Date(time);
  if (Number.isNaN(time) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new FormatError(path, `impossible date ${JSON.stringify(value)}`);
  }
  return date;
}

function optionalArray(root: JsonObject, field: string): JsonValue[] {
  const value = root[field];
  if (value === undefined || value === null) return [];
  const entries = asArray(value, `$.${field}`);
  if (entries.length > MAX_ENTRIES) throw new FormatError(`$.${field}`, `${entries.length} entries: at most ${MAX_ENTRIES} are read`);
  return entries;
}

function base64Field(value: JsonValue | undefined, path: string): Uint8Array {
  if (typeof value !== 'string') throw new FormatError(path, value === undefined ? 'missing' : 'expected a base64 string');
  try {
    return decodeBase64Strict(value, path);
  } catch (error) {
    if (error instanceof EncodingError) throw new FormatError(path, error.message);
    throw error;
  }
}

function asObject(value: JsonValue | undefined, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FormatError(path, value === undefined ? 'missing' : 'expected an object');
  return value;
}

function asArray(value: JsonValue | undefined, path: string): JsonValue[] {
  if (!Array.isArray(value)) throw new FormatError(path, value === undefined ? 'missing' : 'expected an array');
  return value;
}

// A Sigstore bundle (v0.1 to v0.3, JSON form of sigstore_bundle.proto) read from untrusted
// bytes. Only its shape is checked here: nothing in it is trusted until a key or root given by
// the reviewer vouches for it (verify-signer.ts).
import { decodeBase64Strict } from '../../../shared/encoding/base64';
import { EncodingError } from '../../../shared/encoding/encoding-error';
import { FormatError } from '../../../shared/formats/format-error';
import { parseStrictJson, type JsonObject, type JsonValue } from '../../../shared/json/strict-json';

export const SIGSTORE_BUNDLE_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
] as const;

/** Bundles are small: the OMS manifest of a 100,000-file model is a few tens of MB. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/** What the bundle says about who signed: claims, until a trust anchor vouches. */
export type SignerClaim =
  /** `publicKey.hint` (v1.1.0 and later), or none at all. */
  | { kind: 'key-hint'; hint: string | null }
  /** `publicKey.rawBytes` + `keyDetails` (model_signing before v1.1.0): a key the bundle brings. */
  | { kind: 'embedded-key'; spkiDer: Uint8Array; keyDetails: string | null }
  /** `x509CertificateChain` (certificate method): leaf first, then intermediates. */
  | { kind: 'certificate-chain'; certificatesDer: Uint8Array[] }
  /** `certificate` (v0.3 keyless): one short-lived Fulcio certificate. */
  | { kind: 'keyless-certificate'; certificateDer: Uint8Array };

export interface BundleDsseEnvelope {
  payloadType: string;
  payload: Uint8Array;
  signatures: { sig: Uint8Array; keyid: string | null }[];
}

export interface BundleMessageSignature {
  messageDigest: { algorithm: string; digest: Uint8Array } | null;
  signature: Uint8Array;
}

/** `InclusionProof` of sigstore_rekor.proto: an RFC 6962 audit path and the checkpoint it leads to. */
export interface TlogInclusionProof {
  /** The leaf's index in the tree the checkpoint commits to (Rekor v1: the shard's index). */
  logIndex: number;
  rootHash: Uint8Array;
  treeSize: number;
  hashes: Uint8Array[];
  /** The signed note text of the checkpoint, as the log wrote it. */
  checkpoint: string;
}

/** `TransparencyLogEntry` of sigstore_rekor.proto: what a Rekor log says about the signature. Claims until verified. */
export interface TlogEntry {
  logIndex: number;
  logId: Uint8Array;
  kindVersion: { kind: string; version: string };
  /** Seconds since the epoch; 0 when absent (Rekor v2 writes none). */
  integratedTime: number;
  signedEntryTimestamp: Uint8Array | null;
  inclusionProof: TlogInclusionProof | null;
  canonicalizedBody: Uint8Array;
}

export interface SigstoreBundle {
  mediaType: (typeof SIGSTORE_BUNDLE_MEDIA_TYPES)[number];
  signer: SignerClaim;
  tlogEntries: TlogEntry[];
  /** Each `timestampVerificationData.rfc3161Timestamps[].signedTimestamp`: DER, unverified. */
  rfc3161Timestamps: Uint8Array[];
  tlogEntryCount: number;
  hasTimestamps: boolean;
  content: { kind: 'dsse'; envelope: BundleDsseEnvelope } | { kind: 'message-signature'; signature: BundleMessageSignature };
}

export function isSigstoreMediaType(value: unknown): value is SigstoreBundle['mediaType'] {
  return typeof value === 'string' && (SIGSTORE_BUNDLE_MEDIA_TYPES as readonly string[]).includes(value);
}

/** Parses bundle bytes; throws FormatError naming the JSON path of the first problem. */
export function readSigstoreBundle(bytes: Uint8Array): SigstoreBundle {
  const root = asObject(parseStrictJson(bytes, { maxBytes: MAX_BUNDLE_BYTES }), '$');
  const mediaType = root['mediaType'];
  if (!isSigstoreMediaType(mediaType)) {
    throw new FormatError('$.mediaType', `not a Sigstore bundle media type: ${JSON.stringify(typeof mediaType === 'string' ? mediaType.slice(0, 80) : mediaType ?? null)}`);
  }
  const material = asObject(root['verificationMaterial'], '$.verificationMaterial');
  const signer = readSignerClaim(material);
  const tlogEntries = readTlogEntries(material['tlogEntries'], mediaType);
  const rfc3161Timestamps = readTimestamps(material['timestampVerificationData']);

  const dsse = root['dsseEnvelope'];
  const message = root['messageSignature'];
  if ((dsse === undefined) === (message === undefined)) {
    throw new FormatError('$', 'a bundle holds exactly one of dsseEnvelope and messageSignature');
  }
  const content: SigstoreBundle['content'] =
    dsse !== undefined ? { kind: 'dsse', envelope: readEnvelope(dsse) } : { kind: 'message-signature', signature: readMessageSignature(message ?? null) };
  return { mediaType, signer, tlogEntries, rfc3161Timestamps, tlogEntryCount: tlogEntries.length, hasTimestamps: rfc3161Timestamps.length > 0, content };
}

const MAX_TLOG_ENTRIES = 16;
const MAX_TIMESTAMPS = 16;
const MAX_PROOF_HASHES = 64;
const MAX_CHECKPOINT_CHARS = 64 * 1024;

function readTlogEntries(value: JsonValue | undefined, mediaType: SigstoreBundle['mediaType']): TlogEntry[] {
  const path = '$.verificationMaterial.tlogEntries';
  if (value === undefined || value === null) return [];
  const entries = asArray(value, path);
  if (entries.length > MAX_TLOG_ENTRIES) throw new FormatError(path, `${entries.length} entries: at most ${MAX_TLOG_ENTRIES} are read`);
  // Bundle v0.1 relied on the SET; from v0.2 on, an inclusion proof with its checkpoint is required.
  const needsPromise = mediaType === 'application/vnd.dev.sigstore.bundle+json;version=0.1';
  return entries.map((entry, index) => readTlogEntry(entry, `${path}[${index}]`, needsPromise));
}

function readTlogEntry(value: JsonValue, path: string, needsPromise: boolean): TlogEntry {
  const entry = asObject(value, path);
  const logId = base64Field(asObject(entry['logId'], `${path}.logId`)['keyId'], `${path}.logId.keyId`);
  if (logId.length === 0) throw new FormatError(`${path}.logId.keyId`, 'the log ID is empty');
  const kindVersionObject = asObject(entry['kindVersion'], `${path}.kindVersion`);
  const kind = kindVersionObject['kind'];
  const version = kindVersionObject['version'];
  if (typeof kind !== 'string' || kind === '') throw new FormatError(`${path}.kindVersion.kind`, 'expected a non-empty string');
  if (typeof version !== 'string' || version === '') throw new FormatError(`${path}.kindVersion.version`, 'expected a non-empty string');
  const promise = entry['inclusionPromise'];
  const signedEntryTimestamp =
    promise === undefined || promise === null ? null : base64Field(asObject(promise, `${path}.inclusionPromise`)['signedEntryTimestamp'], `${path}.inclusionPromise.signedEntryTimestamp`);
  if (needsPromise && signedEntryTimestamp === null) throw new FormatError(`${path}.inclusionPromise`, 'a v0.1 bundle entry must carry its inclusion promise (SET)');
  const proof = entry['inclusionProof'];
  const inclusionProof = proof === undefined || proof === null ? null : readInclusionProof(proof, `${path}.inclusionProof`);
  if (!needsPromise && inclusionProof === null) throw new FormatError(`${path}.inclusionProof`, 'from bundle v0.2 on, an entry must carry an inclusion proof with its checkpoint');
  const canonicalizedBody = base64Field(entry['canonicalizedBody'], `${path}.canonicalizedBody`);
  if (canonicalizedBody.length === 0) throw new FormatError(`${path}.canonicalizedBody`, 'the body is empty');
  return {
    logIndex: int64Field(entry['logIndex'], `${path}.logIndex`),
    logId,
    kindVersion: { kind, version },
    integratedTime: int64Field(entry['integratedTime'], `${path}.integratedTime`),
    signedEntryTimestamp,
    inclusionProof,
    canonicalizedBody,
  };
}

function readInclusionProof(value: JsonValue, path: string): TlogInclusionProof {
  const proof = asObject(value, path);
  const hashes = proof['hashes'] === undefined ? [] : asArray(proof['hashes'], `${path}.hashes`);
  if (hashes.length > MAX_PROOF_HASHES) throw new FormatError(`${path}.hashes`, `${hashes.length} hashes: at most ${MAX_PROOF_HASHES} are read`);
  const checkpointObject = asObject(proof['checkpoint'], `${path}.checkpoint`);
  const checkpoint = checkpointObject['envelope'];
  if (typeof checkpoint !== 'string' || checkpoint === '') throw new FormatError(`${path}.checkpoint.envelope`, 'expected the checkpoint text');
  if (checkpoint.length > MAX_CHECKPOINT_CHARS) throw new FormatError(`${path}.checkpoint.envelope`, `the checkpoint is ${checkpoint.length} characters: at most ${MAX_CHECKPOINT_CHARS} are read`);
  const treeSize = int64Field(proof['treeSize'], `${path}.treeSize`);
  const logIndex = int64Field(proof['logIndex'], `${path}.logIndex`);
  if (logIndex >= treeSize) throw new FormatError(`${path}.logIndex`, `index ${logIndex} is outside a tree of ${treeSize} leaves`);
  return {
    logIndex,
    rootHash: base64Field(proof['rootHash'], `${path}.rootHash`),
    treeSize,
    hashes: hashes.map((hash, index) => base64Field(hash, `${path}.hashes[${index}]`)),
    checkpoint,
  };
}

function readTimestamps(value: JsonValue | undefined): Uint8Array[] {
  const path = '$.verificationMaterial.timestampVerificationData';
  if (value === undefined || value === null) return [];
  const data = asObject(value, path);
  const list = data['rfc3161Timestamps'];
  if (list === undefined || list === null) return [];
  const timestamps = asArray(list, `${path}.rfc3161Timestamps`);
  if (timestamps.length > MAX_TIMESTAMPS) throw new FormatError(`${path}.rfc3161Timestamps`, `${timestamps.length} timestamps: at most ${MAX_TIMESTAMPS} are read`);
  return timestamps.map((timestamp, index) => {
    const at = `${path}.rfc3161Timestamps[${index}]`;
    const bytes = base64Field(asObject(timestamp, at)['signedTimestamp'], `${at}.signedTimestamp`);
    if (bytes.length === 0) throw new FormatError(`${at}.signedTimestamp`, 'the timestamp is empty');
    return bytes;
  });
}

/**
 * An int64 in proto3 JSON: a decimal string. Absent means 0 (proto3 JSON leaves defaults out);
 * values beyond 2^53 − 1 are refused rather than rounded.
 */
function int64Field(value: JsonValue | undefined, path: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value)) throw new FormatError(path, 'expected a non-negative decimal integer in a string');
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new FormatError(path, `${value} is larger than 2^53 - 1`);
  return number;
}

function readSignerClaim(material: JsonObject): SignerClaim {
  const present = ['publicKey', 'x509CertificateChain', 'certificate'].filter((field) => material[field] !== undefined);
  if (present.length !== 1) {
    throw new FormatError('$.verificationMaterial', `expected exactly one of publicKey, x509CertificateChain and certificate, found ${present.length === 0 ? 'none' : present.join(', ')}`);
  }
  const publicKey = material['publicKey'];
  if (publicKey !== undefined) {
    const key = asObject(publicKey, '$.verificationMaterial.publicKey');
    if (key['rawBytes'] !== undefined) {
      const keyDetails = key['keyDetails'];
      if (keyDetails !== undefined && typeof keyDetails !== 'string') throw new FormatError('$.verificationMaterial.publicKey.keyDetails', 'expected a string');
      return { kind: 'embedded-key', spkiDer: base64Field(key['rawBytes'], '$.verificationMaterial.publicKey.rawBytes'), keyDetails: keyDetails ?? null };
    }
    const hint = key['hint'];
    if (hint !== undefined && typeof hint !== 'string') throw new FormatError('$.verificationMaterial.publicKey.hint', 'expected a string');
    return { kind: 'key-hint', hint: hint === undefined || hint === '' ? null : hint };
  }
  const chain = material['x509CertificateChain'];
  if (chain !== undefined) {
    const certificates = asArray(asObject(chain, '$.verificationMaterial.x509CertificateChain')['certificates'], '$.verificationMaterial.x509CertificateChain.certificates');
    if (certificates.length === 0) throw new FormatError('$.verificationMaterial.x509CertificateChain.certificates', 'the chain is empty');
    if (certificates.length > 10) throw new FormatError('$.verificationMaterial.x509CertificateChain.certificates', `${certificates.length} certificates: at most 10 are read`);
    return {
      kind: 'certificate-chain',
      certificatesDer: certificates.map((certificate, i) => {
        const path = `$.verificationMaterial.x509CertificateChain.certificates[${i}]`;
        return base64Field(asObject(certificate, path)['rawBytes'], `${path}.rawBytes`);
      }),
    };
  }
  const certificate = asObject(material['certificate'] ?? null, '$.verificationMaterial.certificate');
  return { kind: 'keyless-certificate', certificateDer: base64Field(certificate['rawBytes'], '$.verificationMaterial.certificate.rawBytes') };
}

function readEnvelope(value: JsonValue): BundleDsseEnvelope {
  const envelope = asObject(value, '$.dsseEnvelope');
  const payloadType = envelope['payloadType'];
  if (typeof payloadType !== 'string') throw new FormatError('$.dsseEnvelope.payloadType', 'expected a string');
  const payload = base64Field(envelope['payload'], '$.dsseEnvelope.payload');
  const signatures = asArray(envelope['signatures'], '$.dsseEnvelope.signatures').map((entry, i) => {
    const path = `$.dsseEnvelope.signatures[${i}]`;
    const signature = asObject(entry, path);
    const keyid = signature['keyid'];
    // DSSE makes keyid optional; model_signing writes "" or (before v1.1.0) null.
    if (keyid !== undefined && keyid !== null && typeof keyid !== 'string') throw new FormatError(`${path}.keyid`, 'expected a string or null');
    return { sig: base64Field(signature['sig'], `${path}.sig`), keyid: keyid === undefined || keyid === '' ? null : keyid };
  });
  if (signatures.length === 0) throw new FormatError('$.dsseEnvelope.signatures', 'the envelope has no signature');
  if (signatures.length > 16) throw new FormatError('$.dsseEnvelope.signatures', `${signatures.length} signatures: at most 16 are read`);
  return { payloadType, payload, signatures };
}

function readMessageSignature(value: JsonValue): BundleMessageSignature {
  const message = asObject(value, '$.messageSignature');
  const signature = base64Field(message['signature'], '$.messageSignature.signature');
  const digestValue = message['messageDigest'];
  if (digestValue === undefined || digestValue === null) return { messageDigest: null, signature };
  const digest = asObject(digestValue, '$.messageSignature.messageDigest');
  const algorithm = digest['algorithm'];
  if (typeof algorithm !== 'string') throw new FormatError('$.messageSignature.messageDigest.algorithm', 'expected a string');
  return { messageDigest: { algorithm, digest: base64Field(digest['digest'], '$.messageSignature.messageDigest.digest') }, signature };
}

function base64Field(value: JsonValue | undefined, path: string): Uint8Array {
  if (typeof value !== 'string') throw new FormatError(path, 'expected a base64 string');
  try {
    return decodeBase64Strict(value, path);
  } catch (error) {
    if (error instanceof EncodingError) throw new FormatError(path, error.message);
    throw error;
  }
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: JsonValue | undefined, path: string): JsonObject {
  if (!isObject(value)) throw new FormatError(path, value === undefined ? 'missing' : 'expected an object');
  return value;
}

export function asArray(value: JsonValue | undefined, path: string): JsonValue[] {
  if (!Array.isArray(value)) throw new FormatError(path, value === undefined ? 'missing' : 'expected an array');
  return value;
}

import { createHash } from 'node:crypto';
import { pae, readEnvelope, type ParsedDsseEnvelope } from '../../../../shared/crypto/dsse';
import { hexToBytesStrict } from '../../../../shared/encoding/hex';
import { FormatError } from '../../../../shared/formats/format-error';
import { parseRfc3339Utc, rfc3339ToEpochMillis } from '../../../../shared/formats/rfc3339';
import { parseStrictJson, type JsonObject, type JsonValue } from '../../../../shared/json/strict-json';
import { encodeCanonicalJson } from '../../../../shared/verify/foreign/canonical-json';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../../shared/verify/foreign/statement-subjects';
import { parseTrustedPublicKey, type TrustedPublicKey } from '../public-keys';

/** Largest layout or link read, in bytes. */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;
/** Most artifacts one link may record; more is refused as hostile. */
export const MAX_ARTIFACTS_PER_LINK = 100_000;

export interface MetadataSignature {
  keyid: string;
  sig: Uint8Array;
}

/** in-toto v0.9 metadata: `signed` and the canonical JSON bytes its signatures cover. */
interface Signed {
  signedBytes: Uint8Array;
  signatures: MetadataSignature[];
}

/** A functionary key from the layout's `keys`, its key ID checked against its content. */
export interface FunctionaryKey {
  keyId: string;
  scheme: string;
  key: TrustedPublicKey;
}

/** A rule of expected_materials or expected_products, as its words. */
export type ArtifactRule = readonly string[];

export interface LayoutStep {
  name: string;
  pubkeys: string[];
  threshold: number;
  expectedMaterials: ArtifactRule[];
  expectedProducts: ArtifactRule[];
}

export interface Layout extends Signed {
  expires: string;
  keys: Map<string, FunctionaryKey>;
  steps: LayoutStep[];
  inspections: { name: string; run: string[] }[];
}

/** path → digest set (algorithm → lowercase hex). */
export type Artifacts = Map<string, Record<string, string>>;

export interface Link extends Signed {
  name: string;
  materials: Artifacts;
  products: Artifacts;
}

/**
 * A step or inspection name: it becomes part of a link's file name, so anything that could
 * leave the links directory (`/`, `\`, `..`, control characters) is refused.
 */
const SAFE_NAME = /^(?!\.\.?$)[^/\\\u0000-\u001f]{1,200}$/;

export function parseLayout(bytes: Uint8Array, what: string): Layout {
  const { signed, signatures, signedBytes } = readSigned(bytes, what, 'layout');
  const expires = parseRfc3339Utc(signed['expires'] ?? null, `${what} $.signed.expires`);
  const keys = new Map<string, FunctionaryKey>();
  for (const [keyId, value] of Object.entries(objectAt(signed['keys'], `${what} $.signed.keys`))) {
    keys.set(keyId, readFunctionaryKey(keyId, value, `${what} $.signed.keys.${keyId}`));
  }
  const steps = arrayAt(signed['steps'], `${what} $.signed.steps`).map((value, index) => readStep(value, `${what} $.signed.steps[${index}]`));
  const inspections = arrayAt(signed['inspect'] ?? [], `${what} $.signed.inspect`).map((value, index) => {
    const at = `${what} $.signed.inspect[${index}]`;
    const inspection = objectAt(value, at);
    return { name: safeName(inspection['name'], `${at}.name`), run: arrayAt(inspection['run'] ?? [], `${at}.run`).map((word, i) => stringAt(word, `${at}.run[${i}]`)) };
  });
  const names = new Set<string>();
  for (const { name } of [...steps, ...inspections]) {
    if (names.has(name)) throw new FormatError(`${what} $.signed`, `the name ${JSON.stringify(name)} is given to two steps or inspections`);
    names.add(name);
  }
  for (const [index, step] of steps.entries()) {
    for (const keyId of step.pubkeys) {
      if (!keys.has(keyId)) throw new FormatError(`${what} $.signed.steps[${index}].pubkeys`, `key ${keyId} is not among the layout's keys`);
    }
  }
  return { signedBytes, signatures, expires, keys, steps, inspections };
}

export function parseLink(bytes: Uint8Array, what: string): Link {
  const { signed, signatures, signedBytes } = readSigned(bytes, what, 'link');
  return {
    signedBytes,
    signatures,
    name: safeName(signed['name'], `${what} $.signed.name`),
    materials: readArtifacts(signed['materials'] ?? {}, `${what} $.signed.materials`),
    products: readArtifacts(signed['products'] ?? {}, `${what} $.signed.products`),
  };
}

export function isExpired(layout: Layout, now: Date): boolean {
  return rfc3339ToEpochMillis(layout.expires) <= now.getTime();
}

function readSigned(bytes: Uint8Array, what: string, type: 'layout' | 'link'): { signed: JsonObject; signatures: MetadataSignature[]; signedBytes: Uint8Array } {
  let document: JsonValue;
  try {
    document = parseStrictJson(bytes, { maxBytes: MAX_METADATA_BYTES });
  } catch (error) {
    throw new FormatError(what, error instanceof Error ? error.message : String(error));
  }
  const top = objectAt(document, `${what} $`);
  if ('payloadType' in top) return readEnvelopeMetadata(bytes, what, type);
  const signed = objectAt(top['signed'], `${what} $.signed`);
  checkType(signed, `${what} $.signed._type`, type);
  const signatures = arrayAt(top['signatures'], `${what} $.signatures`).map((value, index) => {
    const at = `${what} $.signatures[${index}]`;
    const signature = objectAt(value, at);
    return { keyid: stringAt(signature['keyid'], `${at}.keyid`), sig: hexToBytesStrict(stringAt(signature['sig'], `${at}.sig`), `${at}.sig`) };
  });
  let signedBytes: Uint8Array;
  try {
    signedBytes = encodeCanonicalJson(signed);
  } catch (error) {
    throw new FormatError(`${what} $.signed`, `cannot be written as canonical JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { signed, signatures, signedBytes };
}

function checkType(signed: JsonObject, at: string, type: 'layout' | 'link'): void {
  if (signed['_type'] !== type) throw new FormatError(at, `expected ${JSON.stringify(type)}, found ${JSON.stringify(signed['_type'] ?? null)}`);
}

/**
 * in-toto metadata in a DSSE envelope: the payload (type application/vnd.in-toto+json) is the
 * layout or link itself, and signatures cover DSSE's PAE of the payload as sent, not canonical JSON.
 */
function readEnvelopeMetadata(bytes: Uint8Array, what: string, type: 'layout' | 'link'): { signed: JsonObject; signatures: MetadataSignature[]; signedBytes: Uint8Array } {
  let envelope: ParsedDsseEnvelope;
  try {
    envelope = readEnvelope(bytes, MAX_METADATA_BYTES, { anySignatureAlgorithm: true });
  } catch (error) {
    throw new FormatError(what, `the DSSE envelope cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new FormatError(`${what} $.payloadType`, `expected ${IN_TOTO_PAYLOAD_TYPE} for in-toto metadata, found ${JSON.stringify(envelope.payloadType)}`);
  let payload: JsonValue;
  try {
    payload = parseStrictJson(envelope.payload, { maxBytes: MAX_METADATA_BYTES });
  } catch (error) {
    throw new FormatError(`${what} payload`, error instanceof Error ? error.message : String(error));
  }
  const signed = objectAt(payload, `${what} payload $`);
  checkType(signed, `${what} payload $._type`, type);
  return { signed, signatures: envelope.signatures.map((signature) => ({ keyid: signature.keyid, sig: signature.sig })), signedBytes: pae(envelope.payloadType, envelope.payload) };
}

const SCHEMES: Record<string, { keytypes: readonly string[]; algorithms: readonly TrustedPublicKey['algorithm'][] }> = {
  ed25519: { keytypes: ['ed25519'], algorithms: ['ed25519'] },
  'ecdsa-sha2-nistp256': { keytypes: ['ecdsa', 'ecdsa-sha2-nistp256'], algorithms: ['ecdsa-p256'] },
  'ecdsa-sha2-nistp384': { keytypes: ['ecdsa', 'ecdsa-sha2-nistp384'], algorithms: ['ecdsa-p384'] },
  'rsassa-pss-sha256': { keytypes: ['rsa'], algorithms: ['rsa'] },
  'rsa-pkcs1v15-sha256': { keytypes: ['rsa'], algorithms: ['rsa'] },
};

/**
 * A key in securesystemslib's format. Its ID must be the hex SHA-256 of the canonical JSON of
 * the key without `keyid` (and without any private part): a key filed under another key's ID is refused.
 */
function readFunctionaryKey(keyId: string, value: JsonValue, at: string): FunctionaryKey {
  const key = objectAt(value, at);
  const keytype = stringAt(key['keytype'], `${at}.keytype`);
  const scheme = stringAt(key['scheme'], `${at}.scheme`);
  const keyval = objectAt(key['keyval'], `${at}.keyval`);
  const publicText = stringAt(keyval['public'], `${at}.keyval.public`);
  const rule = SCHEMES[scheme];
  if (rule === undefined || !rule.keytypes.includes(keytype)) throw new FormatError(`${at}.scheme`, `unsupported key type and scheme ${keytype}/${scheme} (ed25519, ecdsa-sha2-nistp256/384, rsassa-pss-sha256 are)`);

  const publicPart: JsonObject = {};
  for (const [name, member] of Object.entries(key)) if (name !== 'keyid') publicPart[name] = member;
  publicPart['keyval'] = { public: publicText };
  const computed = createHash('sha256').update(encodeCanonicalJson(publicPart)).digest('hex');
  if (computed !== keyId) throw new FormatError(at, `the key ID ${keyId} is not this key's (its canonical JSON hashes to ${computed})`);

  const pem = keytype === 'ed25519' ? ed25519Pem(publicText, `${at}.keyval.public`) : publicText;
  const trusted = parseTrustedPublicKey(pem, `${at}.keyval.public`, keyId, 'flag');
  if (!rule.algorithms.includes(trusted.algorithm)) throw new FormatError(`${at}.scheme`, `scheme ${scheme} does not fit a ${trusted.algorithm} key`);
  return { keyId, scheme, key: { ...trusted, keyId } };
}

/**
 * The in-toto key ID securesystemslib gives a key read from a PEM file (its default scheme for the
 * key type, `keyid_hash_algorithms` sha256 and sha512). Only to tell which given key a layout
 * signature names: trust is the key itself, never this ID.
 */
export function inTotoKeyId(key: TrustedPublicKey): string {
  const pem = (key.keyObject.export({ type: 'spki', format: 'pem' }) as string).trim();
  const spki = key.keyObject.export({ type: 'spki', format: 'der' });
  const [keytype, scheme, publicText] =
    key.algorithm === 'ed25519'
      ? ['ed25519', 'ed25519', spki.subarray(ED25519_SPKI_PREFIX.length).toString('hex')]
      : key.algorithm === 'rsa'
        ? ['rsa', 'rsassa-pss-sha256', pem]
        : ['ecdsa', key.algorithm === 'ecdsa-p256' ? 'ecdsa-sha2-nistp256' : key.algorithm === 'ecdsa-p384' ? 'ecdsa-sha2-nistp384' : 'ecdsa-sha2-nistp521', pem];
  return createHash('sha256').update(encodeCanonicalJson({ keyid_hash_algorithms: ['sha256', 'sha512'], keytype, keyval: { public: publicText }, scheme })).digest('hex');
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function ed25519Pem(hex: string, at: string): string {
  const raw = hexToBytesStrict(hex, at);
  if (raw.length !== 32) throw new FormatError(at, `an Ed25519 public key is 32 bytes, not ${raw.length}`);
  const der = Buffer.concat([ED25519_SPKI_PREFIX, raw]).toString('base64');
  return `-----BEGIN PUBLIC KEY-----\n${der}\n-----END PUBLIC KEY-----`;
}

function readStep(value: JsonValue, at: string): LayoutStep {
  const step = objectAt(value, at);
  const threshold = step['threshold'] ?? 1;
  if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold) || threshold < 1) throw new FormatError(`${at}.threshold`, 'must be a positive integer');
  const pubkeys = arrayAt(step['pubkeys'] ?? [], `${at}.pubkeys`).map((key, index) => stringAt(key, `${at}.pubkeys[${index}]`));
  return {
    name: safeName(step['name'], `${at}.name`),
    pubkeys: [...new Set(pubkeys)],
    threshold,
    expectedMaterials: readRules(step['expected_materials'] ?? [], `${at}.expected_materials`),
    expectedProducts: readRules(step['expected_products'] ?? [], `${at}.expected_products`),
  };
}

function readRules(value: JsonValue, at: string): ArtifactRule[] {
  return arrayAt(value, at).map((rule, index) => arrayAt(rule, `${at}[${index}]`).map((word, i) => stringAt(word, `${at}[${index}][${i}]`)));
}

function readArtifacts(value: JsonValue, at: string): Artifacts {
  const entries = Object.entries(objectAt(value, at));
  if (entries.length > MAX_ARTIFACTS_PER_LINK) throw new FormatError(at, `records ${entries.length} artifacts; at most ${MAX_ARTIFACTS_PER_LINK} are read`);
  const artifacts: Artifacts = new Map();
  for (const [path, digests] of entries) {
    const digestAt = `${at}[${JSON.stringify(path)}]`;
    const set: Record<string, string> = {};
    for (const [algorithm, digest] of Object.entries(objectAt(digests, digestAt))) {
      const hex = stringAt(digest, `${digestAt}.${algorithm}`);
      if (!/^[0-9a-f]+$/.test(hex)) throw new FormatError(`${digestAt}.${algorithm}`, 'a digest is lowercase hex');
      set[algorithm] = hex;
    }
    artifacts.set(path, set);
  }
  return artifacts;
}

function safeName(value: JsonValue | undefined, at: string): string {
  const name = stringAt(value, at);
  if (!SAFE_NAME.test(name)) throw new FormatError(at, `the name ${JSON.stringify(name)} is refused: a step name becomes a file name and may hold no "/", "\\", control character, nor be "." or ".."`);
  return name;
}

function objectAt(value: JsonValue | undefined, at: string): JsonObject {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) throw new FormatError(at, 'expected an object');
  return value;
}

function arrayAt(value: JsonValue | undefined, at: string): JsonValue[] {
  if (!Array.isArray(value)) throw new FormatError(at, 'expected an array');
  return value;
}

function stringAt(value: JsonValue | undefined, at: string): string {
  if (typeof value !== 'string') throw new FormatError(at, 'expected a string');
  return value;
}

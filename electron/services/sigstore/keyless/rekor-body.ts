// What a Rekor entry's body says was logged, compared with what the bundle holds. A log entry
// vouches only for the signature, signer and artifact (or envelope) it names: an entry logged
// for another artifact, another signature or another key must not lend its time to this bundle.
import { createHash, X509Certificate } from 'node:crypto';
import { decodeBase64Strict } from '../../../../shared/encoding/base64';
import { equalBytes } from '../../../../shared/encoding/bytes';
import { FormatError } from '../../../../shared/formats/format-error';
import { parseStrictJson, type JsonValue } from '../../../../shared/json/strict-json';
import type { BundleDsseEnvelope, TlogEntry } from '../sigstore-bundle';

/** What the bundle signed and who it says signed it: what the entry must name. */
export interface SignedContent {
  /** The message signature, or the DSSE envelope's signature, exactly as the bundle holds it. */
  signatureBytes: Uint8Array;
  leafCertificateDer: Uint8Array | null;
  verificationKeySpkiDer: Uint8Array | null;
  /** The artifact's digest, for message signatures (`sha256`, `sha384`, `sha512`). */
  artifactDigest: { algorithm: string; hex: string } | null;
  envelope: BundleDsseEnvelope | null;
}

export interface BodyCheck {
  /** The body is a Rekor v2 (rekor-tiles) entry: no SET, no integrated time. */
  rekorV2: boolean;
  problems: string[];
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Rekor v1 names hashes in lowercase, Rekor v2 and the bundle as HashAlgorithm enum values. */
const HASH_NAMES: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  SHA2_256: 'sha256',
  SHA2_384: 'sha384',
  SHA2_512: 'sha512',
};

type Verifier = { kind: 'certificate' | 'public-key'; der: Uint8Array };

class BodyProblem extends Error {}

export function checkEntryBody(entry: TlogEntry, content: SignedContent): BodyCheck {
  const { kind, version } = entry.kindVersion;
  const rekorV2 = version === '0.0.2' && (kind === 'hashedrekord' || kind === 'dsse');
  try {
    let body: JsonValue;
    try {
      body = parseStrictJson(entry.canonicalizedBody, { maxBytes: MAX_BODY_BYTES });
    } catch (error) {
      if (error instanceof FormatError) throw new BodyProblem(`its body is not valid JSON (${error.message})`);
      throw error;
    }
    const bodyKind = field(body, 'kind');
    const bodyVersion = field(body, 'apiVersion');
    if (bodyKind !== kind || bodyVersion !== version) {
      throw new BodyProblem(`its body is ${JSON.stringify(bodyKind ?? null)} version ${JSON.stringify(bodyVersion ?? null)}, while the bundle says ${kind} ${version}`);
    }
    const spec = field(body, 'spec');
    switch (`${kind}/${version}`) {
      case 'hashedrekord/0.0.1':
        checkHashedRekordV001(spec, content);
        break;
      case 'hashedrekord/0.0.2':
        checkHashedRekordV002(field(spec, 'hashedRekordV002'), content);
        break;
      case 'dsse/0.0.1':
        checkDsseV001(spec, content);
        break;
      case 'dsse/0.0.2':
        checkDsseV002(field(spec, 'dsseV002'), content);
        break;
      case 'intoto/0.0.2':
        checkIntotoV002(field(spec, 'content'), content);
        break;
      default:
        throw new BodyProblem(`entries of kind ${JSON.stringify(kind)} version ${JSON.stringify(version)} are not understood (hashedrekord 0.0.1/0.0.2, dsse 0.0.1/0.0.2 and intoto 0.0.2 are)`);
    }
    return { rekorV2, problems: [] };
  } catch (error) {
    if (error instanceof BodyProblem) return { rekorV2, problems: [error.message] };
    throw error;
  }
}

function checkHashedRekordV001(spec: JsonValue | undefined, content: SignedContent): void {
  const message = messageContent(content, 'hashedrekord');
  const hash = field(field(spec, 'data'), 'hash');
  checkDigest(text(field(hash, 'algorithm'), 'spec.data.hash.algorithm'), hexText(field(hash, 'value'), 'spec.data.hash.value'), message.artifactDigest, 'the artifact');
  const signature = field(spec, 'signature');
  checkSignature(bytes(field(signature, 'content'), 'spec.signature.content'), content.signatureBytes);
  checkSigner(pemVerifier(field(field(signature, 'publicKey'), 'content'), 'spec.signature.publicKey.content'), content);
}

function checkHashedRekordV002(spec: JsonValue | undefined, content: SignedContent): void {
  const message = messageContent(content, 'hashedrekord');
  if (spec === undefined) throw new BodyProblem('its body has no spec.hashedRekordV002');
  const data = field(spec, 'data');
  checkDigest(text(field(data, 'algorithm'), 'spec.hashedRekordV002.data.algorithm'), hex(bytes(field(data, 'digest'), 'spec.hashedRekordV002.data.digest')), message.artifactDigest, 'the artifact');
  const signature = field(spec, 'signature');
  checkSignature(bytes(field(signature, 'content'), 'spec.hashedRekordV002.signature.content'), content.signatureBytes);
  checkSigner(protoVerifier(field(signature, 'verifier'), 'spec.hashedRekordV002.signature.verifier'), content);
}

function checkDsseV001(spec: JsonValue | undefined, content: SignedContent): void {
  const envelope = envelopeContent(content, 'dsse');
  const payloadHash = field(spec, 'payloadHash');
  checkPayloadDigest(text(field(payloadHash, 'algorithm'), 'spec.payloadHash.algorithm'), hexText(field(payloadHash, 'value'), 'spec.payloadHash.value'), envelope);
  const logged = list(field(spec, 'signatures'), 'spec.signatures').map((signature, index) => ({
    signature: bytes(field(signature, 'signature'), `spec.signatures[${index}].signature`),
    verifier: () => pemVerifier(field(signature, 'verifier'), `spec.signatures[${index}].verifier`),
  }));
  checkEnvelopeSignatures(logged, envelope, content);
}

function checkDsseV002(spec: JsonValue | undefined, content: SignedContent): void {
  const envelope = envelopeContent(content, 'dsse');
  if (spec === undefined) throw new BodyProblem('its body has no spec.dsseV002');
  const payloadHash = field(spec, 'payloadHash');
  checkPayloadDigest(text(field(payloadHash, 'algorithm'), 'spec.dsseV002.payloadHash.algorithm'), hex(bytes(field(payloadHash, 'digest'), 'spec.dsseV002.payloadHash.digest')), envelope);
  const logged = list(field(spec, 'signatures'), 'spec.dsseV002.signatures').map((signature, index) => ({
    signature: bytes(field(signature, 'content'), `spec.dsseV002.signatures[${index}].content`),
    verifier: () => protoVerifier(field(signature, 'verifier'), `spec.dsseV002.signatures[${index}].verifier`),
  }));
  checkEnvelopeSignatures(logged, envelope, content);
}

function checkIntotoV002(spec: JsonValue | undefined, content: SignedContent): void {
  const envelope = envelopeContent(content, 'intoto');
  const payloadHash = field(spec, 'payloadHash');
  checkPayloadDigest(text(field(payloadHash, 'algorithm'), 'spec.content.payloadHash.algorithm'), hexText(field(payloadHash, 'value'), 'spec.content.payloadHash.value'), envelope);
  const loggedEnvelope = field(spec, 'envelope');
  const payloadType = text(field(loggedEnvelope, 'payloadType'), 'spec.content.envelope.payloadType');
  if (payloadType !== envelope.payloadType) throw new BodyProblem(`it logged payload type ${JSON.stringify(payloadType)}, the envelope has ${JSON.stringify(envelope.payloadType)}`);
  // intoto v0.0.2 stores each signature base64-encoded twice, and the key or certificate as base64 of PEM.
  const logged = list(field(loggedEnvelope, 'signatures'), 'spec.content.envelope.signatures').map((signature, index) => {
    const where = `spec.content.envelope.signatures[${index}]`;
    const inner = new TextDecoder().decode(bytes(field(signature, 'sig'), `${where}.sig`));
    return { signature: bytes(inner, `${where}.sig (inner base64)`), verifier: () => pemVerifier(field(signature, 'publicKey'), `${where}.publicKey`) };
  });
  checkEnvelopeSignatures(logged, envelope, content);
}

function messageContent(content: SignedContent, kind: string): { artifactDigest: NonNullable<SignedContent['artifactDigest']> } {
  if (content.envelope !== null) throw new BodyProblem(`a ${kind} entry logs a message signature, but the bundle holds a DSSE envelope`);
  if (content.artifactDigest === null) throw new BodyProblem(`a ${kind} entry names an artifact digest, and no artifact digest was given to compare it with`);
  return { artifactDigest: content.artifactDigest };
}

function envelopeContent(content: SignedContent, kind: string): BundleDsseEnvelope {
  if (content.envelope === null) throw new BodyProblem(`a ${kind} entry logs a DSSE envelope, but the bundle holds a message signature`);
  return content.envelope;
}

function checkDigest(algorithmName: string, loggedHex: string, expected: { algorithm: string; hex: string }, what: string): void {
  const algorithm = HASH_NAMES[algorithmName];
  if (algorithm === undefined) throw new BodyProblem(`it names the unsupported digest algorithm ${JSON.stringify(algorithmName)}`);
  const wanted = HASH_NAMES[expected.algorithm];
  if (wanted !== algorithm) throw new BodyProblem(`it logged a ${algorithm} digest of ${what}, and the bundle's is ${expected.algorithm}`);
  if (loggedHex !== expected.hex.toLowerCase()) throw new BodyProblem(`it was logged for another artifact: ${algorithm} ${loggedHex}, not ${expected.hex.toLowerCase()}`);
}

function checkPayloadDigest(algorithmName: string, loggedHex: string, envelope: BundleDsseEnvelope): void {
  const algorithm = HASH_NAMES[algorithmName];
  if (algorithm === undefined) throw new BodyProblem(`it names the unsupported digest algorithm ${JSON.stringify(algorithmName)}`);
  const actual = createHash(algorithm).update(envelope.payload).digest('hex');
  if (loggedHex !== actual) throw new BodyProblem(`it was logged for another envelope payload: ${algorithm} ${loggedHex}, the bundle's payload is ${actual}`);
}

function checkSignature(logged: Uint8Array, signature: Uint8Array): void {
  if (!equalBytes(logged, signature)) throw new BodyProblem('it logged another signature than the bundle holds');
}

/** DSSE: the log holds exactly the envelope's signatures, and the bundle's signature with its signer. */
function checkEnvelopeSignatures(logged: { signature: Uint8Array; verifier: () => Verifier }[], envelope: BundleDsseEnvelope, content: SignedContent): void {
  if (logged.length !== envelope.signatures.length) throw new BodyProblem(`it logged ${logged.length} signatures, the envelope has ${envelope.signatures.length}`);
  for (const [index, signature] of envelope.signatures.entries()) {
    if (!logged.some((entry) => equalBytes(entry.signature, signature.sig))) throw new BodyProblem(`it does not log the envelope's signature ${index}`);
  }
  const ours = logged.find((entry) => equalBytes(entry.signature, content.signatureBytes));
  if (ours === undefined) throw new BodyProblem('it logged another signature than the bundle holds');
  checkSigner(ours.verifier(), content);
}

function checkSigner(verifier: Verifier, content: SignedContent): void {
  const leaf = content.leafCertificateDer;
  const key = content.verificationKeySpkiDer ?? (leaf === null ? null : spkiOf(leaf));
  if (leaf === null && key === null) throw new BodyProblem('no certificate or key was given to compare its signer with');
  if (verifier.kind === 'certificate') {
    if (leaf !== null) {
      if (!equalBytes(verifier.der, leaf)) throw new BodyProblem('it names another signing certificate than the bundle');
      return;
    }
    if (!equalBytes(spkiOfLogged(verifier.der), key!)) throw new BodyProblem('its certificate holds another key than the bundle\'s');
    return;
  }
  if (!equalBytes(verifier.der, key!)) throw new BodyProblem('it names another public key than the bundle\'s signer');
}

function spkiOf(certificateDer: Uint8Array): Uint8Array {
  return new Uint8Array(new X509Certificate(Buffer.from(certificateDer)).publicKey.export({ type: 'spki', format: 'der' }));
}

function spkiOfLogged(certificateDer: Uint8Array): Uint8Array {
  try {
    return spkiOf(certificateDer);
  } catch {
    throw new BodyProblem('its certificate cannot be read');
  }
}

/** Rekor v1 verifiers: base64 of one PEM block, a certificate or a public key. */
function pemVerifier(value: JsonValue | undefined, where: string): Verifier {
  const pem = new TextDecoder('utf-8', { fatal: false }).decode(bytes(value, where));
  const blocks = [...pem.matchAll(/-----BEGIN (CERTIFICATE|PUBLIC KEY)-----([A-Za-z0-9+/=\s]*?)-----END \1-----/g)];
  if (blocks.length !== 1) throw new BodyProblem(`${where} is not one PEM certificate or public key`);
  const [, label, body] = blocks[0]! as unknown as [string, string, string];
  return { kind: label === 'CERTIFICATE' ? 'certificate' : 'public-key', der: bytes(body.replace(/\s+/g, ''), where) };
}

/** Rekor v2 verifiers: `{publicKey: {rawBytes}}` or `{x509Certificate: {rawBytes}}`, with keyDetails. */
function protoVerifier(value: JsonValue | undefined, where: string): Verifier {
  const publicKey = field(value, 'publicKey');
  const certificate = field(value, 'x509Certificate');
  if ((publicKey === undefined) === (certificate === undefined)) throw new BodyProblem(`${where} holds neither or both of publicKey and x509Certificate`);
  if (certificate !== undefined) return { kind: 'certificate', der: bytes(field(certificate, 'rawBytes'), `${where}.x509Certificate.rawBytes`) };
  return { kind: 'public-key', der: bytes(field(publicKey, 'rawBytes'), `${where}.publicKey.rawBytes`) };
}

function field(value: JsonValue | undefined, name: string): JsonValue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, name) ? value[name] : undefined;
}

function text(value: JsonValue | undefined, where: string): string {
  if (typeof value !== 'string') throw new BodyProblem(`its body has no string at ${where}`);
  return value;
}

function hexText(value: JsonValue | undefined, where: string): string {
  const hexString = text(value, where);
  if (!/^([0-9a-f]{2})+$/.test(hexString)) throw new BodyProblem(`its body's ${where} is not lowercase hex`);
  return hexString;
}

function bytes(value: JsonValue | undefined, where: string): Uint8Array {
  const encoded = text(value, where);
  try {
    return decodeBase64Strict(encoded, where);
  } catch {
    throw new BodyProblem(`its body's ${where} is not base64`);
  }
}

function list(value: JsonValue | undefined, where: string): JsonValue[] {
  if (!Array.isArray(value) || value.length === 0) throw new BodyProblem(`its body has no signatures at ${where}`);
  return value;
}

function hex(value: Uint8Array): string {
  return Buffer.from(value).toString('hex');
}

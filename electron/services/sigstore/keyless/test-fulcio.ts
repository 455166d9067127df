// For tests: a Fulcio of our own, made at test time. A root CA, an intermediate, and short-lived
// leaves as Fulcio issues them (SAN email, URI or username; the OIDC issuer extensions; code
// signing; embedded SCTs from a test CT log), built byte by byte from RFC 5280 and RFC 6962 with
// the DER encoder and signed with node:crypto; and a trusted_root.json naming them.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { DER_TAG, encodeDer } from '../../../../shared/encoding/der';

const OIDS = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  embeddedScts: '1.3.6.1.4.1.11129.2.4.2',
  issuerLegacy: '1.3.6.1.4.1.57264.1.1',
  issuer: '1.3.6.1.4.1.57264.1.8',
  usernameSan: '1.3.6.1.4.1.57264.1.7',
};

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  spki: Uint8Array;
}

export interface TestCertificate {
  der: Uint8Array;
  key: KeyPair;
  subject: string;
}

export interface LeafOptions {
  email?: string | undefined;
  uri?: string;
  username?: string;
  /** OIDC issuer in extension 1.3.6.1.4.1.57264.1.8 (null: left out). */
  issuer?: string | null;
  /** OIDC issuer in the legacy extension 1.3.6.1.4.1.57264.1.1 (null: left out). */
  legacyIssuer?: string | null;
  notBefore: Date;
  notAfter: Date;
  /** Extended key usage; code signing unless told otherwise. */
  extendedKeyUsage?: string[];
  /** Writes the extended key usage as a SEQUENCE that claims more bytes than it holds (hostile DER). */
  truncatedExtendedKeyUsage?: boolean;
  /** valid: by the test CT log; none; unknown-log: by a log no trusted root lists; forged: the log's signature over another certificate. */
  sct?: 'valid' | 'none' | 'unknown-log' | 'forged';
  sctTime?: Date;
  /** Issued by another CA than the test Fulcio's intermediate. */
  issuedBy?: TestCertificate;
}

export interface TestFulcio {
  root: TestCertificate;
  intermediate: TestCertificate;
  ctLog: KeyPair;
  issueLeaf(options: LeafOptions): TestCertificate;
  /** A trusted_root.json (v0.1) naming the CA (intermediate then root) and the CT log; extra entries (tlogs, TSAs) merged in. */
  trustedRoot(options?: TrustedRootOptions): Record<string, unknown>;
}

export interface TrustedRootOptions {
  caValidFor?: { start: Date; end?: Date };
  ctlogValidFor?: { start: Date; end?: Date };
  tlogs?: unknown[];
  timestampAuthorities?: unknown[];
  /** Leave the test Fulcio out (another CA is trusted instead). */
  certificateAuthorities?: TestCertificate[][];
}

export function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })) };
}

/** A self-signed CA, valid for the given span. */
export function makeRootCa(name: string, notBefore: Date, notAfter: Date): TestCertificate {
  const key = newKeyPair();
  return { der: certificate({ issuer: name, subject: name, subjectKey: key, signer: key, notBefore, notAfter, extensions: caExtensions() }), key, subject: name };
}

export function makeTestFulcio(notBefore: Date, notAfter: Date): TestFulcio {
  const root = makeRootCa('test-fulcio-root', notBefore, notAfter);
  const intermediateKey = newKeyPair();
  const intermediate: TestCertificate = {
    der: certificate({ issuer: root.subject, subject: 'test-fulcio-intermediate', subjectKey: intermediateKey, signer: root.key, notBefore, notAfter, extensions: caExtensions() }),
    key: intermediateKey,
    subject: 'test-fulcio-intermediate',
  };
  const ctLog = newKeyPair();

  const issueLeaf = (options: LeafOptions): TestCertificate => {
    const issuer = options.issuedBy ?? intermediate;
    const key = newKeyPair();
    const extensions = leafExtensions(options);
    const fields = { issuer: issuer.subject, subject: '', subjectKey: key, signer: issuer.key, notBefore: options.notBefore, notAfter: options.notAfter };
    const sctMode = options.sct ?? 'valid';
    if (sctMode !== 'none') {
      const precertificate = tbsCertificate({ ...fields, extensions, serial: SERIAL });
      const signedOver = sctMode === 'forged' ? tbsCertificate({ ...fields, extensions, serial: SERIAL + 1 }) : precertificate;
      const log = sctMode === 'unknown-log' ? newKeyPair() : ctLog;
      const sct = signedCertificateTimestamp(log, options.sctTime ?? options.notBefore, signedOver, issuer.key.spki);
      const list = encodeDer(DER_TAG.OCTET_STRING, tlsVector(tlsVector(sct, 2), 2));
      extensions.splice(1, 0, extension(OIDS.embeddedScts, false, list));
    }
    return { der: certificate({ ...fields, extensions }), key, subject: '' };
  };

  const trustedRoot = (options: TrustedRootOptions = {}): Record<string, unknown> => ({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: options.tlogs ?? [],
    certificateAuthorities: (options.certificateAuthorities ?? [[intermediate, root]]).map((chain) => ({
      subject: { organization: 'test', commonName: chain[0]!.subject },
      uri: `https://${chain[0]!.subject}.example.test`,
      certChain: { certificates: chain.map((certificate) => ({ rawBytes: Buffer.from(certificate.der).toString('base64') })) },
      validFor: window(options.caValidFor ?? { start: notBefore }),
    })),
    ctlogs: [
      {
        baseUrl: 'https://ctfe.example.test/test',
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: Buffer.from(ctLog.spki).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: window(options.ctlogValidFor ?? { start: notBefore }) },
        logId: { keyId: createHash('sha256').update(ctLog.spki).digest('base64') },
      },
    ],
    timestampAuthorities: options.timestampAuthorities ?? [],
  });

  return { root, intermediate, ctLog, issueLeaf, trustedRoot };
}

/** ECDSA P-256 with SHA-256, DER: what cosign and sigstore-js sign with a Fulcio key. */
export function signWithLeaf(leaf: TestCertificate, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign('sha256', message, leaf.key.privateKey));
}

const SERIAL = 0x1234567;

interface CertificateFields {
  issuer: string;
  subject: string;
  subjectKey: KeyPair;
  signer: KeyPair;
  notBefore: Date;
  notAfter: Date;
  extensions: Uint8Array[];
  serial?: number;
}

function certificate(fields: CertificateFields): Uint8Array {
  const tbs = tbsCertificate(fields);
  const signature = sign('sha256', tbs, fields.signer.privateKey);
  return sequence(tbs, algorithm(OIDS.ecdsaWithSha256), encodeDer(DER_TAG.BIT_STRING, concat(Uint8Array.of(0), signature)));
}

function tbsCertificate(fields: CertificateFields): Uint8Array {
  return sequence(
    encodeDer(0xa0, integer(2)),
    integer(fields.serial ?? SERIAL),
    algorithm(OIDS.ecdsaWithSha256),
    name(fields.issuer),
    sequence(time(fields.notBefore), time(fields.notAfter)),
    fields.subject === '' ? sequence() : name(fields.subject),
    fields.subjectKey.spki,
    encodeDer(0xa3, sequence(...fields.extensions)),
  );
}

function caExtensions(): Uint8Array[] {
  return [extension(OIDS.basicConstraints, true, sequence(encodeDer(DER_TAG.BOOLEAN, Uint8Array.of(0xff)))), extension(OIDS.keyUsage, true, encodeDer(DER_TAG.BIT_STRING, Uint8Array.of(1, 0x06)))];
}

function leafExtensions(options: LeafOptions): Uint8Array[] {
  const names: Uint8Array[] = [];
  if (options.email !== undefined) names.push(encodeDer(0x81, utf8(options.email)));
  if (options.uri !== undefined) names.push(encodeDer(0x86, utf8(options.uri)));
  if (options.username !== undefined) names.push(encodeDer(0xa0, concat(oid(OIDS.usernameSan), encodeDer(0xa0, encodeDer(DER_TAG.UTF8_STRING, utf8(options.username))))));
  const extensions = [
    extension(OIDS.keyUsage, true, encodeDer(DER_TAG.BIT_STRING, Uint8Array.of(7, 0x80))),
    extension(OIDS.extendedKeyUsage, false, options.truncatedExtendedKeyUsage ? Uint8Array.of(0x30, 0x0a, 0x06, 0x08, 0x2b) : sequence(...(options.extendedKeyUsage ?? [OIDS.codeSigning]).map(oid))),
    extension(OIDS.basicConstraints, true, sequence()),
    extension(OIDS.subjectAltName, true, sequence(...names)),
  ];
  const issuer = options.issuer === undefined ? 'https://issuer.example.test' : options.issuer;
  if (issuer !== null) extensions.push(extension(OIDS.issuer, false, encodeDer(DER_TAG.UTF8_STRING, utf8(issuer))));
  if (options.legacyIssuer !== undefined && options.legacyIssuer !== null) extensions.push(extension(OIDS.issuerLegacy, false, utf8(options.legacyIssuer)));
  return extensions;
}

/** An RFC 6962 v1 SCT over a precertificate entry, signed by `log`. */
function signedCertificateTimestamp(log: KeyPair, at: Date, precertificateTbs: Uint8Array, issuerSpki: Uint8Array): Uint8Array {
  const timestamp = uint(BigInt(at.getTime()), 8);
  const logId = createHash('sha256').update(log.spki).digest();
  const issuerKeyHash = createHash('sha256').update(issuerSpki).digest();
  const signed = concat(Uint8Array.of(0, 0), timestamp, uint(1n, 2), issuerKeyHash, uint(BigInt(precertificateTbs.length), 3), precertificateTbs, uint(0n, 2));
  const signature = sign('sha256', signed, log.privateKey);
  return concat(Uint8Array.of(0), logId, timestamp, uint(0n, 2), Uint8Array.of(4, 3), tlsVector(signature, 2));
}

function window(validFor: { start: Date; end?: Date }): Record<string, string> {
  return { start: validFor.start.toISOString(), ...(validFor.end ? { end: validFor.end.toISOString() } : {}) };
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(oid(id), ...(critical ? [encodeDer(DER_TAG.BOOLEAN, Uint8Array.of(0xff))] : []), encodeDer(DER_TAG.OCTET_STRING, value));
}

function name(commonName: string): Uint8Array {
  return sequence(
    encodeDer(DER_TAG.SET, sequence(oid(OIDS.organization), encodeDer(DER_TAG.UTF8_STRING, utf8('test')))),
    encodeDer(DER_TAG.SET, sequence(oid(OIDS.commonName), encodeDer(DER_TAG.UTF8_STRING, utf8(commonName)))),
  );
}

function time(date: Date): Uint8Array {
  const text = date.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return date.getUTCFullYear() < 2050 ? encodeDer(DER_TAG.UTC_TIME, utf8(text.slice(2))) : encodeDer(DER_TAG.GENERALIZED_TIME, utf8(text));
}

function algorithm(id: string): Uint8Array {
  return sequence(oid(id));
}

function integer(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  if (bytes.length === 0 || (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return encodeDer(DER_TAG.INTEGER, Uint8Array.from(bytes));
}

function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const group: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) group.unshift((rest & 0x7f) | 0x80);
    bytes.push(...group);
  }
  return encodeDer(DER_TAG.OID, Uint8Array.from(bytes));
}

function sequence(...parts: Uint8Array[]): Uint8Array {
  return encodeDer(DER_TAG.SEQUENCE, concat(...parts));
}

function tlsVector(bytes: Uint8Array, lengthSize: number): Uint8Array {
  return concat(uint(BigInt(bytes.length), lengthSize), bytes);
}

function uint(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let index = size - 1, rest = value; index >= 0; index--, rest >>= 8n) out[index] = Number(rest & 0xffn);
  return out;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

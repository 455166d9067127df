// Signed certificate timestamps embedded in a Fulcio certificate (RFC 6962 §3.3): each is a CT
// log's promise that the precertificate was logged. An SCT counts only when a ctlog of the
// trusted root made it, inside that log's validity window, over this very certificate: its
// TBSCertificate with the SCT extension taken out, and its issuer's key.
import { createHash, verify, type KeyObject } from 'node:crypto';
import { derContent, derEncoded, DER_TAG, encodeDer, readDer } from '../../../../shared/encoding/der';
import { EncodingError } from '../../../../shared/encoding/encoding-error';
import type { TrustedLog } from './keyless-types';
import { describeWindow, isWithin } from './validity';
import { findExtension, OID, type CertificateFields } from './x509-fields';

const MAX_SCTS = 32;
const EXTENSIONS_TAG = 0xa3;
/** RFC 5246 HashAlgorithm and SignatureAlgorithm codes, and Ed25519's from RFC 8422. */
const HASHES: Record<number, string> = { 4: 'sha256', 5: 'sha384', 6: 'sha512' };
const SIGNATURES: Record<number, 'rsa' | 'ecdsa' | 'ed25519'> = { 1: 'rsa', 3: 'ecdsa', 7: 'ed25519' };

export interface SignedCertificateTimestamp {
  logId: Uint8Array;
  timestamp: Date;
  timestampMillis: bigint;
  extensions: Uint8Array;
  hashAlgorithm: number;
  signatureAlgorithm: number;
  signature: Uint8Array;
}

export interface SctVerdict {
  /** Base URLs of the trusted ctlogs whose SCT verified. */
  verifiedLogs: string[];
  /** Why each SCT did not count; the certificate fails when no SCT verified. */
  problems: string[];
}

/** Checks the leaf's embedded SCTs against the trusted root's ctlogs; `issuerSpki` is the DER SubjectPublicKeyInfo of the leaf's issuer. */
export function verifyEmbeddedScts(leaf: CertificateFields, issuerSpki: Uint8Array, ctlogs: readonly TrustedLog[]): SctVerdict {
  const extension = findExtension(leaf, OID.embeddedScts);
  if (extension === undefined) return { verifiedLogs: [], problems: ['the certificate carries no embedded SCT: no certificate-transparency log vouches that it was logged.'] };
  let scts: SignedCertificateTimestamp[];
  try {
    scts = readSctList(derContent(readDer(extension.value, 'SCT list')));
  } catch (error) {
    if (error instanceof EncodingError) return { verifiedLogs: [], problems: [`its embedded SCT list cannot be read: ${error.message}.`] };
    throw error;
  }
  const signedEntryTail = precertificateEntry(leaf, issuerSpki);
  const verifiedLogs: string[] = [];
  const problems: string[] = [];
  for (const [index, sct] of scts.entries()) {
    const log = ctlogs.find((candidate) => equalBytes(candidate.logId, sct.logId));
    const label = `SCT ${index + 1}`;
    if (log === undefined) {
      problems.push(`${label} is from a log the trusted root does not list (log ID ${Buffer.from(sct.logId).toString('base64')}).`);
      continue;
    }
    if (!isWithin(log.validFor, sct.timestamp)) {
      problems.push(`${label} from ${log.baseUrl} is dated ${sct.timestamp.toISOString()}, outside the log's window in the trusted root (${describeWindow(log.validFor)}).`);
      continue;
    }
    if (!verifySctSignature(sct, signedEntryTail, log.publicKey)) {
      problems.push(`${label} from ${log.baseUrl} does not verify over this certificate (forged, or made for another certificate).`);
      continue;
    }
    verifiedLogs.push(log.baseUrl);
  }
  if (verifiedLogs.length === 0 && ctlogs.length === 0) problems.push('the trusted root lists no ctlog to check SCTs with.');
  return { verifiedLogs, problems };
}

/** The TLS-encoded SignedCertificateTimestampList (RFC 6962 §3.3), strictly: every length must fit exactly. */
export function readSctList(bytes: Uint8Array): SignedCertificateTimestamp[] {
  const reader = new TlsReader(bytes);
  const list = new TlsReader(reader.vector(2, 'SCT list'));
  reader.end('SCT list');
  const scts: SignedCertificateTimestamp[] = [];
  while (!list.done()) {
    if (scts.length === MAX_SCTS) throw malformed(`more than ${MAX_SCTS} SCTs`);
    const sct = new TlsReader(list.vector(2, 'SCT'));
    const version = sct.uint(1, 'SCT version');
    if (version !== 0n) throw malformed(`SCT version ${version} (only v1 is known)`);
    const logId = sct.bytes(32, 'log ID');
    const timestampMillis = sct.uint(8, 'SCT timestamp');
    if (timestampMillis > BigInt(8.64e15)) throw malformed('SCT timestamp out of range');
    const extensions = sct.vector(2, 'SCT extensions');
    const hashAlgorithm = Number(sct.uint(1, 'hash algorithm'));
    const signatureAlgorithm = Number(sct.uint(1, 'signature algorithm'));
    const signature = sct.vector(2, 'SCT signature');
    sct.end('SCT');
    scts.push({ logId, timestamp: new Date(Number(timestampMillis)), timestampMillis, extensions, hashAlgorithm, signatureAlgorithm, signature });
  }
  if (scts.length === 0) throw malformed('the list is empty');
  return scts;
}

/**
 * The part of the RFC 6962 `digitally-signed` struct after the timestamp: entry type
 * precert_entry, the issuer key hash and the precertificate's TBSCertificate (the leaf's, with
 * the SCT extension removed and the lengths re-encoded).
 */
function precertificateEntry(leaf: CertificateFields, issuerSpki: Uint8Array): Uint8Array {
  const kept = leaf.extensions.filter((extension) => extension.oid !== OID.embeddedScts).map((extension) => derEncoded(extension.node));
  const parts = leaf.tbsChildren.map((child) => (child.tag === EXTENSIONS_TAG ? encodeDer(EXTENSIONS_TAG, encodeDer(DER_TAG.SEQUENCE, concat(kept))) : derEncoded(child)));
  const tbs = encodeDer(DER_TAG.SEQUENCE, concat(parts));
  const issuerKeyHash = createHash('sha256').update(issuerSpki).digest();
  return concat([Uint8Array.of(0x00, 0x01), issuerKeyHash, uintBytes(tbs.length, 3), tbs]);
}

function verifySctSignature(sct: SignedCertificateTimestamp, entryTail: Uint8Array, key: KeyObject): boolean {
  const kind = SIGNATURES[sct.signatureAlgorithm];
  const hash = HASHES[sct.hashAlgorithm];
  const signed = concat([Uint8Array.of(0x00, 0x00), bigUintBytes(sct.timestampMillis, 8), entryTail, uintBytes(sct.extensions.length, 2), sct.extensions]);
  const keyType = key.asymmetricKeyType;
  try {
    if (kind === 'ed25519' && keyType === 'ed25519' && sct.hashAlgorithm === 8) return verify(null, signed, key, sct.signature);
    if (hash === undefined) return false;
    if (kind === 'ecdsa' && keyType === 'ec') return verify(hash, signed, { key, dsaEncoding: 'der' }, sct.signature);
    if (kind === 'rsa' && keyType === 'rsa') return verify(hash, signed, key, sct.signature);
  } catch {
    return false;
  }
  return false;
}

class TlsReader {
  private offset = 0;
  constructor(private readonly input: Uint8Array) {}

  done(): boolean {
    return this.offset === this.input.length;
  }

  bytes(count: number, what: string): Uint8Array {
    if (this.offset + count > this.input.length) throw malformed(`${what} is truncated`);
    const out = this.input.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  uint(size: number, what: string): bigint {
    let value = 0n;
    for (const byte of this.bytes(size, what)) value = (value << 8n) | BigInt(byte);
    return value;
  }

  vector(lengthSize: number, what: string): Uint8Array {
    return this.bytes(Number(this.uint(lengthSize, `${what} length`)), what);
  }

  end(what: string): void {
    if (!this.done()) throw malformed(`${this.input.length - this.offset} bytes after the ${what}`);
  }
}

function malformed(detail: string): EncodingError {
  return new EncodingError('the SCT list', `not valid (${detail})`);
}

function uintBytes(value: number, size: number): Uint8Array {
  return bigUintBytes(BigInt(value), size);
}

function bigUintBytes(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let index = size - 1, rest = value; index >= 0; index--, rest >>= 8n) out[index] = Number(rest & 0xffn);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

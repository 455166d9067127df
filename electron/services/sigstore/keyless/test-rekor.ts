// A Rekor log for tests, made at test time: its own key (ECDSA P-256, or Ed25519 for a Rekor v2
// log), entry bodies as Rekor writes them, SETs, an RFC 6962 tree over several leaves, inclusion
// proofs and signed checkpoints. Built independently of the verifier's code (key IDs and the SET
// payload are computed here), so the tests compare two implementations, not one with itself.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { encodeBase64 } from '../../../../shared/encoding/base64';
import { parseStrictJson, type JsonValue } from '../../../../shared/json/strict-json';
import { inclusionProof, leafHash, rootOf } from '../../../../shared/transparency/merkle';
import { formatSignedNote, noteKeyId } from '../../../../shared/transparency/signed-note';
import { encodeCanonicalJson } from '../../../../shared/verify/foreign/canonical-json';
import type { TrustedLog, ValidityWindow } from './keyless-types';

export interface TestKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export function ecdsaKeyPair(): TestKeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export function spkiDer(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}

export function pemOf(der: Uint8Array, label: 'CERTIFICATE' | 'PUBLIC KEY'): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const canonical = (value: JsonValue): Uint8Array => encodeCanonicalJson(value);

/** A verifier as a Rekor v1 body names it: a certificate or a public key, as PEM. */
export type BodySigner = { certificateDer: Uint8Array } | { publicKeyDer: Uint8Array };

function v1Pem(signer: BodySigner): string {
  return b64('certificateDer' in signer ? pemOf(signer.certificateDer, 'CERTIFICATE') : pemOf(signer.publicKeyDer, 'PUBLIC KEY'));
}

function v2Verifier(signer: BodySigner): JsonValue {
  const verifier = 'certificateDer' in signer ? { x509Certificate: { rawBytes: b64(signer.certificateDer) } } : { publicKey: { rawBytes: b64(signer.publicKeyDer) } };
  return { ...verifier, keyDetails: 'PKIX_ECDSA_P256_SHA_256' };
}

export interface TestEnvelope {
  payloadType: string;
  payload: Uint8Array;
  signatures: { sig: Uint8Array; keyid: string | null }[];
}

export const bodies = {
  hashedrekordV001(digestHex: string, signature: Uint8Array, signer: BodySigner): Uint8Array {
    return canonical({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: { data: { hash: { algorithm: 'sha256', value: digestHex } }, signature: { content: b64(signature), publicKey: { content: v1Pem(signer) } } },
    });
  },
  hashedrekordV002(digestHex: string, signature: Uint8Array, signer: BodySigner): Uint8Array {
    return canonical({
      apiVersion: '0.0.2',
      kind: 'hashedrekord',
      spec: { hashedRekordV002: { data: { algorithm: 'SHA2_256', digest: b64(Buffer.from(digestHex, 'hex')) }, signature: { content: b64(signature), verifier: v2Verifier(signer) } } },
    });
  },
  dsseV001(envelope: TestEnvelope, signer: BodySigner): Uint8Array {
    return canonical({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256Hex(new TextEncoder().encode(JSON.stringify({ payload: b64(envelope.payload), payloadType: envelope.payloadType }))) },
        payloadHash: { algorithm: 'sha256', value: sha256Hex(envelope.payload) },
        signatures: envelope.signatures.map((signature) => ({ signature: b64(signature.sig), verifier: v1Pem(signer) })),
      },
    });
  },
  dsseV002(envelope: TestEnvelope, signer: BodySigner): Uint8Array {
    return canonical({
      apiVersion: '0.0.2',
      kind: 'dsse',
      spec: {
        dsseV002: {
          payloadHash: { algorithm: 'SHA2_256', digest: b64(createHash('sha256').update(envelope.payload).digest()) },
          signatures: envelope.signatures.map((signature) => ({ content: b64(signature.sig), verifier: v2Verifier(signer) })),
        },
      },
    });
  },
  intotoV002(envelope: TestEnvelope, signer: BodySigner): Uint8Array {
    return canonical({
      apiVersion: '0.0.2',
      kind: 'intoto',
      spec: {
        content: {
          envelope: { payloadType: envelope.payloadType, signatures: envelope.signatures.map((signature) => ({ sig: b64(b64(signature.sig)), publicKey: v1Pem(signer) })) },
          hash: { algorithm: 'sha256', value: sha256Hex(envelope.payload) },
          payloadHash: { algorithm: 'sha256', value: sha256Hex(envelope.payload) },
        },
      },
    });
  },
};

export interface EntryOptions {
  integratedTime?: number;
  withSet?: boolean;
  withProof?: boolean;
  /** Signs the SET with this key instead of the log's. */
  setKey?: KeyObject;
  /** Signs the checkpoint with this key pair instead of the log's. */
  checkpointKey?: TestKeyPair;
  /** Changes the SET payload's integrated time (the SET then vouches for another time). */
  setIntegratedTime?: number;
}

/** Kind and version from a body made by `bodies`. */
function kindVersionOf(body: Uint8Array): { kind: string; version: string } {
  const parsed = parseStrictJson(body) as { kind: string; apiVersion: string };
  return { kind: parsed.kind, version: parsed.apiVersion };
}

export class TestRekor {
  readonly keys: TestKeyPair;
  readonly logId: Uint8Array;
  readonly origin: string;
  private readonly leaves: Uint8Array[] = [];

  constructor(
    readonly baseUrl: string,
    readonly rekorV2: boolean,
    readonly validFor: ValidityWindow = { start: new Date('2020-01-01T00:00:00Z'), end: null },
    /** Rekor v2 logs sign with Ed25519 or ECDSA; Rekor v1 with ECDSA. */
    keyType: 'ecdsa' | 'ed25519' = rekorV2 ? 'ed25519' : 'ecdsa',
  ) {
    this.keys = keyType === 'ed25519' ? generateKeyPairSync('ed25519') : ecdsaKeyPair();
    const url = new URL(baseUrl);
    this.origin = rekorV2 ? `${url.host}${url.pathname.replace(/\/+$/, '')}` : `${url.host} - 2605736670972794746`;
    const spki = spkiDer(this.keys.publicKey);
    // Rekor v1: SHA-256 of the DER key. Rekor v2: the full C2SP checkpoint key ID.
    this.logId = rekorV2 ? this.noteKeyHash(this.keys.publicKey) : new Uint8Array(createHash('sha256').update(spki).digest());
  }

  get trusted(): TrustedLog {
    return { baseUrl: this.baseUrl, logId: this.logId, publicKey: this.keys.publicKey, validFor: this.validFor };
  }

  /** Appends a leaf: an entry body, or filler other signers logged. Returns its index. */
  append(body: Uint8Array): number {
    this.leaves.push(body);
    return this.leaves.length - 1;
  }

  fill(count: number): void {
    for (let i = 0; i < count; i++) this.append(canonical({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: { filler: this.leaves.length } }));
  }

  /** The signed checkpoint for the first `size` leaves. */
  checkpoint(size: number, keys: TestKeyPair = this.keys, rootHash?: Uint8Array): string {
    // Written out: Rekor v1 origins ("<host> - <tree ID>") hold spaces, which note key names may not.
    const text = `${this.origin}\n${size}\n${encodeBase64(rootHash ?? rootOf(this.leaves.slice(0, size).map(leafHash)))}\n`;
    const message = new TextEncoder().encode(text);
    const signature = keys.publicKey.asymmetricKeyType === 'ed25519' ? sign(null, message, keys.privateKey) : sign('sha256', message, keys.privateKey);
    const keyId = new DataView(this.noteKeyHash(keys.publicKey).buffer).getUint32(0, false);
    const keyName = this.rekorV2 ? this.origin : new URL(this.baseUrl).host;
    return formatSignedNote({ text, signatures: [{ keyName, keyId, signature: new Uint8Array(signature) }] });
  }

  /** The bundle's JSON for the entry at `index`, with a proof against the whole tree as it is now. */
  entryJson(index: number, options: EntryOptions = {}): Record<string, unknown> {
    const body = this.leaves[index]!;
    const integratedTime = this.rekorV2 ? 0 : (options.integratedTime ?? 1_764_633_600);
    const logIdHex = Buffer.from(this.logId).toString('hex');
    const setPayload = `{"body":"${b64(body)}","integratedTime":${options.setIntegratedTime ?? integratedTime},"logID":"${logIdHex}","logIndex":${index}}`;
    const setKey = options.setKey ?? this.keys.privateKey;
    const set = sign(setKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', Buffer.from(setPayload), setKey);
    const size = this.leaves.length;
    const hashes = inclusionProof(this.leaves.map(leafHash), index);
    const withSet = options.withSet ?? !this.rekorV2;
    return {
      logIndex: String(index),
      logId: { keyId: b64(this.logId) },
      kindVersion: kindVersionOf(body),
      integratedTime: String(integratedTime),
      ...(withSet ? { inclusionPromise: { signedEntryTimestamp: b64(set) } } : {}),
      ...(options.withProof ?? true
        ? {
            inclusionProof: {
              logIndex: String(index),
              rootHash: b64(rootOf(this.leaves.map(leafHash))),
              treeSize: String(size),
              hashes: hashes.map((hash) => b64(hash)),
              checkpoint: { envelope: this.checkpoint(size, options.checkpointKey) },
            },
          }
        : {}),
      canonicalizedBody: b64(body),
    };
  }

  /** SHA-256 of the DER key (Rekor v1, ECDSA), or the C2SP Ed25519 key hash over origin and key (Rekor v2). */
  private noteKeyHash(key: KeyObject): Uint8Array {
    const spki = spkiDer(key);
    if (key.asymmetricKeyType === 'ed25519') {
      const raw = spki.subarray(spki.length - 32);
      const name = new TextEncoder().encode(this.origin);
      const full = new Uint8Array(createHash('sha256').update(Buffer.concat([name, Buffer.from([0x0a, 0x01]), raw])).digest());
      // The 4-byte hint is the prefix of the full hash; checked against the shared helper once.
      if (new DataView(full.buffer).getUint32(0, false) !== noteKeyId(this.origin, 0x01, raw)) throw new Error('note key ID mismatch');
      return full;
    }
    return new Uint8Array(createHash('sha256').update(spki).digest());
  }
}

export function sigstoreBundleJson(options: {
  mediaType?: string;
  material: Record<string, unknown>;
  tlogEntries: Record<string, unknown>[];
  timestamps?: Uint8Array[];
  content: { messageSignature: { digestHex: string; signature: Uint8Array } } | { envelope: TestEnvelope };
}): Uint8Array {
  const content =
    'messageSignature' in options.content
      ? { messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(Buffer.from(options.content.messageSignature.digestHex, 'hex')) }, signature: b64(options.content.messageSignature.signature) } }
      : {
          dsseEnvelope: {
            payloadType: options.content.envelope.payloadType,
            payload: b64(options.content.envelope.payload),
            signatures: options.content.envelope.signatures.map((signature) => ({ sig: b64(signature.sig), keyid: signature.keyid ?? '' })),
          },
        };
  const bundle = {
    mediaType: options.mediaType ?? 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      ...options.material,
      tlogEntries: options.tlogEntries,
      ...(options.timestamps ? { timestampVerificationData: { rfc3161Timestamps: options.timestamps.map((token) => ({ signedTimestamp: encodeBase64(token) })) } } : {}),
    },
    ...content,
  };
  return new TextEncoder().encode(JSON.stringify(bundle));
}

// For tests: in-toto v0.9 layouts and links made with node:crypto, following the spec byte for
// byte (canonical JSON written out here independently of the code under test).
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type KitKeyKind = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa';

export interface KitKey {
  kind: KitKeyKind;
  privateKey: KeyObject;
  /** PEM SubjectPublicKeyInfo, for --key. */
  publicPem: string;
  /** securesystemslib's metadata form of the public key, as a layout's `keys` holds it. */
  metadata: Record<string, unknown>;
  keyid: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** OLPC canonical JSON: sorted keys, no whitespace, only `\` and `"` escaped. */
export function canonical(value: Json): Buffer {
  const text = (v: Json): string => {
    if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v);
    if (typeof v === 'string') return `"${v.split('\\').join('\\\\').split('"').join('\\"')}"`;
    if (Array.isArray(v)) return `[${v.map(text).join(',')}]`;
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${text(k)}:${text(v[k]!)}`)
      .join(',')}}`;
  };
  return Buffer.from(text(value), 'utf8');
}

export function makeKey(kind: KitKeyKind): KitKey {
  const pair =
    kind === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : kind === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: kind === 'ecdsa-p256' ? 'P-256' : 'P-384' });
  return kitKey(kind, pair.privateKey);
}

/** A key made elsewhere (openssl), in the kit's form. */
export function kitKey(kind: KitKeyKind, privateKey: KeyObject): KitKey {
  const publicKey = createPublicKey(privateKey);
  const publicPem = (publicKey.export({ type: 'spki', format: 'pem' }) as string).trim();
  const keyval = kind === 'ed25519' ? Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex') : publicPem;
  const scheme = kind === 'ed25519' ? 'ed25519' : kind === 'rsa' ? 'rsassa-pss-sha256' : kind === 'ecdsa-p256' ? 'ecdsa-sha2-nistp256' : 'ecdsa-sha2-nistp384';
  const keytype = kind === 'ed25519' ? 'ed25519' : kind === 'rsa' ? 'rsa' : 'ecdsa';
  const metadata = { keytype, scheme, keyid_hash_algorithms: ['sha256', 'sha512'], keyval: { public: keyval } };
  const keyid = createHash('sha256').update(canonical(metadata)).digest('hex');
  return { kind, privateKey, publicPem, metadata: { ...metadata, keyid }, keyid };
}

export function signBytes(key: KitKey, bytes: Buffer): Buffer {
  if (key.kind === 'ed25519') return sign(null, bytes, key.privateKey);
  if (key.kind === 'rsa') return sign('sha256', bytes, { key: key.privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 });
  return sign(key.kind === 'ecdsa-p256' ? 'sha256' : 'sha384', bytes, { key: key.privateKey, dsaEncoding: 'der' });
}

/** `{signed, signatures}` with one signature per key over the canonical JSON of `signed`. */
export function signMetadata(signed: Json, keys: readonly KitKey[]): string {
  const bytes = canonical(signed);
  return JSON.stringify({ signed, signatures: keys.map((key) => ({ keyid: key.keyid, sig: signBytes(key, bytes).toString('hex') })) }, null, 1);
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

export interface StepSpec {
  name: string;
  keys: readonly KitKey[];
  threshold?: number;
  materials?: Json[];
  products?: Json[];
}

export function layoutSigned(steps: readonly StepSpec[], options: { expires?: string; inspect?: Json[]; extraKeys?: readonly KitKey[] } = {}): Json {
  const keys: Record<string, Json> = {};
  for (const key of [...steps.flatMap((s) => s.keys), ...(options.extraKeys ?? [])]) keys[key.keyid] = key.metadata as Json;
  return {
    _type: 'layout',
    expires: options.expires ?? '2099-01-01T00:00:00Z',
    readme: '',
    keys,
    steps: steps.map((s) => ({
      _type: 'step',
      name: s.name,
      threshold: s.threshold ?? 1,
      pubkeys: s.keys.map((k) => k.keyid),
      expected_command: [],
      expected_materials: s.materials ?? [],
      expected_products: s.products ?? [],
    })),
    inspect: options.inspect ?? [],
  };
}

export function linkSigned(name: string, materials: Record<string, Buffer | string>, products: Record<string, Buffer | string>): Json {
  const digests = (files: Record<string, Buffer | string>) => Object.fromEntries(Object.entries(files).map(([p, content]) => [p, { sha256: sha256(content) }]));
  return { _type: 'link', name, command: [], materials: digests(materials), products: digests(products), byproducts: {}, environment: {} };
}

export function writeLink(linksDirectory: string, step: string, signer: KitKey, signed: Json, signers: readonly KitKey[] = [signer]): string {
  const file = path.join(linksDirectory, `${step}.${signer.keyid.slice(0, 8)}.link`);
  fs.writeFileSync(file, signMetadata(signed, signers));
  return file;
}

/** The same metadata in a DSSE envelope: the payload is the JSON itself, signed over DSSE's PAE. */
export function envelopeMetadata(signed: Json, keys: readonly KitKey[]): string {
  const payloadType = 'application/vnd.in-toto+json';
  const payload = Buffer.from(JSON.stringify(signed));
  const paeBytes = Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `), payload]);
  return JSON.stringify({ payloadType, payload: payload.toString('base64'), signatures: keys.map((key) => ({ keyid: key.keyid, sig: signBytes(key, paeBytes).toString('base64') })) });
}

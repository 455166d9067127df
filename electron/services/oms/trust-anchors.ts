// The reviewer's trust for one foreign-signature check: public keys (--key) and X.509 roots
// (--ca), read from files the reviewer names. Nothing here comes from the signature.
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TrustAnchors, TrustedKey } from './verify-signer';

export class TrustAnchorError extends Error {}

const MAX_ANCHOR_FILE_BYTES = 1024 * 1024;

export function loadTrustAnchors(keyPaths: readonly string[], caPaths: readonly string[]): TrustAnchors {
  return { keys: keyPaths.map(loadPublicKey), roots: caPaths.flatMap(loadCertificates) };
}

/** A PEM public key (SubjectPublicKeyInfo) or a PEM certificate whose key is trusted as is. */
export function loadPublicKey(keyPath: string): TrustedKey {
  const text = readAnchorFile(keyPath, '--key');
  let key: KeyObject;
  try {
    key = text.includes('-----BEGIN CERTIFICATE-----') ? new X509Certificate(text).publicKey : createPublicKey(text);
  } catch (error) {
    throw new TrustAnchorError(`--key ${keyPath}: not a PEM public key (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (key.type !== 'public') throw new TrustAnchorError(`--key ${keyPath}: this is a private key; give the public key.`);
  return { key, label: path.basename(keyPath) };
}

export function loadCertificates(caPath: string): X509Certificate[] {
  const text = readAnchorFile(caPath, '--ca');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new TrustAnchorError(`--ca ${caPath}: holds no PEM certificate.`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new TrustAnchorError(`--ca ${caPath}: a certificate cannot be read (${error instanceof Error ? error.message : String(error)}).`);
    }
  });
}

function readAnchorFile(filePath: string, flag: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(filePath);
  } catch (error) {
    throw new TrustAnchorError(`${flag} ${filePath}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  if (bytes.length > MAX_ANCHOR_FILE_BYTES) throw new TrustAnchorError(`${flag} ${filePath}: larger than 1 MiB, not a key or certificate file.`);
  return bytes.toString('utf8');
}

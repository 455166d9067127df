// For tests: keyless Sigstore bundles made at test time as cosign and model_signing make them.
// A test Fulcio issues the short-lived certificate, the signature is logged in a test Rekor, and
// a trusted_root.json names both (and the CT log): nothing is fetched or copied from elsewhere.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTestFulcio, signWithLeaf, type LeafOptions, type TestCertificate, type TestFulcio, type TrustedRootOptions } from './test-fulcio';
import { bodies, sigstoreBundleJson, spkiDer, TestRekor } from './test-rekor';

export const SIGNED_AT = new Date('2026-03-01T10:00:00Z');
export const ALICE = { identity: 'alice@example.test', issuer: 'https://issuer.example.test' };
const IN_TOTO = 'application/vnd.in-toto+json';

export interface KeylessWorld {
  fulcio: TestFulcio;
  rekor: TestRekor;
  /** Writes trusted_root.json (the test Fulcio, CT log and Rekor) into `dir`; returns its path. */
  writeTrustedRoot(dir: string, options?: TrustedRootOptions & { withoutRekor?: boolean }): string;
  /** A leaf for ALICE valid for ten minutes from SIGNED_AT, unless told otherwise. */
  leaf(options?: Partial<LeafOptions>): TestCertificate;
}

export function makeKeylessWorld(): KeylessWorld {
  const fulcio = makeTestFulcio(new Date('2025-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
  const rekor = new TestRekor('https://rekor.example.test', false);
  const rekorJson = {
    baseUrl: rekor.baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: Buffer.from(spkiDer(rekor.keys.publicKey)).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: rekor.validFor.start.toISOString() } },
    logId: { keyId: Buffer.from(rekor.logId).toString('base64') },
  };
  return {
    fulcio,
    rekor,
    writeTrustedRoot(dir, options = {}) {
      const file = path.join(dir, `trusted_root-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(fulcio.trustedRoot({ ...options, tlogs: options.withoutRekor ? [] : [rekorJson] })));
      return file;
    },
    leaf(options = {}) {
      return fulcio.issueLeaf({ email: ALICE.identity, issuer: ALICE.issuer, notBefore: SIGNED_AT, notAfter: new Date(SIGNED_AT.getTime() + 10 * 60_000), ...options });
    },
  };
}

export interface KeylessBundleOptions {
  /** Seconds since the epoch: when Rekor says it logged the entry (one minute after SIGNED_AT by default). */
  integratedTime?: number;
  /** v0.3 `certificate` (default) or a v0.1/v0.2-style `x509CertificateChain`. */
  material?: 'certificate' | 'chain';
  mediaType?: string;
  /** An RFC 3161 timestamp response over the signature bytes (from a test TSA) to carry. */
  timestamp?: (signature: Uint8Array) => Uint8Array;
  /** Leave the Rekor entry out (the timestamp alone then vouches for the time). */
  withoutTlogEntry?: boolean;
}

const defaultTime = (): number => Math.floor(SIGNED_AT.getTime() / 1000) + 60;

function materialOf(leaf: TestCertificate, options: KeylessBundleOptions): Record<string, unknown> {
  const rawBytes = Buffer.from(leaf.der).toString('base64');
  return options.material === 'chain' ? { x509CertificateChain: { certificates: [{ rawBytes }] } } : { certificate: { rawBytes } };
}

/** A message-signature bundle over `artifact` (cosign sign-blob), logged as a hashedrekord entry. */
export function keylessMessageBundle(world: KeylessWorld, leaf: TestCertificate, artifact: Uint8Array, options: KeylessBundleOptions = {}): Uint8Array {
  const signature = signWithLeaf(leaf, artifact);
  const digestHex = createHash('sha256').update(artifact).digest('hex');
  const index = world.rekor.append(bodies.hashedrekordV001(digestHex, signature, { certificateDer: leaf.der }));
  return sigstoreBundleJson({
    ...(options.mediaType ? { mediaType: options.mediaType } : {}),
    material: materialOf(leaf, options),
    tlogEntries: options.withoutTlogEntry ? [] : [world.rekor.entryJson(index, { integratedTime: options.integratedTime ?? defaultTime() })],
    ...(options.timestamp ? { timestamps: [options.timestamp(signature)] } : {}),
    content: { messageSignature: { digestHex, signature } },
  });
}

/** A DSSE bundle over an in-toto statement (cosign attest, model_signing's sigstore method), logged as a dsse entry. */
export function keylessDsseBundle(world: KeylessWorld, leaf: TestCertificate, statement: unknown, options: KeylessBundleOptions = {}): Uint8Array {
  const payload = new TextEncoder().encode(JSON.stringify(statement));
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${IN_TOTO.length} ${IN_TOTO} ${payload.length} `), payload]);
  const envelope = { payloadType: IN_TOTO, payload, signatures: [{ sig: signWithLeaf(leaf, pae), keyid: null }] };
  const index = world.rekor.append(bodies.dsseV001(envelope, { certificateDer: leaf.der }));
  return sigstoreBundleJson({
    ...(options.mediaType ? { mediaType: options.mediaType } : {}),
    material: materialOf(leaf, options),
    tlogEntries: [world.rekor.entryJson(index, { integratedTime: options.integratedTime ?? defaultTime() })],
    content: { envelope },
  });
}
